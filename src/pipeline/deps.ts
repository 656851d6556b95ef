/**
 * What the request pipeline needs from the outside world. Everything arrives through interfaces
 * (stores, runners, fetch), so the pipeline never knows a concrete store or the runtime.
 * @module
 */

import type { HiddenCallStore } from "../ccr/hidden-calls.ts";
import type { OriginalStore } from "../ccr/original-store.ts";
import type { CompressRunner } from "../compress/compress-job.ts";
import type { DecisionStore } from "../compress/decisions.ts";
import type { TokenRunner } from "../compress/token-job.ts";
import type { BodyDecoder } from "../core/body.ts";
import type { ProxyConfig } from "../core/config.ts";
import type { Exchange } from "../core/exchange.ts";
import type { Logger } from "../core/logger.ts";
import type { RateLimiter } from "../core/rate-limiter.ts";
import type { ConversationClocks } from "./conversation-clocks.ts";
import type { ResponseCache } from "./response-cache.ts";

/** Dependencies of the request pipeline. */
export interface PipelineDeps {
  /** The effective configuration (live: read it per request, never cache it). */
  readonly config: ProxyConfig;
  /** The fetch used for every upstream call. */
  readonly fetch: (input: string, init: RequestInit) => Promise<Response>;
  readonly decodeBody: BodyDecoder;
  readonly log: Logger;
  /** Waits `ms`, ending early (rejecting) when `signal` aborts. Defaults to a timer. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** A number in [0, 1) for retry jitter. Defaults to Math.random. */
  readonly random?: () => number;
  /** Originals of lossy compressions, retrievable by their marker hash. */
  readonly originals: OriginalStore;
  /** Retrieve calls hidden from replies that also called the client's tools, to put back later. */
  readonly hiddenCalls: HiddenCallStore;
  /** The replay memory of compression decisions. */
  readonly decisions: DecisionStore;
  /** When each conversation's provider cache expires (none: its history is never compacted). */
  readonly conversationClocks?: ConversationClocks | undefined;
  /** SHA-256 of a string's UTF-8 bytes as 64 hex digits (native when the runtime has one). */
  readonly sha256: (text: string) => string;
  /** Runs new compressions: a worker pool off the event loop; in this thread when absent. */
  readonly compress?: CompressRunner | undefined;
  /** Counts a compressed request's exact tokens: in the pool's worker; in this thread when absent. */
  readonly countTokens?: TokenRunner | undefined;
  /** The response cache, when switched on (--cache). */
  readonly responseCache?: ResponseCache | undefined;
  /** Per-client rate limiting (active when HEADROOM_RATE_LIMIT_RPM is above 0). */
  readonly rateLimiter: RateLimiter;
  /** More observers of every finished exchange (tests); the ledger is always one. */
  readonly onExchange?: ReadonlyArray<(exchange: Exchange) => void>;
}
