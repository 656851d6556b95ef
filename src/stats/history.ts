/**
 * GET /stats-history: per-request history and hourly, daily, weekly and monthly roll-ups from
 * the ledger, as JSON or as a CSV download, with the lifetime and display-session summaries.
 * @module
 */

import type { Granularity, SeriesPoint, StoredRow } from "./ledger-store.ts";
import type { StatsService } from "./stats-service.ts";
import { iso, round, summaryText, tokenFigures } from "./views.ts";

/** Which history a request asks for. */
export interface HistoryQuery {
  readonly format: "json" | "csv";
  /** A single series; absent means every roll-up (JSON) or the per-request history (CSV). */
  readonly series: "history" | Granularity | undefined;
  readonly mode: "compact" | "full" | "none";
}

const SERIES = ["history", "hourly", "daily", "weekly", "monthly"] as const;
const MODES = ["compact", "full", "none"] as const;
// Compact history: the newest points densely, older ones sampled evenly, at most this many.
const COMPACT_POINTS = 500;
const FULL_LIMIT = 100_000;

/** Validates the query string; returns a message for anything unknown. */
export function parseHistoryQuery(params: URLSearchParams): HistoryQuery | string {
  const format = params.get("format") ?? "json";
  if (format !== "json" && format !== "csv") return `format must be json or csv, not "${format}"`;
  const series = params.get("series") ?? undefined;
  if (series !== undefined && !(SERIES as readonly string[]).includes(series)) {
    return `series must be one of ${SERIES.join(", ")}, not "${series}"`;
  }
  const mode = params.get("history_mode") ?? params.get("detail") ?? "compact";
  if (!(MODES as readonly string[]).includes(mode))
    return `history_mode must be one of ${MODES.join(", ")}, not "${mode}"`;
  return { format, series: series as HistoryQuery["series"], mode: mode as HistoryQuery["mode"] };
}

function historyPoint(stored: StoredRow, cumulativeSaved: number, full: boolean) {
  const row = stored.row;
  const compact = {
    timestamp: new Date(row.ts).toISOString(),
    layer: row.layer,
    model: row.model,
    tokens_before: row.tokensBefore,
    tokens_saved: row.tokensSaved,
    saved_usd: row.savedUsd,
    cumulative_tokens_saved: cumulativeSaved,
  };
  if (!full) return compact;
  return {
    id: stored.id,
    ...compact,
    provider: row.provider,
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

function seriesJson(points: readonly SeriesPoint[]) {
  return points.map((point) => ({
    timestamp: new Date(point.bucket).toISOString(),
    requests: point.requests,
    tokens_before: point.tokensBefore,
    tokens_saved: point.tokensSaved,
    cli_tokens_saved: point.cliTokensSaved,
    input_tokens: point.inputTokens,
    output_tokens: point.outputTokens,
    cache_read_tokens: point.cacheReadTokens,
    cache_write_tokens: point.cacheWriteTokens,
    cost_usd: round(point.costUsd, 6),
    saved_usd: round(point.savedUsd, 6),
    by_model: Object.fromEntries(
      Object.entries(point.byModel).map(([model, figures]) => [
        model,
        {
          requests: figures.requests,
          tokens_saved: figures.tokensSaved,
          saved_usd: round(figures.savedUsd, 6),
        },
      ]),
    ),
  }));
}

/** The per-request history, oldest first, with cumulative savings. */
function historyRows(service: StatsService, query: HistoryQuery) {
  if (query.mode === "none") return { rows: [], stored: 0 };
  const all = service.ledger
    .rowsAfter(0, { limit: FULL_LIMIT })
    .filter(({ row }) => row.outcome !== "rejected");
  let cumulative = 0;
  const points = all.map((stored) => {
    cumulative += stored.row.tokensSaved;
    return historyPoint(stored, cumulative, query.mode === "full");
  });
  return {
    rows: query.mode === "full" ? points : compactPoints(points, COMPACT_POINTS),
    stored: all.length,
  };
}

/** The JSON body of /stats-history. */
export function historyJson(service: StatsService, query: HistoryQuery) {
  const lifetime = service.lifetime().all;
  const display = service.displaySession();
  const d = display.aggregate.all;
  const history = historyRows(service, query);
  const granularities: Granularity[] =
    query.series && query.series !== "history"
      ? [query.series]
      : ["hourly", "daily", "weekly", "monthly"];
  return {
    generated_at: new Date(service.now()).toISOString(),
    storage: service.ledger.backend,
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
      savings_percent: tokenFigures(d).savings_percent,
      started_at: iso(display.startedAt),
      last_activity_at: iso(d.last_ts),
      summary: summaryText(d),
    },
    display_session_policy: { rollover_inactivity_minutes: 60 },
    history: query.series === undefined || query.series === "history" ? history.rows : [],
    history_summary: {
      mode: query.mode,
      stored_points: history.stored,
      returned_points: history.rows.length,
    },
    series: Object.fromEntries(
      granularities.map((granularity) => [
        granularity,
        seriesJson(service.ledger.series(granularity)),
      ]),
    ),
    exports: { available_formats: ["json", "csv"], available_series: [...SERIES] },
  };
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

/** The CSV body of /stats-history and its file name. */
export function historyCsv(
  service: StatsService,
  query: HistoryQuery,
): { filename: string; body: string } {
  const series = query.series ?? "history";
  const rows: Record<string, unknown>[] =
    series === "history"
      ? historyRows(service, { ...query, mode: query.mode === "none" ? "compact" : query.mode })
          .rows
      : seriesJson(service.ledger.series(series)).map(({ by_model: _byModel, ...point }) => point);
  const header =
    rows.length > 0
      ? Object.keys(rows[0]!)
      : series === "history"
        ? [
            "timestamp",
            "layer",
            "model",
            "tokens_before",
            "tokens_saved",
            "saved_usd",
            "cumulative_tokens_saved",
          ]
        : [
            "timestamp",
            "requests",
            "tokens_before",
            "tokens_saved",
            "cli_tokens_saved",
            "input_tokens",
            "output_tokens",
          ];
  const lines = [
    header.join(","),
    ...rows.map((row) => header.map((key) => csvCell(row[key])).join(",")),
  ];
  return { filename: `headroom-stats-${series}.csv`, body: `${lines.join("\n")}\n` };
}
