/**
 * The observability routes: /stats (anyone; recent requests only for loopback callers),
 * /stats-history, /metrics, and the loopback-only /transformations/feed and /stats/reset.
 * @module
 */

import { join } from "node:path";
import { Hono } from "hono";
import { historyCsv, historyJson, parseHistoryQuery } from "../stats/history.ts";
import { type MetricsExtras, prometheusText } from "../stats/prometheus.ts";
import { queryBoolean, validationResponse } from "../stats/query-errors.ts";
import { recentRequests, requestLogs, statsJson } from "../stats/stats-json.ts";
import type { StatsService } from "../stats/stats-service.ts";
import type { AppDeps } from "./deps.ts";
import type { HeadroomEnv } from "./hono-env.ts";
import { isLocalRequest, localOnly } from "./local-only.ts";

// ?cached=true serves a snapshot at most this old.
const SNAPSHOT_MS = 2000;

/** Extra /stats sections other parts of the proxy contribute (the CCR store, the response cache). */
export type StatsExtras = () => Record<string, unknown>;

/** What /metrics shows about the stores and inbound requests, read at each scrape. */
export type StoreMetrics = () => Pick<MetricsExtras, "stores" | "ccr" | "inbound">;

/**
 * The compression settings under the original's `config` names, for loopback callers. Settings
 * headroom does not have (savings profiles, target ratios, Kompress) are null.
 */
function compressionConfig(deps: AppDeps) {
  const config = deps.config;
  return {
    optimize: config.optimize,
    savings_profile: null,
    target_ratio: null,
    target_savings_percent: null,
    compress_user_messages: false,
    compress_system_messages: false,
    min_tokens_to_crush: config.minTokens,
    exclude_tools: [...config.excludeTools],
    ccr_ttl_seconds: config.ccrTtlSeconds,
    output_shaper: config.outputShaper,
    cache: config.cache,
    rate_limit_rpm: config.rateLimitRpm,
  };
}

/** Creates the observability routes. */
export function statsRoutes(
  deps: AppDeps,
  stats: StatsService,
  extras: StatsExtras,
  storeMetrics: StoreMetrics,
): Hono<HeadroomEnv> {
  const app = new Hono<HeadroomEnv>();
  const startedAt = performance.now();
  let snapshot: { at: number; body: Record<string, unknown> } | undefined;

  app.get("/stats", (c) => {
    const cached = queryBoolean("cached", c.req.query("cached") ?? "false");
    if (typeof cached !== "boolean") return validationResponse([cached]);
    const now = performance.now();
    if (!cached || !snapshot || now - snapshot.at > SNAPSHOT_MS) {
      stats.syncOtherWriters();
      snapshot = { at: now, body: statsJson(stats, extras(), deps.prices) };
    }
    // Recent requests are for this machine only, and always fresh.
    if (!isLocalRequest(c.req.raw, c.env?.remoteAddress)) return c.json(snapshot.body);
    return c.json({
      ...snapshot.body,
      recent_requests: recentRequests(stats),
      request_logs: requestLogs(stats),
      config: compressionConfig(deps),
    });
  });

  app.get("/stats-history", (c) => {
    const query = parseHistoryQuery(new URL(c.req.url).searchParams);
    if (Array.isArray(query)) return validationResponse(query);
    stats.syncOtherWriters();
    if (query.format === "csv") {
      const { filename, body } = historyCsv(stats, query);
      return new Response(body, {
        headers: {
          "content-type": "text/csv; charset=utf-8",
          "content-disposition": `attachment; filename="${filename}"`,
        },
      });
    }
    return c.json(
      historyJson(stats, query, {
        path: deps.config.stateless ? null : join(deps.config.workspaceDir, "headroom.sqlite"),
        days: deps.config.ledgerRetentionDays,
        maxRows: deps.config.ledgerMaxRows,
      }),
    );
  });

  app.get("/metrics", () => {
    stats.syncOtherWriters();
    const text = prometheusText(stats.session, stats.lifetime(), {
      uptimeSeconds: Math.round(performance.now() - startedAt) / 1000,
      version: deps.version,
      ...storeMetrics(),
    });
    return new Response(text, {
      headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8" },
    });
  });

  app.get("/transformations/feed", localOnly(), (c) => {
    const limit = Math.max(1, Math.min(200, Number(c.req.query("limit") ?? 50) || 50));
    const events = stats.feed.slice(-limit).reverse();
    return c.json({
      transformations: events.map((event) => ({
        timestamp: new Date(event.ts).toISOString(),
        request_id: event.requestId,
        provider: event.provider,
        model: event.model,
        tool: event.tool,
        strategy: event.strategy,
        tokens_before: event.tokensBefore,
        tokens_after: event.tokensAfter,
        tokens_saved: event.tokensBefore - event.tokensAfter,
        lossy: event.lossy,
        ...(deps.config.logMessages
          ? { original: event.original ?? null, compressed: event.compressed ?? null }
          : {}),
      })),
      log_messages: deps.config.logMessages,
    });
  });

  app.post("/stats/reset", localOnly(), (c) => {
    stats.reset();
    snapshot = undefined;
    return c.json({
      status: "reset",
      session_started_at: new Date(stats.sessionStartedAt).toISOString(),
    });
  });

  return app;
}
