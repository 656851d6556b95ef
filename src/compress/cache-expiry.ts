/**
 * When a conversation's prompt cache has expired at the provider, judged from its own clock
 * (conversation-store.ts): the lifetime its requests ask for, a safety margin, and what the
 * provider's usage showed. Every doubt answers "still warm": compacting a warm cache would make
 * the provider write the whole prefix again, the one cost headroom must never cause.
 * @module
 */

import type { Usage } from "../core/usage.ts";
import type { ConversationState } from "./conversation-store.ts";
import type { GenerationApi } from "./slots.ts";

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** Anthropic's cache lives 5 minutes after its last use, 1 hour when `cache_control` asks so. */
const ANTHROPIC_TTL_MS = 5 * MINUTE_MS;
const ANTHROPIC_LONG_TTL_MS = HOUR_MS;
/**
 * OpenAI keeps an idle prefix "5 to 10 minutes, up to an hour off-peak": only the hour is sure;
 * `prompt_cache_retention: "24h"` keeps it up to a day.
 */
const OPENAI_TTL_MS = HOUR_MS;
const OPENAI_EXTENDED_TTL_MS = 24 * HOUR_MS;

/** The share of the lifetime added before a cache counts as expired (clock skew, network). */
const EXPIRY_MARGIN = 0.1;

/** The previous prompt's share the provider must have read for a cache to count as warm. */
const WARM_SHARE = 0.5;

// A key can only be structural JSON: inside a string value its quotes would be escaped. In a
// tool's input it errs towards the longer lifetime, which is the safe side.
const LONG_TTL = /"ttl"\s*:\s*"1h"/;
const EXTENDED_RETENTION = /"prompt_cache_retention"\s*:\s*"24h"/;

/**
 * The cache lifetime a request asks for, in milliseconds (`overrideMs` above 0 replaces the
 * provider's), or undefined where headroom does not know it (Gemini): never compacted then.
 */
export function requestedCacheTtlMs(
  api: GenerationApi,
  text: string,
  overrideMs: number,
): number | undefined {
  if (api === "gemini") return undefined;
  if (overrideMs > 0) return overrideMs;
  if (api === "messages") return LONG_TTL.test(text) ? ANTHROPIC_LONG_TTL_MS : ANTHROPIC_TTL_MS;
  return EXTENDED_RETENTION.test(text) ? OPENAI_EXTENDED_TTL_MS : OPENAI_TTL_MS;
}

/**
 * True when the conversation's cache has surely expired by `nowMs`: longer than the lifetime its
 * last request and this one ask for (and than any idle gap after which the provider was seen
 * still reading it), plus the margin, since its last exchange ended. Unknown usage of the last
 * turn is a doubt, so the cache counts as warm.
 */
export function cacheExpired(state: ConversationState, nowMs: number, ttlMs: number): boolean {
  if (state.cacheReadTokens === undefined || state.inputTokens === undefined) return false;
  const lifetime = Math.max(ttlMs, state.ttlMs, state.warmGapMs);
  return nowMs - state.lastRequestAt > lifetime * (1 + EXPIRY_MARGIN);
}

/** One finished exchange of a conversation, as its clock records it. */
export interface ConversationTurn {
  readonly provider: string;
  readonly ttlMs: number;
  /** Epoch milliseconds when it started and ended. */
  readonly startedAt: number;
  readonly endedAt: number;
  readonly usage: Usage;
  /** Its history was compacted (its prompt differs from the cached one on purpose). */
  readonly compacted: boolean;
}

/**
 * The conversation's clock after `turn`. An idle gap after which the provider still read most
 * of the previous prompt from its cache is remembered: the cache outlives the assumed lifetime
 * there (another client keeping it warm, a longer retention), so such a gap is never taken for
 * an expiry again.
 */
export function afterTurn(
  previous: ConversationState | undefined,
  turn: ConversationTurn,
): ConversationState {
  const read = turn.usage.cacheReadTokens;
  let warmGapMs = previous?.warmGapMs ?? 0;
  if (previous?.inputTokens && read !== undefined && !turn.compacted) {
    if (read >= previous.inputTokens * WARM_SHARE)
      warmGapMs = Math.max(warmGapMs, turn.startedAt - previous.lastRequestAt);
  }
  return {
    lastRequestAt: Math.max(turn.endedAt, previous?.lastRequestAt ?? 0),
    ttlMs: turn.ttlMs,
    provider: turn.provider,
    inputTokens: turn.usage.inputTokens,
    cacheReadTokens: read,
    warmGapMs,
    compactions: (previous?.compactions ?? 0) + (turn.compacted ? 1 : 0),
  };
}
