/**
 * Derived figures over counters, computed one way for every endpoint: savings percentages on the
 * whole request and on the compressible input, latency averages, cache hit rates, dollars.
 * @module
 */

import type { Counters } from "./aggregate.ts";

/** A percentage to two decimals; 0 when the denominator is 0. */
export function percent(part: number, whole: number): number {
  return whole > 0 ? Math.round((part / whole) * 10_000) / 100 : 0;
}

/** Rounds to `digits` decimals. */
export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Token figures of one view, under the original Headroom's key names where the meaning is the same. */
export function tokenFigures(c: Counters) {
  const proxySaved = c.tokens_saved;
  const allSaved = proxySaved + c.cli_tokens_saved;
  const proxyBefore = c.input_tokens + proxySaved;
  const allBefore = c.input_tokens + allSaved;
  return {
    /** Input tokens sent upstream, after compression. */
    input: c.input_tokens,
    output: c.output_tokens,
    /** Saved across all layers: the proxy and the `headroom compress` CLI. */
    saved: allSaved,
    proxy_compression_saved: proxySaved,
    cli_filtering_saved: c.cli_tokens_saved,
    total_before_compression: allBefore,
    proxy_total_before_compression: proxyBefore,
    savings_percent: percent(allSaved, allBefore),
    proxy_savings_percent: percent(proxySaved, proxyBefore),
    all_layers_saved: allSaved,
    all_layers_savings_percent: percent(allSaved, allBefore),
    /** What compression worked on (input plus what it removed), and the share of it saved. */
    proxy_attempted_tokens: proxyBefore,
    active_savings_percent: percent(proxySaved, proxyBefore),
    cli_tokens_avoided: c.cli_tokens_saved,
    /** Tool-output tokens that were candidates for compression, and the share of them saved. */
    compressible: c.compressible_tokens,
    compressible_savings_percent: percent(proxySaved, c.compressible_tokens),
    cache_read: c.cache_read_tokens,
    cache_write: c.cache_write_tokens,
    estimated_usage_requests: c.estimated_usage,
  };
}

/** Dollar figures of one view (list-price estimates). */
export function costFigures(c: Counters) {
  const saved = c.saved_usd + c.cli_saved_usd;
  return {
    with_headroom_usd: round(c.cost_usd, 6),
    without_headroom_usd: round(c.cost_usd + c.saved_usd, 6),
    compression_savings_usd: round(c.saved_usd, 6),
    cli_savings_usd: round(c.cli_saved_usd, 6),
    total_saved_usd: round(saved, 6),
    unpriced_requests: c.unpriced,
  };
}

/** Prefix-cache figures: tokens read from and written to the provider's cache, and hit rates. */
export function cacheFigures(c: Counters) {
  return {
    cache_read_tokens: c.cache_read_tokens,
    cache_write_tokens: c.cache_write_tokens,
    input_tokens: c.input_tokens,
    requests: c.requests,
    hit_requests: c.cache_hit_requests,
    /** Share of input tokens served from the cache. */
    hit_rate: percent(c.cache_read_tokens, c.input_tokens),
    /** Share of requests that read anything from the cache. */
    request_hit_rate: percent(c.cache_hit_requests, c.requests),
  };
}

/** Request counts of one view. */
export function requestFigures(c: Counters) {
  return {
    total: c.requests,
    cached: c.cached,
    failed: c.failed,
    upstream_errors: c.upstream_errors,
    rejected: c.rejected,
    aborted: c.aborted,
    streamed: c.streamed,
    compressed: c.compressed,
    retrievals: c.retrievals,
    rate_limited: c.rate_limited,
  };
}

/** How tool outputs fared under compression in one view. */
export function compressionFigures(c: Counters) {
  return {
    /** Tool outputs sent whole because their compression did not finish within the budget. */
    over_budget: c.over_budget,
  };
}

/**
 * Compaction on cache expiry in one view, apart from first-sight compression: requests that
 * compacted their conversation's history, the outputs and estimated tokens that removed, the
 * estimated tokens compacted histories kept out of every request since (a part of
 * `tokens.saved`) and their estimated input cost.
 */
export function compactionFigures(c: Counters) {
  return {
    compactions: c.compactions,
    outputs_compacted: c.compacted_outputs,
    tokens_removed: c.compaction_tokens_removed,
    tokens_saved: c.compaction_tokens_saved,
    saved_usd: round(c.compaction_saved_usd, 6),
  };
}

/** Timing averages of one view, in milliseconds. */
export function timingFigures(c: Counters) {
  return {
    latency_average_ms: c.requests ? round(c.duration_ms_sum / c.requests) : 0,
    overhead_average_ms: c.overhead_count ? round(c.overhead_ms_sum / c.overhead_count, 3) : 0,
    ttfb_average_ms: c.ttfb_count ? round(c.ttfb_ms_sum / c.ttfb_count) : 0,
  };
}

/** A human-readable one-liner of a view. */
export function summaryText(c: Counters): string {
  const tokens = tokenFigures(c);
  const money = costFigures(c);
  const k = (n: number) => (n >= 10_000 ? `${round(n / 1000, 1)}k` : String(n));
  const dollars = money.total_saved_usd > 0 ? `, about $${money.total_saved_usd.toFixed(2)}` : "";
  return `${c.requests} request${c.requests === 1 ? "" : "s"}, ${c.compressed} compressed; ${k(tokens.saved)} tokens saved (${tokens.savings_percent}% of ${k(tokens.total_before_compression)})${dollars}`;
}

/** ISO time of an epoch-ms value, or null for 0. */
export function iso(ms: number): string | null {
  return ms > 0 ? new Date(ms).toISOString() : null;
}
