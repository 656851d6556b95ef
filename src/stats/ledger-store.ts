/**
 * Where ledger rows live: SQLite in the workspace (durable, with retention and roll-ups) or
 * memory for --stateless and tests. Both answer the same questions.
 * @module
 */

import type { StoreReport } from "../core/store-health.ts";
import type { Aggregate } from "./aggregate.ts";
import type { LedgerRow } from "./ledger-row.ts";

/** A granularity of the history roll-ups. */
export type Granularity = "hourly" | "daily" | "weekly" | "monthly";

/** One point of a roll-up series (UTC bucket start). */
export interface SeriesPoint {
  readonly bucket: number;
  readonly requests: number;
  readonly tokensBefore: number;
  readonly tokensSaved: number;
  readonly cliTokensSaved: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadTokens: number;
  readonly cacheWriteTokens: number;
  readonly costUsd: number;
  readonly savedUsd: number;
  readonly byModel: Readonly<
    Record<string, { requests: number; tokensSaved: number; savedUsd: number }>
  >;
}

/** A stored row with its id. */
export interface StoredRow {
  readonly id: number;
  readonly row: LedgerRow;
}

/** The ledger's storage. */
export interface LedgerStore {
  readonly backend: "sqlite" | "memory";
  /** Stores a row (and updates the lifetime totals and roll-ups); returns its id. */
  insert(row: LedgerRow): number;
  /** Stores rows in order, in one transaction where the store has them; returns the last id. */
  insertAll?(rows: readonly LedgerRow[]): number;
  /** The lifetime totals per slice, never reset. */
  lifetime(): Aggregate;
  /** Rows with an id above `afterId` (oldest first), optionally one layer only, at most `limit`. */
  rowsAfter(
    afterId: number,
    options?: { layer?: "proxy" | "cli"; limit?: number; sinceTs?: number },
  ): StoredRow[];
  /** The newest rows, newest first. */
  newest(limit: number): StoredRow[];
  /** How many raw rows are retained. */
  rowCount(): number;
  /** A roll-up series, oldest bucket first. */
  series(granularity: Granularity): SeriesPoint[];
  /** Drops raw rows past retention (totals and roll-ups stay); returns how many went. */
  purge(): number;
  /** Its health, when it watches it (a guarded store does): /health, /stats, /metrics. */
  report?(): StoreReport;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The UTC start of the bucket `ts` falls in. */
export function bucketStart(ts: number, granularity: Granularity): number {
  if (granularity === "hourly") return Math.floor(ts / HOUR) * HOUR;
  const day = Math.floor(ts / DAY) * DAY;
  if (granularity === "daily") return day;
  if (granularity === "weekly") {
    const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday = 0
    return day - weekday * DAY;
  }
  const date = new Date(ts);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

/** Re-buckets hourly points into a coarser granularity. */
export function rebucket(hourly: readonly SeriesPoint[], granularity: Granularity): SeriesPoint[] {
  if (granularity === "hourly") return [...hourly];
  const buckets = new Map<number, SeriesPoint>();
  for (const point of hourly) {
    const start = bucketStart(point.bucket, granularity);
    const into = buckets.get(start);
    buckets.set(start, into ? addPoints(into, point, start) : { ...point, bucket: start });
  }
  return [...buckets.values()].sort((a, b) => a.bucket - b.bucket);
}

/** Sums two series points into one bucket. */
export function addPoints(a: SeriesPoint, b: SeriesPoint, bucket: number): SeriesPoint {
  const byModel: Record<string, { requests: number; tokensSaved: number; savedUsd: number }> = {};
  for (const source of [a.byModel, b.byModel]) {
    for (const [model, figures] of Object.entries(source)) {
      const into = byModel[model] ?? { requests: 0, tokensSaved: 0, savedUsd: 0 };
      byModel[model] = into;
      into.requests += figures.requests;
      into.tokensSaved += figures.tokensSaved;
      into.savedUsd += figures.savedUsd;
    }
  }
  return {
    bucket,
    requests: a.requests + b.requests,
    tokensBefore: a.tokensBefore + b.tokensBefore,
    tokensSaved: a.tokensSaved + b.tokensSaved,
    cliTokensSaved: a.cliTokensSaved + b.cliTokensSaved,
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
    cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
    costUsd: a.costUsd + b.costUsd,
    savedUsd: a.savedUsd + b.savedUsd,
    byModel,
  };
}

/** The hourly point one row contributes. */
export function rowPoint(row: LedgerRow): SeriesPoint {
  const proxy = row.layer === "proxy" && row.outcome !== "rejected";
  const model = row.model ?? "unknown";
  return {
    bucket: bucketStart(row.ts, "hourly"),
    requests: proxy ? (row.requestsCounted ?? 1) : 0,
    tokensBefore: proxy ? row.tokensBefore : 0,
    tokensSaved: proxy ? row.tokensSaved : 0,
    cliTokensSaved: row.layer === "cli" ? row.tokensSaved : 0,
    inputTokens: proxy ? row.inputTokens : 0,
    outputTokens: proxy ? row.outputTokens : 0,
    cacheReadTokens: proxy ? row.cacheReadTokens : 0,
    cacheWriteTokens: proxy ? row.cacheWriteTokens : 0,
    costUsd: proxy ? (row.costUsd ?? 0) : 0,
    savedUsd: row.savedUsd ?? 0,
    byModel: proxy
      ? { [model]: { requests: 1, tokensSaved: row.tokensSaved, savedUsd: row.savedUsd ?? 0 } }
      : {},
  };
}
