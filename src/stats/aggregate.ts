/**
 * Running totals over ledger rows: the one computation behind the session view, the lifetime
 * view and the display session, so /stats, /metrics and the dashboard cannot disagree. The same
 * counters are kept per slice (provider, model, agent, project, stack, strategy, output-shaping
 * label) and, for the
 * lifetime, persisted row by row in the ledger's totals table.
 * @module
 */

import type { LedgerRow } from "./ledger-row.ts";

/** The counter names, also the columns of the persisted totals. */
export const COUNTER_FIELDS = [
  "requests",
  "rejected",
  "rate_limited",
  "failed",
  "upstream_errors",
  "aborted",
  "cached",
  "streamed",
  "compressed",
  "retrievals",
  "cache_rewrites_caused",
  "over_budget",
  "compactions",
  "compacted_outputs",
  "compaction_tokens_removed",
  "compaction_tokens_saved",
  "compaction_saved_usd",
  "tokens_before",
  "tokens_after",
  "tokens_saved",
  "compressible_tokens",
  "input_tokens",
  "output_tokens",
  "output_tokens_sq",
  "cache_read_tokens",
  "cache_write_tokens",
  "cache_hit_requests",
  "cache_requests",
  "estimated_usage",
  "cost_usd",
  "saved_usd",
  "unpriced",
  "cli_runs",
  "cli_tokens_before",
  "cli_tokens_saved",
  "cli_saved_usd",
  "duration_ms_sum",
  "ttfb_ms_sum",
  "ttfb_count",
  "overhead_ms_sum",
  "overhead_count",
  "first_ts",
  "last_ts",
] as const;

/** One set of counters. */
export type Counters = Record<(typeof COUNTER_FIELDS)[number], number>;

// Merging runs several times per request, over 37 fields. Written out field by field (generated
// once from the list) it is an order of magnitude faster than a loop over the names in Bun.
const zeroCounters = new Function(
  `return { ${COUNTER_FIELDS.map((field) => `${field}: 0`).join(", ")} };`,
) as () => Counters;
const addSummed = new Function(
  "into",
  "from",
  COUNTER_FIELDS.filter((field) => field !== "first_ts" && field !== "last_ts")
    .map((field) => `into.${field} += from.${field};`)
    .join("\n"),
) as (into: Counters, from: Counters) => void;

/** Counters at zero. */
export function emptyCounters(): Counters {
  return zeroCounters();
}

/** Adds `from` into `into`, field by field (first_ts and last_ts take the extremes). */
export function mergeCounters(into: Counters, from: Counters): void {
  addSummed(into, from);
  if (from.first_ts && (!into.first_ts || from.first_ts < into.first_ts)) {
    into.first_ts = from.first_ts;
  }
  if (from.last_ts > into.last_ts) into.last_ts = from.last_ts;
}

/** The counters one row contributes. */
export function rowCounters(row: LedgerRow): Counters {
  const c = emptyCounters();
  c.first_ts = row.ts;
  c.last_ts = row.ts;
  if (row.layer === "cli") {
    c.cli_runs = 1;
    c.cli_tokens_before = row.tokensBefore;
    c.cli_tokens_saved = row.tokensSaved;
    c.cli_saved_usd = row.savedUsd ?? 0;
    return c;
  }
  if (row.outcome === "rejected") {
    c.rejected = 1;
    c.rate_limited = row.status === 429 ? 1 : 0;
    return c;
  }
  c.requests = row.requestsCounted ?? 1;
  c.failed = row.outcome === "failed" ? 1 : 0;
  c.upstream_errors = row.outcome === "upstream_error" ? 1 : 0;
  c.aborted = row.aborted ? 1 : 0;
  c.cached = row.cached ? 1 : 0;
  c.streamed = row.streamed ? 1 : 0;
  c.compressed = row.tokensSaved > 0 ? 1 : 0;
  c.retrievals = row.retrievals;
  c.cache_rewrites_caused = row.cacheRewrite ? 1 : 0;
  c.over_budget = row.overBudget;
  c.compactions = (row.compactedOutputs ?? 0) > 0 ? 1 : 0;
  c.compacted_outputs = row.compactedOutputs ?? 0;
  c.compaction_tokens_removed = row.compactionTokensRemoved ?? 0;
  c.compaction_tokens_saved = row.compactionTokensSaved ?? 0;
  c.compaction_saved_usd = row.compactionSavedUsd ?? 0;
  c.tokens_before = row.tokensBefore;
  c.tokens_after = row.tokensAfter;
  c.tokens_saved = row.tokensSaved;
  c.compressible_tokens = row.compressibleTokens;
  c.input_tokens = row.inputTokens;
  c.output_tokens = row.outputTokens;
  c.output_tokens_sq = row.outputTokens * row.outputTokens;
  c.cache_read_tokens = row.cacheReadTokens;
  c.cache_write_tokens = row.cacheWriteTokens;
  c.cache_hit_requests = row.cacheReadTokens > 0 ? 1 : 0;
  c.cache_requests = row.cacheReadTokens > 0 || row.cacheWriteTokens > 0 ? 1 : 0;
  c.estimated_usage = row.usageEstimated ? 1 : 0;
  c.cost_usd = row.costUsd ?? 0;
  c.saved_usd = row.savedUsd ?? 0;
  c.unpriced = row.costUsd === null ? 1 : 0;
  c.duration_ms_sum = row.durationMs;
  c.ttfb_ms_sum = row.ttfbMs ?? 0;
  c.ttfb_count = row.ttfbMs === null ? 0 : 1;
  c.overhead_ms_sum = row.overheadMs ?? 0;
  c.overhead_count = row.overheadMs === null ? 0 : 1;
  return c;
}

/**
 * Each provider's models, for figures priced per model but shown per provider (the prompt
 * cache's dollars): named "<provider> <model>" (provider names have no spaces).
 */
export const PROVIDER_MODEL = "provider_model";

/** The slice name of one provider's model. */
function providerModel(provider: string, model: string): string {
  return `${provider} ${model}`;
}

/** Splits a {@link PROVIDER_MODEL} slice name back into provider and model. */
export function splitProviderModel(name: string): { provider: string; model: string } {
  const space = name.indexOf(" ");
  return { provider: name.slice(0, space), model: name.slice(space + 1) };
}

/** The slices a row belongs to, as [dimension, name] pairs ("all" included). */
export function rowSlices(row: LedgerRow): [string, string][] {
  const slices: [string, string][] = [["all", ""]];
  if (row.layer === "cli") return slices;
  slices.push(
    ["provider", row.provider ?? "unknown"],
    ["model", row.model ?? "unknown"],
    [PROVIDER_MODEL, providerModel(row.provider ?? "unknown", row.model ?? "unknown")],
    ["agent", row.agent],
  );
  if (row.project) slices.push(["project", row.project]);
  if (row.stack) slices.push(["stack", row.stack]);
  if (row.auth) slices.push(["auth", row.auth]);
  for (const strategy of row.transforms ? new Set(row.transforms.split(",")) : [])
    slices.push(["strategy", strategy]);
  for (const label of row.shaping ? row.shaping.split(",") : []) slices.push(["shaping", label]);
  if (row.cacheRewrite) slices.push(["cache_rewrite", row.cacheRewrite]);
  return slices;
}

/**
 * A key equal for two rows exactly when {@link rowSlices} gives them the same slices: every
 * field it reads, each unambiguously delimited (a length before each text, "-" for none).
 */
export function sliceSignature(row: LedgerRow): string {
  if (row.layer === "cli") return "cli";
  const text = (value: string | null) => (value === null ? "-" : `${value.length}:${value}`);
  return `proxy${text(row.provider)}${text(row.model)}${text(row.agent)}${text(row.project)}${text(row.stack)}${text(row.auth)}${text(row.transforms)}${text(row.shaping)}${text(row.cacheRewrite)}`;
}

/** A fixed-bucket histogram in Prometheus' cumulative form. */
export class Histogram {
  readonly counts: number[];
  sum = 0;
  count = 0;
  /** The smallest and largest observation (0 before the first), for the original's _min/_max. */
  min = 0;
  max = 0;
  constructor(readonly bounds: readonly number[]) {
    this.counts = bounds.map(() => 0);
  }

  observe(value: number): void {
    this.min = this.count === 0 ? value : Math.min(this.min, value);
    this.max = this.count === 0 ? value : Math.max(this.max, value);
    this.sum += value;
    this.count++;
    for (let i = 0; i < this.bounds.length; i++) if (value <= this.bounds[i]!) this.counts[i]!++;
  }
}

/** Seconds: from a cache hit of a millisecond to five-minute generations. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
/** Seconds of proxy-side work before the upstream call: sub-millisecond is the norm. */
const OVERHEAD_BUCKETS = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
];
/** tokens_after / tokens_before of compressed requests. */
const RATIO_BUCKETS = [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

// Names beyond this many per dimension are counted under "other" (bounded memory and storage).
export const MAX_SLICE_NAMES = 200;

/** Counters for "all" and every slice, plus the histograms /metrics exports. */
export class Aggregate {
  readonly slices = new Map<string, Map<string, Counters>>();
  readonly latency = new Histogram(LATENCY_BUCKETS);
  readonly overhead = new Histogram(OVERHEAD_BUCKETS);
  readonly ttfb = new Histogram(LATENCY_BUCKETS);
  readonly compressionRatio = new Histogram(RATIO_BUCKETS);

  /** The totals over everything. */
  get all(): Counters {
    return this.slice("all", "");
  }

  /** The counters of one slice (created empty when new). */
  slice(dimension: string, name: string): Counters {
    let names = this.slices.get(dimension);
    if (!names) {
      names = new Map();
      this.slices.set(dimension, names);
    }
    const key = names.has(name) || names.size < MAX_SLICE_NAMES ? name : "other";
    let counters = names.get(key);
    if (!counters) {
      counters = emptyCounters();
      names.set(key, counters);
    }
    return counters;
  }

  /** Every slice of one dimension. */
  dimension(dimension: string): Map<string, Counters> {
    return this.slices.get(dimension) ?? new Map();
  }

  /**
   * Adds one row to every slice it belongs to and to the histograms. A caller adding the same row
   * to several aggregates passes its counters and slices, computed once.
   */
  add(row: LedgerRow, counters = rowCounters(row), slices = rowSlices(row)): void {
    for (const [dimension, name] of slices) mergeCounters(this.slice(dimension, name), counters);
    if (row.layer !== "proxy" || row.outcome === "rejected") return;
    this.latency.observe(row.durationMs / 1000);
    if (row.overheadMs !== null) this.overhead.observe(row.overheadMs / 1000);
    if (row.ttfbMs !== null) this.ttfb.observe(row.ttfbMs / 1000);
    if (row.tokensSaved > 0 && row.tokensBefore > 0)
      this.compressionRatio.observe(row.tokensAfter / row.tokensBefore);
  }

  /** Adds persisted slice counters (the lifetime totals), without histograms. */
  addCounters(dimension: string, name: string, counters: Counters): void {
    mergeCounters(this.slice(dimension, name), counters);
  }
}
