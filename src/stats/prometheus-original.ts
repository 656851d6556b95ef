/**
 * The original Headroom's /metrics families, under its names, label names, types and meanings,
 * so dashboards and alerts written for it keep working against headroom. Its names break the
 * Prometheus conventions headroom's own families follow (`headroom_requests_by_provider` is a
 * counter without `_total`, latency is in milliseconds with separate `_min`/`_max` gauges); they
 * are kept as they are because queries match names exactly.
 *
 * Where headroom does not measure a figure the family is still printed, its HELP text says so,
 * and the value is NaN (unlabelled) or there are no samples (labelled): never a made-up number.
 * @module
 */

import type { Aggregate, Counters, Histogram } from "./aggregate.ts";
import { byName, type Exposition } from "./exposition.ts";

/** Every HTTP request headroom received, counted by the edge of the app. */
export interface InboundFigures {
  readonly received: number;
  readonly answered: number;
  readonly active: number;
  /** Relayed WebSockets open now. */
  readonly webSockets: number;
}

const NOT_MEASURED = "Not measured by headroom, so";

/** The original's milliseconds families: _sum and _count counters, _min and _max gauges. */
function millisecondFamilies(
  out: Exposition,
  name: string,
  what: string,
  sumMs: number,
  histogram: Histogram,
  count: number,
): void {
  out.exact(`${name}_sum`, "counter", `Sum of ${what}, in milliseconds`, [[{}, sumMs]]);
  out.exact(`${name}_count`, "counter", `Number of ${what} samples`, [[{}, count]]);
  out.exact(`${name}_min`, "gauge", `Smallest ${what} in milliseconds (0 before any)`, [
    [{}, histogram.min * 1000],
  ]);
  out.exact(`${name}_max`, "gauge", `Largest ${what} in milliseconds (0 before any)`, [
    [{}, histogram.max * 1000],
  ]);
}

/** Families headroom has no source for: printed, with no samples, so the name resolves. */
function unmeasured(out: Exposition, families: [string, "counter" | "gauge", string][]): void {
  for (const [name, type, what] of families)
    out.exact(name, type, `${NOT_MEASURED} no samples: ${what}`, []);
}

/** Appends the original's families, read from the session and lifetime aggregates. */
export function originalFamilies(
  out: Exposition,
  session: Aggregate,
  lifetime: Aggregate,
  inbound: InboundFigures,
): void {
  const s = session.all;
  const l = lifetime.all;
  const provider = (field: (c: Counters) => number) =>
    byName(session, "provider", "provider", field);
  const one = (name: string, type: "counter" | "gauge", help: string, value: number) =>
    out.exact(name, type, help, [[{}, value]]);

  one(
    "headroom_requests_total",
    "counter",
    "Model requests headroom finished (any outcome, cache hits included)",
    s.requests,
  );
  // Both kinds of caching, as the original counted them; a response-cache hit reads no
  // provider cache (its usage is zero), so the two counts never overlap.
  one(
    "headroom_requests_cached_total",
    "counter",
    "Requests that read the provider's prompt cache or were answered from the response cache",
    s.cache_hit_requests + s.cached,
  );
  one(
    "headroom_requests_rate_limited_total",
    "counter",
    "Requests refused with 429 before forwarding",
    s.rate_limited,
  );
  one(
    "headroom_requests_failed_total",
    "counter",
    "Requests headroom could not complete (upstream unreachable, timed out or broken mid-answer)",
    s.failed,
  );
  one(
    "headroom_inbound_requests_total",
    "counter",
    "HTTP requests received, every route",
    inbound.received,
  );
  one(
    "headroom_inbound_requests_completed_total",
    "counter",
    "HTTP requests whose response headroom has started (streamed bodies may still flow)",
    inbound.answered,
  );
  one(
    "headroom_inbound_requests_active",
    "gauge",
    "HTTP requests not yet answered",
    inbound.active,
  );
  one(
    "headroom_tokens_input_total",
    "counter",
    "Input tokens sent upstream, after compression",
    s.input_tokens,
  );
  one(
    "headroom_tokens_output_total",
    "counter",
    "Output tokens received from upstream",
    s.output_tokens,
  );
  one(
    "headroom_tokens_saved_total",
    "counter",
    "Input tokens the proxy's compression removed (the CLI layer is in headroom_tokens_saved_by_layer_total)",
    s.tokens_saved,
  );

  one(
    "headroom_persistent_savings_requests_total",
    "counter",
    "Requests since the ledger began",
    l.requests,
  );
  one(
    "headroom_persistent_savings_tokens_saved_total",
    "counter",
    "Tokens the proxy saved since the ledger began",
    l.tokens_saved,
  );
  one(
    "headroom_persistent_savings_input_tokens_total",
    "counter",
    "Input tokens sent upstream since the ledger began",
    l.input_tokens,
  );
  one(
    "headroom_persistent_savings_input_cost_usd_total",
    "counter",
    "Estimated input cost in USD since the ledger began (list prices)",
    l.cost_usd,
  );
  one(
    "headroom_persistent_savings_compression_savings_usd_total",
    "counter",
    "Estimated USD the proxy's compression saved since the ledger began (list prices)",
    l.saved_usd,
  );

  millisecondFamilies(
    out,
    "headroom_latency_ms",
    "request time to the answer's last byte",
    s.duration_ms_sum,
    session.latency,
    session.latency.count,
  );
  millisecondFamilies(
    out,
    "headroom_overhead_ms",
    "proxy time before the upstream call",
    s.overhead_ms_sum,
    session.overhead,
    s.overhead_count,
  );
  millisecondFamilies(
    out,
    "headroom_ttfb_ms",
    "time to the answer's first byte",
    s.ttfb_ms_sum,
    session.ttfb,
    s.ttfb_count,
  );

  one(
    "headroom_cache_bust_total",
    "counter",
    "Requests in which headroom's changes made the provider rewrite its cached prompt prefix",
    s.cache_rewrites_caused,
  );
  one(
    "headroom_cache_bust_tokens_lost_total",
    "counter",
    `${NOT_MEASURED} NaN: cached tokens lost to those rewrites`,
    Number.NaN,
  );
  one("headroom_active_ws_sessions", "gauge", "Relayed WebSockets open now", inbound.webSockets);
  one(
    "headroom_active_relay_tasks",
    "gauge",
    `${NOT_MEASURED} NaN: tasks relaying WebSocket frames`,
    Number.NaN,
  );
  one(
    "proxy_image_generation_call_log_redacted_total",
    "counter",
    `${NOT_MEASURED} NaN: images redacted from request logs`,
    Number.NaN,
  );
  out.exact(
    "wrap_rtk_invocations_total",
    "counter",
    "RTK runs seen by wrap (headroom never runs RTK)",
    [[{ tool: "__init__" }, 0]],
  );

  out.exact(
    "headroom_requests_by_provider",
    "counter",
    "Model requests by provider",
    provider((c) => c.requests),
  );
  out.exact(
    "headroom_requests_by_model",
    "counter",
    "Model requests by model",
    byName(session, "model", "model", (c) => c.requests),
  );
  // headroom_cache_read_tokens_total and headroom_cache_write_tokens_total{provider} are
  // headroom's own families with the same names and meanings: printed once, in prometheus.ts.
  out.exact(
    "headroom_uncached_input_tokens_total",
    "counter",
    "Input tokens neither read from nor written to the provider's prompt cache",
    provider((c) => Math.max(0, c.input_tokens - c.cache_read_tokens - c.cache_write_tokens)),
  );
  out.exact(
    "headroom_provider_cache_requests_total",
    "counter",
    "Requests that read or wrote the provider's prompt cache",
    provider((c) => c.cache_requests),
  );
  out.exact(
    "headroom_provider_cache_hit_requests_total",
    "counter",
    "Requests that read the provider's prompt cache",
    provider((c) => c.cache_hit_requests),
  );
  unmeasured(out, [
    [
      "headroom_cache_miss_attribution_total",
      "counter",
      "prompt-cache misses by provider and reason",
    ],
    ["headroom_cache_write_ttl_tokens_total", "counter", "cache-write tokens by provider and TTL"],
    [
      "headroom_cache_write_ttl_requests_total",
      "counter",
      "cache-writing requests by provider and TTL",
    ],
    ["headroom_provider_cache_bust_total", "counter", "write-heavy cache turns by provider"],
    ["headroom_provider_cache_bust_write_tokens_total", "counter", "tokens written in those turns"],
    ["headroom_transform_timing_ms_sum", "counter", "time per transform"],
    ["headroom_transform_timing_ms_count", "counter", "runs per transform"],
    ["headroom_transform_timing_ms_max", "gauge", "longest run per transform"],
    ["headroom_stage_timing_ms_sum", "counter", "time per request stage"],
    ["headroom_stage_timing_ms_count", "counter", "samples per request stage"],
    ["headroom_stage_timing_ms_max", "gauge", "longest request stage"],
    ["headroom_waste_signal_tokens_total", "counter", "tokens by waste signal"],
    ["headroom_ws_session_duration_ms_sum", "counter", "WebSocket session time by cause of end"],
    ["headroom_ws_session_duration_ms_count", "counter", "WebSocket sessions by cause of end"],
    ["headroom_ws_session_duration_ms_max", "gauge", "longest WebSocket session by cause of end"],
  ]);
}
