/**
 * The record of one request through the proxy: filled in as the request is handled (only through
 * src/pipeline/recorder.ts) and handed to the observers (log line, ledger) exactly once when it
 * ends (src/pipeline/finish-exchange.ts).
 * @module
 */

import type { Api, Provider } from "./api.ts";
import type { Usage } from "./usage.ts";

/** How a request ended. */
export type ExchangeOutcome =
  /** The upstream answered 2xx and the whole answer reached the client. */
  | "ok"
  /** The upstream answered 4xx/5xx, relayed as is. */
  | "upstream_error"
  /** headroom refused the request before forwarding it (400/401/413/...). */
  | "rejected"
  /** The upstream could not be reached, timed out, or failed mid-answer. */
  | "failed"
  /** The client went away first. */
  | "aborted"
  /** A local route (health, stats, control plane): not a data-plane request. */
  | "local";

/** Everything known about one request; written only by src/pipeline/recorder.ts. */
export interface Exchange {
  readonly id: string;
  /** Wall-clock start, milliseconds since the epoch. */
  readonly startedAt: number;
  /** Monotonic start, from performance.now(). */
  readonly startMark: number;
  readonly method: string;
  readonly path: string;
  readonly api?: Api;
  readonly provider?: Provider;
  readonly model?: string;
  readonly stream: boolean;
  readonly status: number;
  readonly outcome: ExchangeOutcome;
  readonly bytesIn: number;
  readonly bytesOut: number;
  /** Proxy time before the upstream call was sent. */
  readonly overheadMs?: number;
  readonly ttfbMs?: number;
  readonly durationMs?: number;
  readonly usage: Usage;
  /** Exact whole-request tokens before and after compression (set only when compressed). */
  readonly tokensBefore?: number;
  readonly tokensAfter?: number;
  readonly tokensSaved?: number;
  /** Exact tokens of the tool outputs that were candidates for compression. */
  readonly compressibleTokens?: number;
  /** The strategies applied to this request's tool outputs. */
  readonly transforms: string[];
  /** Time spent deciding and applying compression. */
  readonly compressionMs?: number;
  /** Tool outputs that were candidates for compression when it was planned. */
  readonly candidateCount?: number;
  /** Set on a Codex WebSocket turn: the size of the frame as it went upstream. */
  readonly socketFrame?: { readonly bytesSent: number };
  /** True when compression failed and the original was forwarded (fail open). */
  readonly compressionFailed?: boolean;
  /** Tool outputs sent whole because their compression did not finish within the budget. */
  readonly overBudget?: number;
  /** True when headroom's response cache answered it. */
  readonly cached?: boolean;
  /** Who sent it (data-plane requests): agent, user agent, project, stack. */
  readonly client?: {
    agent: string;
    userAgent: string | null;
    project: string | null;
    stack: string | null;
    /** The kind of sign-in (credentials.ts `authLabel`), once the request was routed. */
    auth: string | null;
    /** What the caller said about itself: x-headroom-user-id, -cwd, and other tags (JSON). */
    userId?: string | null;
    cwd?: string | null;
    tags?: string | null;
  };
  /** The request's text, kept to estimate its input tokens when the upstream reports none. */
  readonly inputText?: string;
  /** The tool outputs compressed in this request, with exact token counts (for the live feed). */
  readonly compressions?: {
    tool: string | null;
    strategy: string;
    tokensBefore: number;
    tokensAfter: number;
    lossy: boolean;
    replayed: boolean;
    original?: string;
    compressed?: string;
  }[];
  /** Output-shaping labels of this request. */
  readonly shaping?: string[];
  /** How many headroom_retrieve calls the proxy answered for this request. */
  readonly retrievals?: number;
  /** Why headroom made the provider rewrite its cached prompt prefix, if it did. */
  readonly cacheRewrite?: string;
  /**
   * The conversation whose prompt cache this request extends (generation requests headroom
   * rewrote): its hashed identity, the cache lifetime asked for, and whether the cache had
   * expired so its history was decided again.
   */
  readonly conversation?: {
    readonly id: string;
    readonly ttlMs: number | undefined;
    /** Epoch milliseconds when it started, on the conversation clocks' clock. */
    readonly startedAt: number;
    readonly expired: boolean;
  };
  /**
   * What this conversation's own decisions (its compacted history) did to this request:
   * outputs compacted now and the estimated tokens that removed, and the estimated tokens all
   * of them removed beyond the shared decisions (this turn's compaction included).
   */
  readonly compaction?: {
    readonly slots: number;
    readonly tokensRemoved: number;
    readonly tokensSaved: number;
  };
  /** Marker hashes this request's tool outputs carry. */
  readonly markerHashes: string[];
  /** Work still running for the record (exact token counting); finishing waits for it. */
  readonly accounting?: Promise<void>;
  readonly error?: string;
  /** True while a relayed body is still flowing; its end finishes the exchange. */
  readonly pending: boolean;
}

let counter = 0;

/** Starts the record of a request. */
export function startExchange(method: string, path: string): Exchange {
  counter = (counter + 1) % 1_000_000;
  const startedAt = Date.now();
  return {
    id: `hr_${startedAt.toString(36)}_${counter.toString(36)}`,
    startedAt,
    startMark: performance.now(),
    method,
    path,
    stream: false,
    status: 0,
    outcome: "local",
    bytesIn: 0,
    bytesOut: 0,
    usage: {},
    transforms: [],
    markerHashes: [],
    pending: false,
  };
}

/** Milliseconds since the exchange started, to 0.01 ms. */
export function elapsedMs(exchange: Exchange): number {
  return Math.round((performance.now() - exchange.startMark) * 100) / 100;
}
