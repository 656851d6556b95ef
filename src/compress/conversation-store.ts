/**
 * What headroom remembers about one conversation between its requests, to tell when the
 * provider's prompt cache of it has expired: when its last upstream request ended, the cache
 * lifetime that request asked for, and what the provider said it read from the cache. Declared
 * here, implemented in `store/` (memory, SQLite) behind a guard; async so a networked store fits.
 * @module
 */

import type { StoreReport } from "../core/store-health.ts";

/** One conversation's cache clock. */
export interface ConversationState {
  /** Epoch milliseconds when its last upstream exchange ended (the cache was used by then). */
  readonly lastRequestAt: number;
  /** The cache lifetime that request asked for, in milliseconds. */
  readonly ttlMs: number;
  readonly provider: string;
  /** The last request's whole prompt and the part the provider read from its cache (undefined: not reported). */
  readonly inputTokens: number | undefined;
  readonly cacheReadTokens: number | undefined;
  /** The longest idle gap after which the provider still read most of the prompt from cache. */
  readonly warmGapMs: number;
  /** How many times its history was compacted. */
  readonly compactions: number;
}

/** Where conversation states live, keyed by the conversation's hashed identity. */
export interface ConversationStore {
  get(id: string): Promise<ConversationState | undefined>;
  put(id: string, state: ConversationState): Promise<void>;
  /** Its health, when it watches it (a guarded store does). */
  report?(): StoreReport;
}
