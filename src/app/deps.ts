/**
 * What the app needs from the outside world, injected so tests can drive it with `app.request()`
 * and a fake upstream, and so the app never reaches for globals.
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
import type { RuntimeSettings } from "../core/runtime-settings.ts";
import type { PriceTable } from "../stats/prices.ts";
import type { StatsService } from "../stats/stats-service.ts";
import type { ResponseCache } from "./response-cache.ts";

/** The process lifecycle as the probes report it. */
export interface Lifecycle {
  state: "starting" | "ready" | "stopping";
}

/** Dependencies of {@link createApp}. */
export interface AppDeps {
  /** The effective configuration (live: read it per request, never cache it). */
  readonly config: ProxyConfig;
  /** The live settings behind `config`, changed through /admin/runtime-env. */
  readonly settings: RuntimeSettings;
  readonly version: string;
  /** The fetch used for every upstream call. */
  readonly fetch: (input: string, init: RequestInit) => Promise<Response>;
  readonly decodeBody: BodyDecoder;
  readonly log: Logger;
  readonly lifecycle: Lifecycle;
  readonly pid: number;
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
  /** The ledger and the views over it. */
  readonly stats: StatsService;
  /** List prices for dollar figures. */
  readonly prices: PriceTable;
  /** The dashboard page served at /dashboard (the CLI embeds it; absent means no dashboard). */
  readonly dashboardHtml?: string | undefined;
  /** More observers of every finished exchange (tests); the ledger is always one. */
  readonly onExchange?: ReadonlyArray<(exchange: Exchange) => void>;
}

/** Per-request facts only the server knows, passed as Hono's env by the runtime entry. */
export interface ConnEnv {
  /** The peer's IP address; absent means unknown, which is never treated as loopback. */
  remoteAddress?: string;
  /** Lifts the server's idle timeout for this request, so quiet streams are not cut. */
  disableIdleTimeout?: () => void;
}
