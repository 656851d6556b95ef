/**
 * Prompt-cache billing the way the two providers charge it, on rendered prompts (see render.ts).
 * Costs are in input-token units: an uncached token costs 1, a cache read 0.1, and (Anthropic
 * only) a token written to the cache 1.25.
 *
 * - Anthropic caches what the client marks: each `cache_control` breakpoint writes the prompt up
 *   to it. A later request reads the longest written prefix it repeats byte for byte; the part
 *   after that up to its last breakpoint is written (1.25×), the rest is plain input.
 * - OpenAI caches automatically: the longest prefix shared with any earlier request is read,
 *   counted in 128-token steps from 1,024 tokens; everything else is plain input.
 */

import { countWithEncoding } from "../../src/compress/tokens.ts";
import type { Rendered } from "./render.ts";

export const READ_PRICE = 0.1;
export const WRITE_PRICE = 1.25;
/** OpenAI caches nothing below this many shared tokens, and beyond it in steps of {@link OPENAI_STEP}. */
export const OPENAI_MIN_CACHED = 1024;
export const OPENAI_STEP = 128;

/** What one request was charged. */
export interface Bill {
  /** All input tokens of the request. */
  readonly total: number;
  readonly cacheRead: number;
  readonly cacheWrite: number;
  /** Input tokens neither read from nor written to the cache. */
  readonly uncached: number;
  /** uncached + 0.1 × reads + 1.25 × writes. */
  readonly units: number;
}

function bill(total: number, cacheRead: number, cacheWrite: number): Bill {
  const uncached = total - cacheRead - cacheWrite;
  return {
    total,
    cacheRead,
    cacheWrite,
    uncached,
    units: uncached + READ_PRICE * cacheRead + WRITE_PRICE * cacheWrite,
  };
}

/** One Anthropic cache (one organisation's, for one model). */
export class AnthropicCache {
  /** Written prefixes: the chain hash of their last segment → their length in tokens. */
  private readonly written = new Map<bigint, number>();

  /** Charges `prompt` and records the prefixes it writes. */
  charge(prompt: Rendered): Bill {
    let length = 0;
    let read = 0;
    let lastBreakpoint = 0;
    for (const segment of prompt.segments) {
      length += segment.tokens;
      if (this.written.has(segment.chain)) read = length;
      if (segment.breakpoint) lastBreakpoint = length;
    }
    length = 0;
    for (const segment of prompt.segments) {
      length += segment.tokens;
      if (segment.breakpoint) this.written.set(segment.chain, length);
    }
    return bill(prompt.tokens, read, Math.max(0, lastBreakpoint - read));
  }
}

/** The tokens of the longest common beginning of two texts. */
function sharedTokens(a: string, b: string): number {
  const limit = Math.min(a.length, b.length);
  let i = 0;
  while (i < limit && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  // A token straddling the first difference is not shared; counting the shared characters alone
  // may overcount it by one, which the 128-token steps absorb.
  return i === 0 ? 0 : countWithEncoding(a.slice(0, i), "o200k_base");
}

/** One OpenAI cache (automatic prefix caching, shared by every earlier request). */
export class OpenAICache {
  /** For every prefix seen (by the chain hash of its last segment; 0n for none), the segments that followed it. */
  private readonly followers = new Map<bigint, Set<string>>();

  /** Charges `prompt` and remembers it for later requests. */
  charge(prompt: Rendered): Bill {
    let shared = 0;
    let previous = 0n;
    for (const segment of prompt.segments) {
      const next = this.followers.get(previous);
      if (next === undefined) break;
      if (next.has(segment.text)) {
        shared += segment.tokens;
        previous = segment.chain;
        continue;
      }
      let partial = 0;
      for (const text of next) partial = Math.max(partial, sharedTokens(segment.text, text));
      shared += Math.min(partial, segment.tokens);
      break;
    }
    previous = 0n;
    for (const segment of prompt.segments) {
      let next = this.followers.get(previous);
      if (next === undefined) {
        next = new Set();
        this.followers.set(previous, next);
      }
      next.add(segment.text);
      previous = segment.chain;
    }
    const cached =
      shared < OPENAI_MIN_CACHED
        ? 0
        : OPENAI_MIN_CACHED + Math.floor((shared - OPENAI_MIN_CACHED) / OPENAI_STEP) * OPENAI_STEP;
    return bill(prompt.tokens, cached, 0);
  }
}
