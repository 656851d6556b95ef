/**
 * The body of GET /stats: the session view at the top level (the same figures /metrics counts),
 * the lifetime view from the durable ledger, the display session, breakdowns by provider, model,
 * agent, project and strategy, prefix-cache health, dollar figures, and for loopback callers the
 * recent requests.
 * @module
 */

import type { Aggregate, Counters, Histogram } from "./aggregate.ts";
import { NOT_MEASURED } from "./pipeline-tally.ts";
import { prefixCacheJson } from "./prefix-cache.ts";
import type { PriceTable } from "./prices.ts";
import type { StatsService } from "./stats-service.ts";
import {
  compactionFigures,
  compressionFigures,
  costFigures,
  iso,
  percent,
  requestFigures,
  round,
  summaryText,
  timingFigures,
  tokenFigures,
} from "./views.ts";

/** Prompt-cache rewrites headroom caused, in total and by reason. */
function cacheRewrites(aggregate: Aggregate) {
  const byReason: Record<string, number> = {};
  for (const [reason, c] of aggregate.dimension("cache_rewrite"))
    byReason[reason] = c.cache_rewrites_caused;
  return { total: aggregate.all.cache_rewrites_caused, by_reason: byReason };
}

function counts(aggregate: Aggregate, dimension: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, c] of aggregate.dimension(dimension)) out[name] = c.requests;
  return out;
}

function sliceTable(aggregate: Aggregate, dimension: string) {
  const out: Record<string, unknown> = {};
  const rows = [...aggregate.dimension(dimension)].sort(
    (a, b) => b[1].tokens_saved - a[1].tokens_saved,
  );
  for (const [name, c] of rows) {
    const tokens = tokenFigures(c);
    out[name] = {
      requests: c.requests,
      tokens_saved: c.tokens_saved,
      total_input_tokens: c.input_tokens,
      output_tokens: c.output_tokens,
      savings_percent: tokens.proxy_savings_percent,
      compression_savings_usd: round(c.saved_usd, 6),
      total_input_cost_usd: round(c.cost_usd, 6),
      last_activity_at: iso(c.last_ts),
    };
  }
  return out;
}

/** The upper bound (ms) of the histogram bucket the q-quantile falls in (null without samples). */
function bucketQuantile(histogram: Histogram, q: number): number | null {
  if (histogram.count === 0) return null;
  const i = histogram.counts.findIndex((cumulative) => cumulative >= histogram.count * q);
  return round((histogram.bounds[i] ?? Number.POSITIVE_INFINITY) * 1000, 3);
}

function timing(aggregate: Aggregate, c: Counters) {
  const figures = timingFigures(c);
  const quantiles = (histogram: Histogram) => ({
    min_ms: round(histogram.min * 1000, 3),
    max_ms: round(histogram.max * 1000, 3),
    p50_ms_at_most: bucketQuantile(histogram, 0.5),
    p95_ms_at_most: bucketQuantile(histogram, 0.95),
  });
  return {
    latency: {
      average_ms: figures.latency_average_ms,
      ...quantiles(aggregate.latency),
      total_requests: c.requests,
    },
    overhead: { average_ms: figures.overhead_average_ms, ...quantiles(aggregate.overhead) },
    ttfb: {
      average_ms: figures.ttfb_average_ms,
      ...quantiles(aggregate.ttfb),
      samples: c.ttfb_count,
    },
  };
}

/** The original's per-model cost table: tokens saved and sent, and the share removed. */
function costPerModel(aggregate: Aggregate) {
  const out: Record<string, unknown> = {};
  for (const [model, c] of aggregate.dimension("model")) {
    out[model] = {
      requests: c.requests,
      tokens_saved: c.tokens_saved,
      tokens_sent: c.input_tokens,
      reduction_pct: percent(c.tokens_saved, c.input_tokens + c.tokens_saved),
      compression_savings_usd: round(c.saved_usd, 6),
      cost_usd: round(c.cost_usd, 6),
    };
  }
  return out;
}

function cost(aggregate: Aggregate, c: Counters) {
  const figures = costFigures(c);
  return {
    ...figures,
    // The original's names for the same figures.
    savings_usd: figures.total_saved_usd,
    cost_with_headroom_usd: figures.with_headroom_usd,
    total_tokens_saved: c.tokens_saved + c.cli_tokens_saved,
    total_input_tokens: c.input_tokens,
    total_input_cost_usd: figures.with_headroom_usd,
    cli_tokens_avoided: c.cli_tokens_saved,
    per_model: costPerModel(aggregate),
    currency: "USD",
    basis: "list prices per model, an estimate",
  };
}

/** The /stats body. */
export function statsJson(
  service: StatsService,
  extra: Record<string, unknown> = {},
  prices?: PriceTable,
): Record<string, unknown> {
  const session = service.session;
  const s = session.all;
  const lifetime = service.lifetime();
  const l = lifetime.all;
  const display = service.displaySession();
  const d = display.aggregate.all;
  const agents = [...session.dimension("agent")]
    .sort((a, b) => b[1].tokens_saved - a[1].tokens_saved)
    .map(([agent, c]) => ({
      agent,
      requests: c.requests,
      before_tokens: c.tokens_before,
      after_tokens: c.tokens_after,
      output_tokens: c.output_tokens,
      tokens_saved: c.tokens_saved,
      savings_percent: percent(c.tokens_saved, c.tokens_before),
      share_of_saved_percent: percent(c.tokens_saved, s.tokens_saved),
      share_of_requests_percent: percent(c.requests, s.requests),
    }));
  return {
    requests: {
      ...requestFigures(s),
      by_provider: counts(session, "provider"),
      by_model: counts(session, "model"),
      by_agent: counts(session, "agent"),
      by_stack: counts(session, "stack"),
      by_auth: counts(session, "auth"),
    },
    tokens: tokenFigures(s),
    ...timing(session, s),
    cost: cost(session, s),
    prefix_cache: prefixCacheJson(session, prices),
    cache_rewrites_caused: cacheRewrites(session),
    compressions_by_strategy: counts(session, "strategy"),
    compressions: compressionFigures(s),
    compaction: compactionFigures(s),
    agent_usage: { agents },
    savings: {
      per_project: sliceTable(session, "project"),
      per_model: sliceTable(session, "model"),
    },
    summary: {
      text: summaryText(s),
      api_requests: s.requests,
      primary_model:
        [...session.dimension("model")].sort((a, b) => b[1].requests - a[1].requests)[0]?.[0] ??
        null,
      compression: {
        requests_compressed: s.compressed,
        total_tokens_removed: s.tokens_saved,
        avg_compression_pct: tokenFigures(s).proxy_savings_percent,
        cli_filtering_tokens_avoided: s.cli_tokens_saved,
        total_tokens_saved_with_cli_filtering: s.tokens_saved + s.cli_tokens_saved,
      },
    },
    pipeline_timing: service.pipeline.pipelineTiming(),
    codex_ws: service.pipeline.codexWs(),
    waste_signals: null,
    not_measured: NOT_MEASURED,
    // [time, cumulative tokens saved] after each request of this session, oldest first.
    savings_history: service.savingsHistory.map(([ts, saved]) => [iso(ts), saved]),
    session: {
      started_at: iso(service.sessionStartedAt),
      last_activity_at: iso(s.last_ts),
    },
    display_session: {
      requests: d.requests,
      tokens_saved: d.tokens_saved + d.cli_tokens_saved,
      compression_savings_usd: round(d.saved_usd + d.cli_saved_usd, 6),
      total_input_tokens: d.input_tokens,
      total_input_cost_usd: round(d.cost_usd, 6),
      savings_percent: tokenFigures(d).savings_percent,
      started_at: iso(display.startedAt),
      last_activity_at: iso(d.last_ts),
      summary: summaryText(d),
      per_project: sliceTable(display.aggregate, "project"),
    },
    persistent_savings: {
      storage: service.ledger.backend,
      lifetime: {
        requests: l.requests,
        tokens_saved: l.tokens_saved + l.cli_tokens_saved,
        proxy_tokens_saved: l.tokens_saved,
        cli_tokens_saved: l.cli_tokens_saved,
        compression_savings_usd: round(l.saved_usd + l.cli_saved_usd, 6),
        total_input_tokens: l.input_tokens,
        total_input_cost_usd: round(l.cost_usd, 6),
        savings_percent: tokenFigures(l).savings_percent,
        cache_rewrites_caused: cacheRewrites(lifetime),
        compressions: compressionFigures(l),
        compaction: compactionFigures(l),
        first_activity_at: iso(l.first_ts),
        last_activity_at: iso(l.last_ts),
        summary: summaryText(l),
      },
      projects: sliceTable(lifetime, "project"),
      ...(service.importedFrom ? { imported_from: service.importedFrom } : {}),
      store_errors: service.storeErrors,
      ...(service.lastStoreError ? { last_store_error: service.lastStoreError } : {}),
    },
    ...(service.importedFrom ? { imported_from: service.importedFrom } : {}),
    ...extra,
  };
}

/** A row's tags (stored as JSON text) as an object; {} when none or unreadable. */
function tagsObject(text: string | null | undefined): Record<string, string> {
  if (!text) return {};
  try {
    return JSON.parse(text) as Record<string, string>;
  } catch {
    return {};
  }
}

/** The newest requests, newest first (never any content). */
export function recentRequests(service: StatsService) {
  return [...service.recent].reverse().map(({ id, row }) => ({
    // A string, as the original's ids are.
    request_id: String(id),
    timestamp: new Date(row.ts).toISOString(),
    provider: row.provider,
    model: row.model,
    agent: row.agent,
    project: row.project,
    layer: row.layer,
    input_tokens_original: row.tokensBefore,
    input_tokens_optimized: row.tokensAfter,
    output_tokens: row.outputTokens,
    tokens_saved: row.tokensSaved,
    savings_percent: percent(row.tokensSaved, row.tokensBefore),
    optimization_latency_ms: row.overheadMs,
    total_latency_ms: row.durationMs,
    ttfb_ms: row.ttfbMs,
    transforms_applied: row.transforms ? row.transforms.split(",") : [],
    status: row.status,
    outcome: row.outcome,
    streamed: row.streamed,
    cached: row.cached,
    user_id: row.userId ?? null,
    cwd: row.cwd ?? null,
    tags: tagsObject(row.tags),
  }));
}

/** The original's `request_logs`: its field names over the newest ten requests, newest first. */
export function requestLogs(service: StatsService) {
  return [...service.recent]
    .slice(-10)
    .reverse()
    .map(({ id, row }) => ({
      request_id: String(id),
      timestamp: new Date(row.ts).toISOString(),
      provider: row.provider,
      model: row.model,
      input_tokens_original: row.tokensBefore,
      input_tokens_optimized: row.tokensAfter,
      output_tokens: row.outputTokens,
      tokens_saved: row.tokensSaved,
      savings_percent: percent(row.tokensSaved, row.tokensBefore),
      optimization_latency_ms: row.overheadMs,
      total_latency_ms: row.durationMs,
      tags: {
        ...(row.agent ? { client: row.agent } : {}),
        ...(row.stack ? { stack: row.stack } : {}),
        ...(row.project ? { project: row.project } : {}),
      },
      cache_hit: row.cached,
      transforms_applied: row.transforms ? row.transforms.split(",") : [],
      waste_signals: {},
      error: row.outcome === "ok" ? null : row.outcome,
      turn_id: null,
    }));
}
