/**
 * The request ledger in the workspace database. Each finished request is one raw row (kept for
 * a bounded time and count), and the same write adds it to the lifetime totals per slice and to
 * the hourly roll-up, which are kept forever and are small. The CLI layer writes here too.
 * @module
 */

import type { Database, Statement } from "bun:sqlite";
import {
  Aggregate,
  COUNTER_FIELDS,
  type Counters,
  emptyCounters,
  MAX_SLICE_NAMES,
  mergeCounters,
  rowCounters,
  rowSlices,
  sliceSignature,
} from "../stats/aggregate.ts";
import type { LedgerRow } from "../stats/ledger-row.ts";
import {
  type Granularity,
  type LedgerStore,
  rebucket,
  type SeriesPoint,
  type StoredRow,
} from "../stats/ledger-store.ts";

const ROW_COLUMNS = [
  "ts",
  "layer",
  "provider",
  "model",
  "api",
  "agent",
  "user_agent",
  "project",
  "stack",
  "auth",
  "tokens_before",
  "tokens_after",
  "tokens_saved",
  "compressible_tokens",
  "input_tokens",
  "output_tokens",
  "cache_read_tokens",
  "cache_write_tokens",
  "usage_estimated",
  "overhead_ms",
  "ttfb_ms",
  "duration_ms",
  "transforms",
  "status",
  "outcome",
  "streamed",
  "aborted",
  "cached",
  "retrievals",
  "shaping",
  "cache_rewrite",
  "cost_usd",
  "saved_usd",
  "over_budget",
  "compacted_outputs",
  "compaction_tokens_removed",
  "compaction_tokens_saved",
  "compaction_saved_usd",
  "user_id",
  "cwd",
  "tags",
] as const;

const TEXT_COLUMNS = new Set([
  "provider",
  "model",
  "api",
  "agent",
  "user_agent",
  "project",
  "stack",
  "auth",
  "transforms",
  "layer",
  "outcome",
  "shaping",
  "cache_rewrite",
  "user_id",
  "cwd",
  "tags",
]);

type DbRow = Record<(typeof ROW_COLUMNS)[number], string | number | null> & { id: number };

/**
 * Writes the row's column values into `into` from index `at`, in ROW_COLUMNS order. Stored by
 * index into an array sized beforehand: a push of every value at once cost more than the
 * statement binding them.
 */
function putDb(row: LedgerRow, into: (string | number | null)[], at: number): void {
  into[at + 0] = row.ts;
  into[at + 1] = row.layer;
  into[at + 2] = row.provider;
  into[at + 3] = row.model;
  into[at + 4] = row.api;
  into[at + 5] = row.agent;
  into[at + 6] = row.userAgent;
  into[at + 7] = row.project;
  into[at + 8] = row.stack;
  into[at + 9] = row.auth;
  into[at + 10] = row.tokensBefore;
  into[at + 11] = row.tokensAfter;
  into[at + 12] = row.tokensSaved;
  into[at + 13] = row.compressibleTokens;
  into[at + 14] = row.inputTokens;
  into[at + 15] = row.outputTokens;
  into[at + 16] = row.cacheReadTokens;
  into[at + 17] = row.cacheWriteTokens;
  into[at + 18] = row.usageEstimated ? 1 : 0;
  into[at + 19] = row.overheadMs;
  into[at + 20] = row.ttfbMs;
  into[at + 21] = row.durationMs;
  into[at + 22] = row.transforms;
  into[at + 23] = row.status;
  into[at + 24] = row.outcome;
  into[at + 25] = row.streamed ? 1 : 0;
  into[at + 26] = row.aborted ? 1 : 0;
  into[at + 27] = row.cached ? 1 : 0;
  into[at + 28] = row.retrievals;
  into[at + 29] = row.shaping;
  into[at + 30] = row.cacheRewrite;
  into[at + 31] = row.costUsd;
  into[at + 32] = row.savedUsd;
  into[at + 33] = row.overBudget;
  into[at + 34] = row.compactedOutputs ?? null;
  into[at + 35] = row.compactionTokensRemoved ?? null;
  into[at + 36] = row.compactionTokensSaved ?? null;
  into[at + 37] = row.compactionSavedUsd ?? null;
  into[at + 38] = row.userId ?? null;
  into[at + 39] = row.cwd ?? null;
  into[at + 40] = row.tags ?? null;
}

function fromDb(r: DbRow): LedgerRow {
  const n = (value: string | number | null) => Number(value ?? 0);
  const s = (value: string | number | null) => (value === null ? null : String(value));
  return {
    ts: n(r.ts),
    layer: r.layer === "cli" ? "cli" : "proxy",
    provider: s(r.provider),
    model: s(r.model),
    api: s(r.api),
    agent: String(r.agent ?? "unknown"),
    userAgent: s(r.user_agent),
    project: s(r.project),
    stack: s(r.stack),
    auth: s(r.auth),
    tokensBefore: n(r.tokens_before),
    tokensAfter: n(r.tokens_after),
    tokensSaved: n(r.tokens_saved),
    compressibleTokens: n(r.compressible_tokens),
    inputTokens: n(r.input_tokens),
    outputTokens: n(r.output_tokens),
    cacheReadTokens: n(r.cache_read_tokens),
    cacheWriteTokens: n(r.cache_write_tokens),
    usageEstimated: r.usage_estimated === 1,
    overheadMs: r.overhead_ms === null ? null : n(r.overhead_ms),
    ttfbMs: r.ttfb_ms === null ? null : n(r.ttfb_ms),
    durationMs: n(r.duration_ms),
    transforms: String(r.transforms ?? ""),
    status: n(r.status),
    outcome: String(r.outcome ?? ""),
    streamed: r.streamed === 1,
    aborted: r.aborted === 1,
    cached: r.cached === 1,
    retrievals: n(r.retrievals),
    overBudget: n(r.over_budget),
    shaping: String(r.shaping ?? ""),
    cacheRewrite: String(r.cache_rewrite ?? ""),
    costUsd: r.cost_usd === null ? null : n(r.cost_usd),
    savedUsd: r.saved_usd === null ? null : n(r.saved_usd),
    ...(r.compacted_outputs !== null && r.compacted_outputs !== undefined
      ? {
          compactedOutputs: n(r.compacted_outputs),
          compactionTokensRemoved: n(r.compaction_tokens_removed),
          compactionTokensSaved: n(r.compaction_tokens_saved),
          compactionSavedUsd: r.compaction_saved_usd === null ? null : n(r.compaction_saved_usd),
        }
      : {}),
    // Optional: rows from before these columns, and requests that sent none, have no such key.
    ...(r.user_id !== null ? { userId: String(r.user_id) } : {}),
    ...(r.cwd !== null ? { cwd: String(r.cwd) } : {}),
    ...(r.tags !== null ? { tags: String(r.tags) } : {}),
  };
}

const HOURLY_FIELDS = [
  "requests",
  "tokens_before",
  "tokens_saved",
  "cli_tokens_saved",
  "input_tokens",
  "output_tokens",
  "cache_read_tokens",
  "cache_write_tokens",
  "cost_usd",
  "saved_usd",
] as const;

// Rows per INSERT statement in a batch: one statement per row was half the cost of writing one.
// 16 x 33 parameters stays far below SQLite's limit of 32,766.
const ROWS_PER_INSERT = 16;

const HOUR = 3_600_000;

/** What rows that add into the same totals in a batch add into. */
interface BatchTargets {
  readonly totals: { counters: Counters | null }[];
  readonly hour: { sums: number[] };
}

/**
 * Adds a row's hourly figures into `sums`, in HOURLY_FIELDS order: the figures of its hourly
 * point (rowPoint in ledger-store.ts), summed the same way, without building the point.
 */
function addHourlyRow(sums: number[], row: LedgerRow): void {
  const proxy = row.layer === "proxy" && row.outcome !== "rejected";
  sums[0]! += proxy ? (row.requestsCounted ?? 1) : 0;
  sums[1]! += proxy ? row.tokensBefore : 0;
  sums[2]! += proxy ? row.tokensSaved : 0;
  sums[3]! += row.layer === "cli" ? row.tokensSaved : 0;
  sums[4]! += proxy ? row.inputTokens : 0;
  sums[5]! += proxy ? row.outputTokens : 0;
  sums[6]! += proxy ? row.cacheReadTokens : 0;
  sums[7]! += proxy ? row.cacheWriteTokens : 0;
  sums[8]! += proxy ? (row.costUsd ?? 0) : 0;
  sums[9]! += row.savedUsd ?? 0;
}

/** Retention of raw rows; totals and roll-ups are kept regardless. */
export interface LedgerRetention {
  readonly days: number;
  readonly maxRows: number;
}

/** The SQLite ledger. */
export class SqliteLedgerStore implements LedgerStore {
  readonly backend = "sqlite";
  readonly #insertRow: Statement;
  readonly #insertMany: Statement;
  readonly #upsertTotals: Statement;
  readonly #upsertHourly: Statement;
  readonly #names = new Map<string, Set<string>>();

  constructor(
    readonly db: Database,
    readonly retention: LedgerRetention = { days: 90, maxRows: 1_000_000 },
    readonly now: () => number = Date.now,
  ) {
    db.run(`CREATE TABLE IF NOT EXISTS ledger (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      ${ROW_COLUMNS.map((column) => `${column} ${TEXT_COLUMNS.has(column) ? "TEXT" : "REAL"}`).join(",\n      ")}
    )`);
    db.run("CREATE INDEX IF NOT EXISTS ledger_ts ON ledger(ts)");
    db.run("CREATE INDEX IF NOT EXISTS ledger_layer_id ON ledger(layer, id)");
    db.run(`CREATE TABLE IF NOT EXISTS ledger_totals (
      dim TEXT NOT NULL, name TEXT NOT NULL,
      ${COUNTER_FIELDS.map((field) => `${field} REAL NOT NULL DEFAULT 0`).join(", ")},
      PRIMARY KEY (dim, name)
    )`);
    db.run(`CREATE TABLE IF NOT EXISTS ledger_hourly (
      bucket INTEGER NOT NULL, model TEXT NOT NULL,
      ${HOURLY_FIELDS.map((field) => `${field} REAL NOT NULL DEFAULT 0`).join(", ")},
      PRIMARY KEY (bucket, model)
    )`);
    // Counters and row fields added by later versions become new columns of an existing database.
    const columnsOf = (table: string) =>
      new Set(
        (db.query(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name),
      );
    const totalsColumns = columnsOf("ledger_totals");
    for (const field of COUNTER_FIELDS) {
      if (!totalsColumns.has(field))
        db.run(`ALTER TABLE ledger_totals ADD COLUMN ${field} REAL NOT NULL DEFAULT 0`);
    }
    const rowColumns = columnsOf("ledger");
    for (const column of ROW_COLUMNS) {
      if (!rowColumns.has(column))
        db.run(
          `ALTER TABLE ledger ADD COLUMN ${column} ${TEXT_COLUMNS.has(column) ? "TEXT" : "REAL"}`,
        );
    }
    const placeholders = `(${ROW_COLUMNS.map(() => "?").join(", ")})`;
    this.#insertRow = db.query(
      `INSERT INTO ledger (${ROW_COLUMNS.join(", ")}) VALUES ${placeholders}`,
    );
    this.#insertMany = db.query(
      `INSERT INTO ledger (${ROW_COLUMNS.join(", ")}) VALUES ${Array(ROWS_PER_INSERT).fill(placeholders).join(", ")}`,
    );
    const totalsUpdate = COUNTER_FIELDS.map((field) =>
      field === "first_ts"
        ? "first_ts = CASE WHEN ledger_totals.first_ts = 0 OR excluded.first_ts < ledger_totals.first_ts THEN excluded.first_ts ELSE ledger_totals.first_ts END"
        : field === "last_ts"
          ? "last_ts = MAX(ledger_totals.last_ts, excluded.last_ts)"
          : `${field} = ledger_totals.${field} + excluded.${field}`,
    ).join(", ");
    this.#upsertTotals = db.query(
      `INSERT INTO ledger_totals (dim, name, ${COUNTER_FIELDS.join(", ")}) VALUES (?, ?, ${COUNTER_FIELDS.map(() => "?").join(", ")})
       ON CONFLICT(dim, name) DO UPDATE SET ${totalsUpdate}`,
    );
    this.#upsertHourly = db.query(
      `INSERT INTO ledger_hourly (bucket, model, ${HOURLY_FIELDS.join(", ")}) VALUES (?, ?, ${HOURLY_FIELDS.map(() => "?").join(", ")})
       ON CONFLICT(bucket, model) DO UPDATE SET ${HOURLY_FIELDS.map((field) => `${field} = ledger_hourly.${field} + excluded.${field}`).join(", ")}`,
    );
    for (const { dim, name } of db.query("SELECT dim, name FROM ledger_totals").all() as {
      dim: string;
      name: string;
    }[]) {
      this.#known(dim).add(name);
    }
  }

  #known(dim: string): Set<string> {
    let names = this.#names.get(dim);
    if (!names) {
      names = new Set();
      this.#names.set(dim, names);
    }
    return names;
  }

  insert(row: LedgerRow): number {
    return this.insertAll([row]);
  }

  /** The hour of the roll-up that `row` adds into, in a batch's `hours`. */
  #hourOf(
    hours: Map<string, { bucket: number; model: string; sums: number[] }>,
    bucket: number,
    row: LedgerRow,
  ): { bucket: number; model: string; sums: number[] } {
    const model = row.layer === "cli" ? "(cli)" : (row.model ?? "unknown");
    const key = `${bucket}\u0000${model}`;
    let hour = hours.get(key);
    if (!hour) {
      hour = { bucket, model, sums: HOURLY_FIELDS.map(() => 0) };
      hours.set(key, hour);
    }
    return hour;
  }

  insertAll(rows: readonly LedgerRow[]): number {
    let id = 0;
    // One transaction for the batch, and one upsert per distinct total and hour rather than per
    // row: a batch's rows mostly share their provider, model, agent and hour.
    const totals = new Map<string, { dim: string; name: string; counters: Counters | null }>();
    const hours = new Map<string, { bucket: number; model: string; sums: number[] }>();
    // Rows that share their slices and hour add into the same totals and hour: those are looked
    // up once per kind of row in the batch, not once per row and slice.
    const targets = new Map<string, BatchTargets>();
    this.db.transaction(() => {
      id = this.#insertRows(rows);
      for (const row of rows) {
        const bucket = Math.floor(row.ts / HOUR) * HOUR;
        const signature = `${bucket}${sliceSignature(row)}`;
        let into = targets.get(signature);
        if (!into) {
          into = { totals: [], hour: this.#hourOf(hours, bucket, row) };
          for (const [dim, rawName] of rowSlices(row)) {
            const names = this.#known(dim);
            const name = names.has(rawName) || names.size < MAX_SLICE_NAMES ? rawName : "other";
            names.add(name);
            const key = `${dim}\u0000${name}`;
            let total = totals.get(key);
            if (!total) {
              total = { dim, name, counters: null };
              totals.set(key, total);
            }
            into.totals.push(total);
          }
          targets.set(signature, into);
        }
        const counters = rowCounters(row);
        for (const total of into.totals) {
          if (total.counters) mergeCounters(total.counters, counters);
          else total.counters = { ...counters };
        }
        addHourlyRow(into.hour.sums, row);
      }
      for (const { dim, name, counters } of totals.values()) {
        if (!counters) continue;
        this.#upsertTotals.run(dim, name, ...COUNTER_FIELDS.map((field) => counters[field]));
      }
      for (const { bucket, model, sums } of hours.values()) {
        this.#upsertHourly.run(bucket, model, ...sums);
      }
    })();
    return id;
  }

  /** Inserts the raw rows, many per statement; returns the last row's id. */
  #insertRows(rows: readonly LedgerRow[]): number {
    let id = 0;
    let at = 0;
    for (; at + ROWS_PER_INSERT <= rows.length; at += ROWS_PER_INSERT) {
      // One array bound positionally: spreading hundreds of values into arguments costs more
      // than the insert's own JavaScript.
      const values = new Array<string | number | null>(ROWS_PER_INSERT * ROW_COLUMNS.length);
      for (let i = 0; i < ROWS_PER_INSERT; i++)
        putDb(rows[at + i]!, values, i * ROW_COLUMNS.length);
      id = Number(this.#insertMany.run(values).lastInsertRowid);
    }
    for (; at < rows.length; at++) {
      const values = new Array<string | number | null>(ROW_COLUMNS.length);
      putDb(rows[at]!, values, 0);
      id = Number(this.#insertRow.run(values).lastInsertRowid);
    }
    return id;
  }

  lifetime(): Aggregate {
    const aggregate = new Aggregate();
    for (const r of this.db.query("SELECT * FROM ledger_totals").all() as (Counters & {
      dim: string;
      name: string;
    })[]) {
      const counters = emptyCounters();
      for (const field of COUNTER_FIELDS) counters[field] = Number(r[field] ?? 0);
      aggregate.addCounters(r.dim, r.name, counters);
    }
    return aggregate;
  }

  rowsAfter(
    afterId: number,
    options: { layer?: "proxy" | "cli"; limit?: number; sinceTs?: number } = {},
  ): StoredRow[] {
    const where = ["id > ?"];
    const params: (string | number)[] = [afterId];
    if (options.layer) {
      where.push("layer = ?");
      params.push(options.layer);
    }
    if (options.sinceTs !== undefined) {
      where.push("ts >= ?");
      params.push(options.sinceTs);
    }
    params.push(options.limit ?? 100_000);
    const rows = this.db
      .query(`SELECT * FROM ledger WHERE ${where.join(" AND ")} ORDER BY id LIMIT ?`)
      .all(...params) as DbRow[];
    return rows.map((r) => ({ id: r.id, row: fromDb(r) }));
  }

  newest(limit: number): StoredRow[] {
    const rows = this.db
      .query("SELECT * FROM ledger ORDER BY id DESC LIMIT ?")
      .all(limit) as DbRow[];
    return rows.map((r) => ({ id: r.id, row: fromDb(r) }));
  }

  rowCount(): number {
    return (this.db.query("SELECT COUNT(*) AS n FROM ledger").get() as { n: number }).n;
  }

  series(granularity: Granularity): SeriesPoint[] {
    const rows = this.db.query("SELECT * FROM ledger_hourly ORDER BY bucket").all() as (Record<
      (typeof HOURLY_FIELDS)[number],
      number
    > & {
      bucket: number;
      model: string;
    })[];
    const hourly = new Map<number, SeriesPoint>();
    for (const r of rows) {
      const existing = hourly.get(r.bucket);
      const byModel =
        r.model === "(cli)"
          ? {}
          : {
              [r.model]: {
                requests: r.requests,
                tokensSaved: r.tokens_saved,
                savedUsd: r.saved_usd,
              },
            };
      const point: SeriesPoint = {
        bucket: r.bucket,
        requests: r.requests + (existing?.requests ?? 0),
        tokensBefore: r.tokens_before + (existing?.tokensBefore ?? 0),
        tokensSaved: r.tokens_saved + (existing?.tokensSaved ?? 0),
        cliTokensSaved: r.cli_tokens_saved + (existing?.cliTokensSaved ?? 0),
        inputTokens: r.input_tokens + (existing?.inputTokens ?? 0),
        outputTokens: r.output_tokens + (existing?.outputTokens ?? 0),
        cacheReadTokens: r.cache_read_tokens + (existing?.cacheReadTokens ?? 0),
        cacheWriteTokens: r.cache_write_tokens + (existing?.cacheWriteTokens ?? 0),
        costUsd: r.cost_usd + (existing?.costUsd ?? 0),
        savedUsd: r.saved_usd + (existing?.savedUsd ?? 0),
        byModel: { ...existing?.byModel, ...byModel },
      };
      hourly.set(r.bucket, point);
    }
    return rebucket([...hourly.values()], granularity);
  }

  purge(): number {
    const cutoff = this.now() - this.retention.days * 86_400_000;
    const old = this.db.run("DELETE FROM ledger WHERE ts < ?", [cutoff]).changes;
    const over = this.db.run(
      "DELETE FROM ledger WHERE id IN (SELECT id FROM ledger ORDER BY id DESC LIMIT -1 OFFSET ?)",
      [this.retention.maxRows],
    ).changes;
    return old + over;
  }
}
