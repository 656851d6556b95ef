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

/** Everything known about one request; mutated while it is handled, then frozen. */
export interface Exchange {
  readonly id: string;
  /** Wall-clock start, milliseconds since the epoch. */
  readonly startedAt: number;
  /** Monotonic start, from performance.now(). */
  readonly startMark: number;
  readonly method: string;
  readonly path: string;
  api?: Api;
  provider?: Provider;
  model?: string;
  stream: boolean;
  status: number;
  outcome: ExchangeOutcome;
  bytesIn: number;
  bytesOut: number;
  /** Proxy time before the upstream call was sent. */
  overheadMs?: number;
  ttfbMs?: number;
  durationMs?: number;
  usage: Usage;
  /** Exact whole-request tokens before and after compression (set only when compressed). */
  tokensBefore?: number;
  tokensAfter?: number;
  tokensSaved?: number;
  /** Exact tokens of the tool outputs that were candidates for compression. */
  compressibleTokens?: number;
  /** The strategies applied to this request's tool outputs. */
  transforms: string[];
  /** Time spent deciding and applying compression. */
  compressionMs?: number;
  /** True when compression failed and the original was forwarded (fail open). */
  compressionFailed?: boolean;
  /** Tool outputs sent whole because their compression did not finish within the budget. */
  overBudget?: number;
  /** True when headroom's response cache answered it. */
  cached?: boolean;
  /** Who sent it (data-plane requests): agent, user agent, project, stack. */
  client?: {
    agent: string;
    userAgent: string | null;
    project: string | null;
    stack: string | null;
  };
  /** headroom's estimate of the request's input tokens, for streams that report no usage. */
  estimateInput?: () => number;
  /** The tool outputs compressed in this request, with exact token counts (for the live feed). */
  compressions?: {
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
  shaping?: string[];
  /** How many headroom_retrieve calls the proxy answered for this request. */
  retrievals?: number;
  /** Why headroom made the provider rewrite its cached prompt prefix, if it did. */
  cacheRewrite?: string;
  /** Marker hashes this request's tool outputs carry. */
  markerHashes: string[];
  /** Work still running for the record (exact token counting); finishing waits for it. */
  accounting?: Promise<void>;
  error?: string;
  /** True while a relayed body is still flowing; its end finishes the exchange. */
  pending: boolean;
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
