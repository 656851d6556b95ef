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

/*
 * Special-token strings such as "<|endoftext|>" that appear inside tool output are counted as
 * ordinary text (what the provider does with user content); gpt-tokenizer's default would throw.
 */
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

const counters = new Map<EncodingName, CountFn>();
const loading = new Map<EncodingName, Promise<void>>();
const caches = new Map<EncodingName, TokenCountCache>();

/** Loads an encoding's tables (once; concurrent callers share the same load). */
export function loadEncoding(name: EncodingName): Promise<void> {
  if (counters.has(name)) return Promise.resolve();
  let pending = loading.get(name);
  if (pending === undefined) {
    pending = importCounter(name).then(
      (count) => {
        counters.set(name, count);
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
  const count = counters.get(encoding);
  if (count === undefined) {
    throw new Error(`token encoding ${encoding} is not loaded; await loadEncoding() first`);
  }
  const cache = cacheFor(encoding);
  const cached = cache.get(text);
  if (cached !== undefined) return cached;
  const counted = count(text, PLAIN_TEXT);
  cache.set(text, counted);
  return counted;
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

/** The dynamic imports use literal specifiers so bundlers (bun build --compile) include them. */
async function importCounter(name: EncodingName): Promise<CountFn> {
  switch (name) {
    case "o200k_base": {
      const module = await import("gpt-tokenizer/encoding/o200k_base");
      return module.countTokens;
    }
    case "cl100k_base": {
      const module = await import("gpt-tokenizer/encoding/cl100k_base");
      return module.countTokens;
    }
  }
}
