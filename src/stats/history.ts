/**
 * GET /stats-history: per-request history and hourly, daily, weekly and monthly roll-ups from
 * the ledger, as JSON or as a CSV download, with the lifetime and display-session summaries.
 * The document carries the original Headroom's fields (cumulative checkpoints, `*_delta` roll-up
 * figures, `by_provider`, its CSV columns and file names) beside headroom's own.
 * @module
 */

import { bucketStart, type Granularity, type SeriesPoint, type StoredRow } from "./ledger-store.ts";
import { literalError, type QueryError } from "./query-errors.ts";
import type { StatsService } from "./stats-service.ts";
import { iso, round, summaryText, tokenFigures } from "./views.ts";

/** Which history a request asks for. */
export interface HistoryQuery {
  readonly format: "json" | "csv";
  /** The series a CSV download holds (history when absent); JSON always carries every one. */
  readonly series: "history" | Granularity | undefined;
  readonly mode: "compact" | "full" | "none";
}

const FORMATS = ["json", "csv"] as const;
const SERIES = ["history", "hourly", "daily", "weekly", "monthly"] as const;
const MODES = ["compact", "full", "none"] as const;
// Compact history: the newest points densely, older ones sampled evenly, at most this many.
const COMPACT_POINTS = 500;
const FULL_LIMIT = 100_000;

/** Validates the query string; returns every parameter it cannot take, as the original does. */
export function parseHistoryQuery(params: URLSearchParams): HistoryQuery | QueryError[] {
  const errors: QueryError[] = [];
  const format = params.get("format") ?? "json";
  if (!(FORMATS as readonly string[]).includes(format))
    errors.push(literalError("format", format, FORMATS));
  const series = params.get("series") ?? undefined;
  if (series !== undefined && !(SERIES as readonly string[]).includes(series))
    errors.push(literalError("series", series, SERIES));
  const modeName = params.has("history_mode") ? "history_mode" : "detail";
  const mode = params.get("history_mode") ?? params.get("detail") ?? "compact";
  if (!(MODES as readonly string[]).includes(mode))
    errors.push(literalError(modeName, mode, MODES));
  if (errors.length > 0) return errors;
  return {
    format: format as HistoryQuery["format"],
    series: series as HistoryQuery["series"],
    mode: mode as HistoryQuery["mode"],
  };
}

/** Running lifetime figures at one row, as the original's checkpoints carry them. */
interface Cumulative {
  tokensSaved: number;
  savedUsd: number;
  inputTokens: number;
  costUsd: number;
}

function historyPoint(stored: StoredRow, total: Cumulative, full: boolean) {
  const row = stored.row;
  const compact = {
    timestamp: new Date(row.ts).toISOString(),
    provider: row.provider,
    model: row.model,
    total_tokens_saved: total.tokensSaved,
    compression_savings_usd: round(total.savedUsd, 6),
    total_input_tokens: total.inputTokens,
    total_input_cost_usd: round(total.costUsd, 6),
    layer: row.layer,
    tokens_before: row.tokensBefore,
    tokens_saved: row.tokensSaved,
    saved_usd: row.savedUsd,
    cumulative_tokens_saved: total.tokensSaved,
  };
  if (!full) return compact;
  return {
    id: stored.id,
    ...compact,
    api: row.api,
    agent: row.agent,
    project: row.project,
    tokens_after: row.tokensAfter,
    input_tokens: row.inputTokens,
    output_tokens: row.outputTokens,
    cache_read_tokens: row.cacheReadTokens,
    cache_write_tokens: row.cacheWriteTokens,
    cost_usd: row.costUsd,
    duration_ms: row.durationMs,
    ttfb_ms: row.ttfbMs,
    status: row.status,
    outcome: row.outcome,
    streamed: row.streamed,
    transforms: row.transforms,
  };
}

/** Keeps the newest third densely and samples the older points evenly, up to `limit`. */
function compactPoints<T>(points: readonly T[], limit: number): T[] {
  if (points.length <= limit) return [...points];
  const dense = Math.floor(limit / 3);
  const older = points.slice(0, points.length - dense);
  const slots = limit - dense;
  const sampled = Array.from(
    { length: slots },
    (_, i) => older[Math.floor((i * older.length) / slots)]!,
  );
  return [...sampled, ...points.slice(points.length - dense)];
}

/** One provider's or model's share of a roll-up bucket, under the original's names. */
interface SliceDelta {
  tokens_saved: number;
  compression_savings_usd_delta: number;
  total_input_tokens_delta: number;
  total_input_cost_usd_delta: number;
}

function addDelta(into: Record<string, SliceDelta>, name: string, row: StoredRow["row"]): void {
  const slice = into[name] ?? {
    tokens_saved: 0,
    compression_savings_usd_delta: 0,
    total_input_tokens_delta: 0,
    total_input_cost_usd_delta: 0,
  };
  into[name] = slice;
  slice.tokens_saved += row.tokensSaved;
  slice.compression_savings_usd_delta = round(
    slice.compression_savings_usd_delta + (row.savedUsd ?? 0),
    6,
  );
  slice.total_input_tokens_delta += row.inputTokens;
  slice.total_input_cost_usd_delta = round(
    slice.total_input_cost_usd_delta + (row.costUsd ?? 0),
    6,
  );
}

/**
 * Per bucket, each provider's share, from the retained rows (the roll-up tables keep models,
 * not providers, so buckets older than the raw-row retention have none).
 */
function providerShares(rows: readonly StoredRow[], granularity: Granularity) {
  const buckets = new Map<number, Record<string, SliceDelta>>();
  for (const { row } of rows) {
    if (row.layer !== "proxy") continue;
    const bucket = bucketStart(row.ts, granularity);
    let shares = buckets.get(bucket);
    if (!shares) {
      shares = {};
      buckets.set(bucket, shares);
    }
    addDelta(shares, row.provider ?? "unknown", row);
  }
  return buckets;
}

function seriesJson(
  points: readonly SeriesPoint[],
  byProvider = new Map<number, Record<string, SliceDelta>>(),
) {
  const total: Cumulative = { tokensSaved: 0, savedUsd: 0, inputTokens: 0, costUsd: 0 };
  return points.map((point) => {
    total.tokensSaved += point.tokensSaved + point.cliTokensSaved;
    total.savedUsd += point.savedUsd;
    total.inputTokens += point.inputTokens;
    total.costUsd += point.costUsd;
    return {
      timestamp: new Date(point.bucket).toISOString(),
      tokens_saved: point.tokensSaved,
      compression_savings_usd_delta: round(point.savedUsd, 6),
      total_tokens_saved: total.tokensSaved,
      compression_savings_usd: round(total.savedUsd, 6),
      total_input_tokens_delta: point.inputTokens,
      total_input_tokens: total.inputTokens,
      total_input_cost_usd_delta: round(point.costUsd, 6),
      total_input_cost_usd: round(total.costUsd, 6),
      requests: point.requests,
      tokens_before: point.tokensBefore,
      cli_tokens_saved: point.cliTokensSaved,
      input_tokens: point.inputTokens,
      output_tokens: point.outputTokens,
      cache_read_tokens: point.cacheReadTokens,
      cache_write_tokens: point.cacheWriteTokens,
      cost_usd: round(point.costUsd, 6),
      saved_usd: round(point.savedUsd, 6),
      by_provider: byProvider.get(point.bucket) ?? {},
      by_model: Object.fromEntries(
        Object.entries(point.byModel).map(([model, figures]) => [
          model,
          {
            tokens_saved: figures.tokensSaved,
            compression_savings_usd_delta: round(figures.savedUsd, 6),
            requests: figures.requests,
            saved_usd: round(figures.savedUsd, 6),
          },
        ]),
      ),
    };
  });
}

function retainedRows(service: StatsService): StoredRow[] {
  return service.ledger
    .rowsAfter(0, { limit: FULL_LIMIT })
    .filter(({ row }) => row.outcome !== "rejected");
}

/**
 * The per-request history, oldest first, with cumulative lifetime figures: rows past retention
 * are gone, so the running totals start from what the lifetime holds beyond the retained rows.
 */
function historyRows(service: StatsService, query: HistoryQuery, all = retainedRows(service)) {
  if (query.mode === "none") return { rows: [], stored: all.length };
  const lifetime = service.lifetime().all;
  const total: Cumulative = {
    tokensSaved: lifetime.tokens_saved + lifetime.cli_tokens_saved,
    savedUsd: lifetime.saved_usd + lifetime.cli_saved_usd,
    inputTokens: lifetime.input_tokens,
    costUsd: lifetime.cost_usd,
  };
  for (const { row } of all) {
    total.tokensSaved -= row.tokensSaved;
    total.savedUsd -= row.savedUsd ?? 0;
    total.inputTokens -= row.layer === "proxy" ? row.inputTokens : 0;
    total.costUsd -= row.layer === "proxy" ? (row.costUsd ?? 0) : 0;
  }
  for (const key of Object.keys(total) as (keyof Cumulative)[])
    total[key] = Math.max(0, total[key]);
  const points = all.map((stored) => {
    const row = stored.row;
    total.tokensSaved += row.tokensSaved;
    total.savedUsd += row.savedUsd ?? 0;
    if (row.layer === "proxy") {
      total.inputTokens += row.inputTokens;
      total.costUsd += row.costUsd ?? 0;
    }
    return historyPoint(stored, total, query.mode === "full");
  });
  return {
    rows: query.mode === "full" ? points : compactPoints(points, COMPACT_POINTS),
    stored: all.length,
  };
}

/** Where the ledger lives and how long its raw rows are kept. */
export interface HistoryStorage {
  /** The database file, or null when nothing is written (--stateless). */
  readonly path: string | null;
  readonly days: number;
  readonly maxRows: number;
}

const GRANULARITIES: readonly Granularity[] = ["hourly", "daily", "weekly", "monthly"];

/** The JSON body of /stats-history (every roll-up, whatever `series` says, as the original). */
export function historyJson(service: StatsService, query: HistoryQuery, where: HistoryStorage) {
  const lifetime = service.lifetime().all;
  const display = service.displaySession();
  const d = display.aggregate.all;
  const rows = retainedRows(service);
  const history = historyRows(service, query, rows);
  return {
    schema_version: 3,
    generated_at: new Date(service.now()).toISOString(),
    storage: service.ledger.backend,
    storage_path: where.path,
    lifetime: {
      requests: lifetime.requests,
      tokens_saved: lifetime.tokens_saved + lifetime.cli_tokens_saved,
      proxy_tokens_saved: lifetime.tokens_saved,
      cli_tokens_saved: lifetime.cli_tokens_saved,
      total_input_tokens: lifetime.input_tokens,
      compression_savings_usd: round(lifetime.saved_usd + lifetime.cli_saved_usd, 6),
      total_input_cost_usd: round(lifetime.cost_usd, 6),
      savings_percent: tokenFigures(lifetime).savings_percent,
      first_activity_at: iso(lifetime.first_ts),
      last_activity_at: iso(lifetime.last_ts),
      summary: summaryText(lifetime),
    },
    display_session: {
      requests: d.requests,
      tokens_saved: d.tokens_saved + d.cli_tokens_saved,
      total_input_tokens: d.input_tokens,
      compression_savings_usd: round(d.saved_usd + d.cli_saved_usd, 6),
      total_input_cost_usd: round(d.cost_usd, 6),
      savings_percent: tokenFigures(d).savings_percent,
      started_at: iso(display.startedAt),
      last_activity_at: iso(d.last_ts),
      summary: summaryText(d),
    },
    display_session_policy: { rollover_inactivity_minutes: 60 },
    history: history.rows,
    history_summary: {
      mode: query.mode,
      stored_points: history.stored,
      returned_points: history.rows.length,
      compacted: history.rows.length < history.stored,
    },
    series: Object.fromEntries(
      GRANULARITIES.map((granularity) => [
        granularity,
        seriesJson(service.ledger.series(granularity), providerShares(rows, granularity)),
      ]),
    ),
    exports: {
      default_format: "json",
      available_formats: ["json", "csv"],
      available_series: [...SERIES],
    },
    retention: {
      max_history_points: where.maxRows,
      max_history_age_days: where.days,
      max_response_history_points: COMPACT_POINTS,
    },
    projects: projectFigures(service),
    // The original's RTK/lean-ctx figures; headroom's own CLI layer is in `lifetime`.
    cli_filtering: null,
  };
}

function projectFigures(service: StatsService) {
  const out: Record<string, unknown> = {};
  for (const [name, c] of service.lifetime().dimension("project")) {
    out[name] = {
      requests: c.requests,
      tokens_saved: c.tokens_saved,
      compression_savings_usd: round(c.saved_usd, 6),
      total_input_tokens: c.input_tokens,
      total_input_cost_usd: round(c.cost_usd, 6),
      last_activity_at: iso(c.last_ts),
      savings_percent: tokenFigures(c).proxy_savings_percent,
    };
  }
  return out;
}

function csvCell(value: unknown): string {
  const text =
    value === null || value === undefined
      ? ""
      : typeof value === "object"
        ? JSON.stringify(value)
        : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

// The original's columns come first, in its order, so a reader by position still works.
const HISTORY_COLUMNS = [
  "timestamp",
  "total_tokens_saved",
  "compression_savings_usd",
  "total_input_tokens",
  "total_input_cost_usd",
  "provider",
  "model",
  "layer",
  "tokens_before",
  "tokens_saved",
  "saved_usd",
];
const SERIES_COLUMNS = [
  "timestamp",
  "tokens_saved",
  "compression_savings_usd_delta",
  "total_tokens_saved",
  "compression_savings_usd",
  "total_input_tokens_delta",
  "total_input_tokens",
  "total_input_cost_usd_delta",
  "total_input_cost_usd",
  "requests",
  "tokens_before",
  "cli_tokens_saved",
  "output_tokens",
  "cache_read_tokens",
  "cache_write_tokens",
];

/** The CSV body of /stats-history and its file name (the full history, uncompacted). */
export function historyCsv(
  service: StatsService,
  query: HistoryQuery,
): { filename: string; body: string } {
  const series = query.series ?? "history";
  const rows: Record<string, unknown>[] =
    series === "history"
      ? historyRows(service, { ...query, mode: "full" }).rows
      : seriesJson(service.ledger.series(series));
  const header = series === "history" ? HISTORY_COLUMNS : SERIES_COLUMNS;
  const lines = [
    header.join(","),
    ...rows.map((row) => header.map((key) => csvCell(row[key])).join(",")),
  ];
  return { filename: `headroom-stats-history-${series}.csv`, body: `${lines.join("\n")}\n` };
}
