/**
 * Token counting. Exact counts come from gpt-tokenizer's BPE tables, which are large (measured in
 * a compiled executable: o200k adds about 80-90 MB of RSS and takes 180-350 ms to load, cl100k
 * about 20 MB and 130-190 ms), so they are imported lazily: nothing is loaded when this module is
 * imported. Call `await loadEncoding(name)` (or `loadTokenizerFor(model)`) once, e.g. at the first
 * compression; from then on `countTokens` is synchronous. `estimateTokens` needs no table at all
 * and is meant for gating decisions.
 * @module
 */

import { TokenCountCache } from "./tokens-cache.ts";
import { type EncodingName, tokenizerForModel } from "./tokens-model.ts";

export { estimateTokens } from "./tokens-estimate.ts";
export { type EncodingName, encodingForModel, tokenizerForModel } from "./tokens-model.ts";

type CountFn = (text: string, options: { disallowedSpecial: Set<string> }) => number;

/** An encoding's counter, its merge cache, and how much was counted since that was emptied. */
interface Counter {
  readonly count: CountFn;
  readonly clearCache: () => void;
  since: number;
}

/*
 * Special-token strings such as "<|endoftext|>" that appear inside tool output are counted as
 * ordinary text (what the provider does with user content); gpt-tokenizer's default would throw.
 */
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

const counters = new Map<EncodingName, Counter>();
const loading = new Map<EncodingName, Promise<void>>();
const caches = new Map<EncodingName, TokenCountCache>();

/** Loads an encoding's tables (once; concurrent callers share the same load). */
export function loadEncoding(name: EncodingName): Promise<void> {
  if (counters.has(name)) return Promise.resolve();
  let pending = loading.get(name);
  if (pending === undefined) {
    pending = importCounter(name).then(
      (counter) => {
        counters.set(name, counter);
        loading.delete(name);
      },
      (error: unknown) => {
        loading.delete(name);
        throw error;
      },
    );
    loading.set(name, pending);
  }
  return pending;
}

/** Loads the encoding that `countTokens(text, model)` needs. */
export function loadTokenizerFor(model: string): Promise<void> {
  return loadEncoding(tokenizerForModel(model).encoding);
}

/** Whether an encoding's tables are loaded, i.e. whether counting with it is synchronous. */
export function isEncodingLoaded(name: EncodingName): boolean {
  return counters.has(name);
}

/**
 * Counts the tokens of `text` for `model`: exact for OpenAI models, an o200k-based estimate with
 * a documented correction factor for Claude (see tokens-model.ts). Each distinct text is counted
 * once per encoding and then served from a bounded LRU. Throws if the encoding is not loaded yet
 * (a programming error: await `loadTokenizerFor(model)` first).
 */
export function countTokens(text: string, model: string): number {
  const choice = tokenizerForModel(model);
  const count = countWithEncoding(text, choice.encoding);
  return choice.factor === 1 ? count : Math.round(count * choice.factor);
}

/** Counts the tokens of `text` under one encoding, exactly, through the cache. */
export function countWithEncoding(text: string, encoding: EncodingName): number {
  if (text.length === 0) return 0;
  const counter = counters.get(encoding);
  if (counter === undefined) {
    throw new Error(`token encoding ${encoding} is not loaded; await loadEncoding() first`);
  }
  const cache = cacheFor(encoding);
  const cached = cache.get(text);
  if (cached !== undefined) return cached;
  if (counter.since + text.length > CLEAR_MERGE_CACHE_CHARS) {
    counter.clearCache();
    counter.since = 0;
  }
  counter.since += text.length;
  const counted = countInPieces(text, counter.count);
  cache.set(text, counted);
  return counted;
}

/*
 * gpt-tokenizer's BPE is quadratic (or worse) in the length of one pre-token, and runs on the
 * thread that serves requests: measured, a 70,000-character run of "é" takes 50 s and 35,000
 * emoji 68 s, while 512-character runs cost what ordinary text does. A run of one character
 * class longer than this is counted in pieces of this size: a cut moves the count by about one
 * token at most, and texts without such a run are counted exactly as before.
 */
const MAX_RUN = 512;

const LETTER = /[\p{L}\p{M}]/u;
const DIGIT = /\p{N}/u;
const SPACE = /\s/u;

/** 1 letters and marks, 2 digits (split into threes by the tokenizer anyway), 3 spaces, 4 other. */
const ASCII_CLASS = new Uint8Array(128).map((_, code) => {
  if ((code >= 97 && code <= 122) || (code >= 65 && code <= 90)) return 1;
  if (code >= 48 && code <= 57) return 2;
  return code === 32 || (code >= 9 && code <= 13) ? 3 : 4;
});

function charClass(code: number, text: string, i: number): number {
  if (code < 128) return ASCII_CLASS[code]!;
  const char = String.fromCodePoint(text.codePointAt(i)!);
  if (LETTER.test(char)) return 1;
  if (DIGIT.test(char)) return 2;
  return SPACE.test(char) ? 3 : 4;
}

function countInPieces(text: string, count: CountFn): number {
  let total = 0;
  let start = 0;
  let runClass = 0;
  let runLength = 0;
  for (let i = 0; i < text.length; ) {
    const code = text.charCodeAt(i);
    const width = code >= 0xd800 && code <= 0xdbff && i + 1 < text.length ? 2 : 1;
    const cls = charClass(code, text, i);
    if (cls !== runClass || cls === 2) {
      runClass = cls;
      runLength = 0;
    } else if (runLength >= MAX_RUN) {
      // Cut before this character, on a code point boundary.
      total += count(text.slice(start, i), PLAIN_TEXT);
      start = i;
      runLength = 0;
    }
    runLength += width;
    i += width;
  }
  return total + count(start === 0 ? text : text.slice(start), PLAIN_TEXT);
}

/** Loads the model's encoding if needed, then counts. */
export async function countTokensAsync(text: string, model: string): Promise<number> {
  await loadTokenizerFor(model);
  return countTokens(text, model);
}

/** Cache statistics of one encoding (hits, misses, entries), for tests and diagnostics. */
export function tokenCacheStats(encoding: EncodingName): {
  hits: number;
  misses: number;
  entries: number;
} {
  return cacheFor(encoding).stats();
}

/** Empties every count cache (tests). */
export function clearTokenCaches(): void {
  for (const cache of caches.values()) cache.clear();
}

function cacheFor(encoding: EncodingName): TokenCountCache {
  let cache = caches.get(encoding);
  if (cache === undefined) {
    cache = new TokenCountCache();
    caches.set(encoding, cache);
  }
  return cache;
}

/*
 * gpt-tokenizer keeps a merge cache of up to 100,000 pre-tokens and, once full, evicts the
 * oldest through `keys().next()`, which under Bun walks every deleted entry the map still holds:
 * after a few MB of varied tool output, counting ran 5 to 15 times slower (measured, 2 MB of logs
 * with unique ids: 0.7 s fresh, up to 9 s later). The cache itself pays (measured against none:
 * 2x on recorded tool outputs, 1.2-2.7x on JSON, 37x on long runs cut into equal pieces), so it
 * is emptied before it can fill: after this many counted characters (a pre-token is at least
 * one character, and single ASCII characters are never cached).
 */
const CLEAR_MERGE_CACHE_CHARS = 90_000;

/** The dynamic imports use literal specifiers so bundlers (bun build --compile) include them. */
async function importCounter(name: EncodingName): Promise<Counter> {
  switch (name) {
    case "o200k_base": {
      const module = await import("gpt-tokenizer/encoding/o200k_base");
      return { count: module.countTokens, clearCache: module.clearMergeCache, since: 0 };
    }
    case "cl100k_base": {
      const module = await import("gpt-tokenizer/encoding/cl100k_base");
      return { count: module.countTokens, clearCache: module.clearMergeCache, since: 0 };
    }
  }
}
