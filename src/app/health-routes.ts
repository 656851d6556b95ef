/**
 * The probes: /livez (the process answers), /readyz (ready to serve; 503 while starting and once
 * shutdown begins) and /health (status, version, uptime and upstream health; `degraded` names any
 * failing store; a loopback caller also gets each store's health, the effective configuration and
 * the pid, which `headroom wrap` uses to decide whether to reuse this proxy).
 * @module
 */

import { Hono } from "hono";
import type { ProxyConfig } from "../core/config.ts";
import type { SocketCount } from "../pipeline/socket-count.ts";
import type { UpstreamHealth } from "../pipeline/upstream-health.ts";
import type { AppDeps } from "./deps.ts";
import type { HeadroomEnv } from "./hono-env.ts";
import { isLocalRequest } from "./local-only.ts";
import { degradedStores, type StoreReporters, storeReports } from "./store-reports.ts";

/** The effective configuration as /health shows it to loopback callers (never the token). */
function describeConfig(config: ProxyConfig): Record<string, unknown> {
  return {
    host: config.host,
    port: config.port,
    openai_api_url: config.upstreams.openai.url,
    anthropic_api_url: config.upstreams.anthropic.url,
    gemini_api_url: config.upstreams.gemini.url,
    chatgpt_api_url: config.upstreams.chatgpt.url,
    optimize: config.optimize,
    workspace_dir: config.workspaceDir,
    stateless: config.stateless,
    max_body_bytes: config.maxBodyBytes,
    request_timeout_seconds: config.upstreamTimeoutMs / 1000,
    retry_max_attempts: config.retryMaxAttempts,
    log_level: config.logLevel,
    log_messages: config.logMessages,
    proxy_token_required: config.proxyToken !== undefined,
    compression: config.compression,
    lossy: config.lossy,
    compression_budget_ms: config.compressionBudgetMs,
    cache: config.cache,
    output_shaper: config.outputShaper,
    rate_limit_rpm: config.rateLimitRpm,
    ccr_ttl_seconds: config.ccrTtlSeconds,
  };
}

/** Creates the probe routes. */
export function healthRoutes(
  deps: AppDeps,
  upstreams: UpstreamHealth,
  stores: StoreReporters,
  sockets: SocketCount,
): Hono<HeadroomEnv> {
  const startedAt = performance.now();
  const uptime = () => Math.round(performance.now() - startedAt) / 1000;
  const app = new Hono<HeadroomEnv>();

  app.get("/livez", (c) =>
    c.json({ status: "alive", version: deps.version, uptime_seconds: uptime() }),
  );

  app.get("/readyz", (c) => {
    const ready = deps.lifecycle.state === "ready";
    return c.json(
      { status: ready ? "ready" : deps.lifecycle.state, version: deps.version },
      ready ? 200 : 503,
    );
  });

  app.get("/health", (c) => {
    const healthy = upstreams.healthy();
    // A failing store degrades headroom (no new lossy compression, rows held in memory) but
    // every request is still served: the status stays "healthy" (the pinned contract has two
    // values), `degraded` names the failing stores, and a loopback caller sees why.
    const status = healthy ? "healthy" : "unhealthy";
    const degraded = degradedStores(stores);
    const local = isLocalRequest(c.req.raw, c.env?.remoteAddress);
    const states = upstreams.snapshot();
    const upstreamReport = Object.fromEntries(
      Object.entries(states).map(([provider, state]) => [
        provider,
        {
          status: state.status,
          consecutive_failures: state.consecutiveFailures,
          last_checked_at: state.lastCheckedAt ?? null,
          ...(local ? { url: deps.config.upstreams[provider as keyof typeof states].url } : {}),
        },
      ]),
    );
    return c.json(
      {
        status,
        version: deps.version,
        uptime_seconds: uptime(),
        upstreams: upstreamReport,
        // Relayed Responses WebSockets open now (Codex keeps one per session).
        websocket_sessions: sockets.active,
        ...(degraded.length > 0 ? { degraded } : {}),
        ...(local
          ? {
              stores: storeReports(stores),
              config: { ...describeConfig(deps.config), runtime_env: deps.settings.overrides() },
              pid: deps.pid,
            }
          : {}),
      },
      healthy ? 200 : 503,
    );
  });

  return app;
}
