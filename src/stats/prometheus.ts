/**
 * GET /metrics in the Prometheus text exposition format (version 0.0.4). headroom's own families
 * are named by Prometheus conventions: base units, `_total` counters, real histograms. Counters
 * are the session view (the same numbers /stats shows, reset by a restart or /stats/reset, which
 * Prometheus handles as a counter reset); lifetime figures from the durable ledger are gauges.
 * The original Headroom's families follow, under its names (prometheus-original.ts).
 * @module
 */

import type { Aggregate } from "./aggregate.ts";
import { byName, Exposition } from "./exposition.ts";
import { type InboundFigures, originalFamilies } from "./prometheus-original.ts";

/** A store's health as /metrics exports it (the store guards' reports, reduced). */
export interface StoreHealth {
  readonly status: "ok" | "degraded";
  readonly errors: number;
  readonly episodes: number;
}

/** The retrieval store's figures /metrics exports. */
export interface CcrFigures {
  readonly entries: number;
  readonly bytes: number;
  readonly maxBytes: number;
  readonly hits: number;
  readonly misses: number;
  readonly evictions: number;
}

/** What /metrics shows beside the two aggregates. */
export interface MetricsExtras {
  readonly uptimeSeconds: number;
  readonly version: string;
  readonly stores: Readonly<Record<string, StoreHealth>>;
  readonly ccr: CcrFigures;
  readonly inbound: InboundFigures;
}

/** Renders the exposition for the session aggregate and the lifetime aggregate. */
export function prometheusText(
  session: Aggregate,
  lifetime: Aggregate,
  extra: MetricsExtras,
): string {
  const out = new Exposition();
  const s = session.all;
  const provider = (field: (c: ReturnType<Aggregate["slice"]>) => number) =>
    byName(session, "provider", "provider", field);
  out.family("headroom_build_info", "gauge", "Version of the running headroom", [
    [{ version: extra.version }, 1],
  ]);
  out.family("headroom_uptime_seconds", "gauge", "Seconds since the proxy started", [
    [{}, extra.uptimeSeconds],
  ]);
  out.family(
    "headroom_requests_by_model",
    "counter",
    "Data-plane requests forwarded upstream, by model",
    byName(session, "model", "model", (c) => c.requests),
  );
  out.family(
    "headroom_response_cache_hits",
    "counter",
    "Requests answered from headroom's response cache (no upstream call)",
    [[{}, s.cached]],
  );
  out.family(
    "headroom_requests_compressed",
    "counter",
    "Requests whose tool outputs were compressed",
    [[{}, s.compressed]],
  );
  out.family(
    "headroom_requests_rejected",
    "counter",
    "Requests refused before forwarding (400, 413)",
    [[{}, s.rejected]],
  );
  out.family("headroom_errors", "counter", "Requests that did not complete, by kind", [
    [{ kind: "failed" }, s.failed],
    [{ kind: "upstream_error" }, s.upstream_errors],
    [{ kind: "aborted" }, s.aborted],
  ]);
  out.family(
    "headroom_input_tokens",
    "counter",
    "Input tokens sent upstream (after compression)",
    provider((c) => c.input_tokens),
  );
  out.family(
    "headroom_output_tokens",
    "counter",
    "Output tokens received",
    provider((c) => c.output_tokens),
  );
  out.family(
    "headroom_tokens_saved_by_layer",
    "counter",
    "Input tokens removed, by layer: the proxy's compression and `headroom compress` runs",
    [
      [{ layer: "proxy" }, s.tokens_saved],
      [{ layer: "cli" }, s.cli_tokens_saved],
    ],
  );
  out.family(
    "headroom_cache_read_tokens",
    "counter",
    "Input tokens the provider served from its prompt cache",
    provider((c) => c.cache_read_tokens),
  );
  out.family(
    "headroom_cache_write_tokens",
    "counter",
    "Input tokens the provider wrote to its prompt cache",
    provider((c) => c.cache_write_tokens),
  );
  out.family("headroom_retrievals", "counter", "headroom_retrieve calls answered by the proxy", [
    [{}, s.retrievals],
  ]);
  out.family(
    "headroom_cache_rewrites_caused",
    "counter",
    "Requests in which headroom made the provider rewrite its cached prompt prefix, by reason",
    [
      [{ reason: "all" }, s.cache_rewrites_caused],
      ...byName(session, "cache_rewrite", "reason", (c) => c.cache_rewrites_caused),
    ],
  );
  out.family(
    "headroom_outputs_over_budget",
    "counter",
    "Tool outputs sent whole because their compression did not finish within the budget",
    [[{}, s.over_budget]],
  );
  out.family(
    "headroom_compactions",
    "counter",
    "Requests that compacted their conversation's history because the provider's cache had expired",
    [[{}, s.compactions]],
  );
  out.family(
    "headroom_compaction_tokens_removed",
    "counter",
    "Estimated tokens compactions removed from the history they compacted",
    [[{}, s.compaction_tokens_removed]],
  );
  out.family(
    "headroom_compaction_tokens_saved",
    "counter",
    "Estimated tokens compacted histories kept out of requests (part of the tokens saved)",
    [[{}, s.compaction_tokens_saved]],
  );
  out.family(
    "headroom_compaction_saved_usd",
    "counter",
    "Estimated input cost compaction avoided, at cache-write price on the compacting request and cache-read price after",
    [[{}, s.compaction_saved_usd]],
  );
  out.histogram(
    "headroom_request_duration_seconds",
    "Time from request to the last byte of the answer",
    session.latency,
  );
  out.histogram(
    "headroom_overhead_seconds",
    "Proxy time before the upstream call was sent",
    session.overhead,
  );
  out.histogram(
    "headroom_time_to_first_byte_seconds",
    "Time from request to the first byte of the answer",
    session.ttfb,
  );
  out.histogram(
    "headroom_compression_ratio",
    "Tokens after compression over tokens before, per compressed request",
    session.compressionRatio,
  );
  const l = lifetime.all;
  out.family("headroom_lifetime_requests", "gauge", "Requests forwarded since the ledger began", [
    [{}, l.requests],
  ]);
  out.family(
    "headroom_lifetime_tokens_saved",
    "gauge",
    "Tokens saved since the ledger began, by layer",
    [
      [{ layer: "proxy" }, l.tokens_saved],
      [{ layer: "cli" }, l.cli_tokens_saved],
    ],
  );
  out.family(
    "headroom_lifetime_input_tokens",
    "gauge",
    "Input tokens sent upstream since the ledger began",
    [[{}, l.input_tokens]],
  );
  out.family(
    "headroom_lifetime_saved_dollars",
    "gauge",
    "Estimated input cost avoided since the ledger began (list prices)",
    [[{}, l.saved_usd + l.cli_saved_usd]],
  );
  storeFamilies(out, extra);
  originalFamilies(out, session, lifetime, extra.inbound);
  return out.text();
}

/** The stores' health and the retrieval store's size: what an alert on a degraded proxy needs. */
function storeFamilies(out: Exposition, extra: MetricsExtras): void {
  const stores = Object.entries(extra.stores);
  out.family(
    "headroom_store_up",
    "gauge",
    "1 while the store takes reads and writes, 0 while it is failing (headroom keeps serving)",
    stores.map(([store, health]) => [{ store }, health.status === "ok" ? 1 : 0]),
  );
  out.family(
    "headroom_store_errors",
    "counter",
    "Store operations that failed",
    stores.map(([store, health]) => [{ store }, health.errors]),
  );
  out.family(
    "headroom_store_failure_episodes",
    "counter",
    "Times a store started failing",
    stores.map(([store, health]) => [{ store }, health.episodes]),
  );
  const ccr = extra.ccr;
  out.family("headroom_ccr_entries", "gauge", "Originals kept for retrieval", [[{}, ccr.entries]]);
  out.family("headroom_ccr_bytes", "gauge", "Bytes of originals kept for retrieval", [
    [{}, ccr.bytes],
  ]);
  out.family("headroom_ccr_max_bytes", "gauge", "The retrieval store's size bound in bytes", [
    [{}, ccr.maxBytes],
  ]);
  out.family("headroom_ccr_lookups", "counter", "Retrievals of originals, by result", [
    [{ result: "hit" }, ccr.hits],
    [{ result: "miss" }, ccr.misses],
  ]);
  out.family("headroom_ccr_evictions", "counter", "Originals evicted to stay within the bound", [
    [{}, ccr.evictions],
  ]);
}
