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
 *
 * With a lifetime (`ttlMs`), a cached prefix expires that long after its last use (a read or a
 * write), as both providers' caches do; without one it never expires.
 */

/** When cached prefixes expire: `ttlMs` after their last use, on `now`'s clock. */
export interface CacheLifetime {
  readonly ttlMs: number;
  readonly now: () => number;
}

/** Last use per prefix, and whether a prefix is still alive. */
class Uses {
  readonly #at = new Map<bigint, number>();
  constructor(readonly lifetime: CacheLifetime | undefined) {}

  alive(chain: bigint): boolean {
    const at = this.#at.get(chain);
    if (at === undefined) return false;
    return !this.lifetime || this.lifetime.now() - at <= this.lifetime.ttlMs;
  }

  use(chain: bigint): void {
    this.#at.set(chain, this.lifetime?.now() ?? 0);
  }
}

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
  /** Written prefixes, by the chain hash of their last segment, and when each was last used. */
  private readonly written: Uses;

  constructor(lifetime?: CacheLifetime) {
    this.written = new Uses(lifetime);
  }

  /** Charges `prompt` and records the prefixes it writes. */
  charge(prompt: Rendered): Bill {
    let length = 0;
    let read = 0;
    let readChain: bigint | undefined;
    let lastBreakpoint = 0;
    for (const segment of prompt.segments) {
      length += segment.tokens;
      if (this.written.alive(segment.chain)) {
        read = length;
        readChain = segment.chain;
      }
      if (segment.breakpoint) lastBreakpoint = length;
    }
    if (readChain !== undefined) this.written.use(readChain);
    for (const segment of prompt.segments) {
      if (segment.breakpoint) this.written.use(segment.chain);
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
  /** When each prefix was last used: an expired one has no followers any more. */
  private readonly uses: Uses;

  constructor(lifetime?: CacheLifetime) {
    this.uses = new Uses(lifetime);
    this.uses.use(0n);
  }

  /** Charges `prompt` and remembers it for later requests. */
  charge(prompt: Rendered): Bill {
    let shared = 0;
    let previous = 0n;
    for (const segment of prompt.segments) {
      const next = this.followers.get(previous);
      if (next === undefined || (previous !== 0n && !this.uses.alive(previous))) break;
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
      // An expired prefix starts afresh: what followed it is gone with it.
      if (next === undefined || (previous !== 0n && !this.uses.alive(previous))) {
        next = new Set();
        this.followers.set(previous, next);
      }
      this.uses.use(previous);
      next.add(segment.text);
      previous = segment.chain;
    }
    this.uses.use(previous);
    const cached =
      shared < OPENAI_MIN_CACHED
        ? 0
        : OPENAI_MIN_CACHED + Math.floor((shared - OPENAI_MIN_CACHED) / OPENAI_STEP) * OPENAI_STEP;
    return bill(prompt.tokens, cached, 0);
  }
}
