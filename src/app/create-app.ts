/**
 * Builds the headroom app from its dependencies. It never listens: a runtime entry serves it,
 * and tests drive it with `app.request()`.
 * @module
 */

import { Hono } from "hono";
import { providerForCredentials, providerForPath } from "../core/api.ts";
import { type Exchange, startExchange } from "../core/exchange.ts";
import { answerFailure } from "../pipeline/answer-failure.ts";
import { ConversationClocks } from "../pipeline/conversation-clocks.ts";
import { exchangeRecorder } from "../pipeline/ledger-observer.ts";
import { SocketCount } from "../pipeline/socket-count.ts";
import { UpstreamHealth } from "../pipeline/upstream-health.ts";
import { feedbackLoop } from "../stats/feedback-loop.ts";
import { outputShapingFigures } from "../stats/output-shaping.ts";
import { StatsService } from "../stats/stats-service.ts";
import { guardStores, type StoreUpkeep } from "../store/guard-stores.ts";
import { MemoryDecisionStore } from "../store/memory-decision-store.ts";
import { adminRoutes } from "./admin-routes.ts";
import { compressRoute } from "./compress-route.ts";
import { dashboardRoute } from "./dashboard-route.ts";
import { debugRoutes } from "./debug-routes.ts";
import type { AppDeps, AppInputs } from "./deps.ts";
import { directRoutes, edge, refuseEarly } from "./edge.ts";
import { healthRoutes } from "./health-routes.ts";
import type { HeadroomEnv } from "./hono-env.ts";
import { InboundCount } from "./inbound-count.ts";
import { notFoundResponse } from "./local-only.ts";
import { withoutProjectPrefix } from "./project-prefix.ts";
import { directProxyRoutes, proxyRoutes } from "./proxy-routes.ts";
import { retrieveRoutes } from "./retrieve-routes.ts";
import { statsRoutes } from "./stats-routes.ts";
import { type StoreReporters, storeErrorCounts, storeReports } from "./store-reports.ts";
import { unsupportedRoutes } from "./unsupported-routes.ts";

/** The app and the state the runtime entry may want to observe. */
export interface HeadroomApp {
  readonly app: Hono<HeadroomEnv>;
  readonly upstreamHealth: UpstreamHealth;
  /** The stores that report their health (in /health, /stats and /metrics), by name. */
  readonly stores: StoreReporters;
  /** The stores' periodic purge and flush, for the entry that owns the process to schedule. */
  readonly upkeep: StoreUpkeep;
  /** The ledger's views: what /stats, /metrics and the dashboard read. */
  readonly stats: StatsService;
  /** Answers a request the server refuses before routing it (recorded like the app's own). */
  refuse(request: Request, status: number, message: string): Response;
}

/** The /stats sections about other parts of the proxy. */
function statsExtras(deps: AppDeps, stores: StoreReporters): Record<string, unknown> {
  const ccr = deps.originals.stats();
  const cache = deps.responseCache?.stats();
  return {
    // The original Headroom calls its response cache "semantic"; this one matches exactly.
    semantic_cache: cache
      ? {
          enabled: true,
          mode: "exact",
          entries: cache.entries,
          bytes: cache.bytes,
          max_bytes: cache.maxBytes,
          ttl_seconds: cache.ttlSeconds,
          hits: cache.hits,
          misses: cache.misses,
          stores: cache.stores,
        }
      : { enabled: false },
    // The original's name and figures for the same cache: null when it is off.
    cache: cache
      ? {
          entries: cache.entries,
          total_hits: cache.hits,
          total_misses: cache.misses,
          ttl_seconds: cache.ttlSeconds,
          max_bytes: cache.maxBytes,
        }
      : null,
    output_shaping: outputShapingFigures(deps.stats.session, deps.config.outputShaper),
    rate_limiter:
      deps.config.rateLimitRpm > 0 ? { requests_per_minute: deps.config.rateLimitRpm } : null,
    compression: {
      ccr_entries: ccr.entries,
      ccr_bytes: ccr.bytes,
      ccr_retrievals: ccr.hits,
      ccr_misses: ccr.misses,
      ccr_ttl_seconds: ccr.ttlSeconds,
    },
    feedback_loop: feedbackLoop(deps.stats.toolCompressions, ccr.retrievalsByTool),
    stores: storeReports(stores),
    store_errors: storeErrorCounts(stores),
  };
}

/** Creates the app. */
export function createApp(given: AppInputs): HeadroomApp {
  // The composition root: the one place that knows the stores' guards.
  const guarded = guardStores(given, given.log);
  const team = given.team;
  const stores = team?.report
    ? [...guarded.reporting, ["team_ledger", () => team.report!()] as const]
    : guarded.reporting;
  const stats = new StatsService(guarded.ledger);
  const clocks = new ConversationClocks(guarded.conversations, given.sha256, given.wallClock);
  const deps: AppDeps = {
    ...given,
    // Live: every read gives the settings' current configuration.
    get config() {
      return given.config;
    },
    originals: guarded.originals,
    decisions: guarded.decisions,
    conversationClocks: clocks,
    stats,
    onExchange: [
      exchangeRecorder(stats, given.prices, team),
      (exchange) => void clocks.finish(exchange),
      ...(given.onExchange ?? []),
    ],
  };
  const upstreamHealth = new UpstreamHealth();
  const sockets = new SocketCount();
  const app = new Hono<HeadroomEnv>();
  const inbound = new InboundCount();
  app.use("*", edge(deps));
  app.route("/", healthRoutes(deps, upstreamHealth, stores, sockets));
  // Its own decisions: what an SDK compresses must never change what the proxy replays.
  app.route("/", compressRoute(deps, new MemoryDecisionStore(10_000)));
  app.route("/", retrieveRoutes(deps));
  app.route(
    "/",
    statsRoutes(
      deps,
      deps.stats,
      () => statsExtras(deps, stores),
      () => ({
        stores: storeReports(stores),
        ccr: deps.originals.stats(),
        inbound: { ...inbound.figures(), webSockets: sockets.active },
      }),
    ),
  );
  app.route("/", adminRoutes(deps));
  app.route("/", debugRoutes(deps));
  if (deps.dashboardHtml !== undefined) app.route("/", dashboardRoute(deps.dashboardHtml));
  app.route("/", unsupportedRoutes());
  app.route("/", proxyRoutes(deps, upstreamHealth, sockets));
  app.notFound((c) => notFoundResponse(c.req.raw));
  // Errors no route caught: the same mapping as the pipeline's (logged, recorded, a 500).
  const answerUncaught = (error: unknown, request: Request, path: string, exchange: Exchange) => {
    const provider = providerForPath(path) ?? providerForCredentials(request.headers);
    return answerFailure(deps.log, exchange, provider, error);
  };
  app.onError((error, c) => answerUncaught(error, c.req.raw, c.req.path, c.get("exchange")));
  // The generation routes skip the router: every caller of app.fetch (the servers, and tests
  // through app.request) gets them, with the same edge and error mapping as the routed ones.
  const direct = directRoutes(deps, directProxyRoutes(deps, upstreamHealth), (error, request) =>
    answerUncaught(error, request.raw, request.path, request.exchange),
  );
  const routed = app.fetch;
  app.fetch = (request, env, executionCtx) =>
    inbound.track(() => {
      const unprefixed = withoutProjectPrefix(request);
      return direct(unprefixed, env) ?? routed(unprefixed, env, executionCtx);
    });
  const refuse = (request: Request, status: number, message: string): Response => {
    const path = new URL(request.url).pathname;
    return refuseEarly(deps, startExchange(request.method, path), request, path, status, message);
  };
  return { app, upstreamHealth, stores, stats, upkeep: guarded.upkeep, refuse };
}
