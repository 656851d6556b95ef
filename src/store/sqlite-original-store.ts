/**
 * Originals in the workspace database: they survive restarts, expire after their time to live
 * (purged in the background), and the table is kept under a byte cap by evicting the oldest.
 * @module
 */

import type { Database, Statement } from "bun:sqlite";
import {
  type OriginalInput,
  type OriginalMiss,
  type OriginalStore,
  type OriginalStoreStats,
  RetrievalCounters,
  type StoredOriginal,
} from "../ccr/original-store.ts";

interface Row {
  hash: string;
  content: string;
  tool_name: string | null;
  original_items: number | null;
  kept_items: number | null;
  created_at: number;
  retrieval_count: number;
}

const encoder = new TextEncoder();
// A replayed original's age is refreshed at most this often, to keep writes off every request.
const REFRESH_AFTER_MS = 60_000;

/** An original store on the workspace database. */
export class SqliteOriginalStore implements OriginalStore {
  readonly #counters = new RetrievalCounters();
  readonly #insert: Statement<
    unknown,
    [string, string, string | null, number | null, number | null, number, number]
  >;
  readonly #refresh: Statement<unknown, [number, string, number]>;
  readonly #select: Statement<Row, [string]>;
  readonly #count: Statement<unknown, [string]>;
  readonly #delete: Statement<unknown, [string]>;
  readonly #now: () => number;
  #bytes: number;
  #entries: number;

  constructor(
    readonly db: Database,
    readonly ttlSeconds = 86_400,
    readonly maxBytes = 512 * 1024 * 1024,
    now: () => number = Date.now,
  ) {
    this.#now = now;
    db.run(`CREATE TABLE IF NOT EXISTS ccr_originals (
      hash TEXT PRIMARY KEY,
      content TEXT NOT NULL,
      tool_name TEXT,
      original_items INTEGER,
      kept_items INTEGER,
      bytes INTEGER NOT NULL,
      created_at INTEGER NOT NULL,
      retrieval_count INTEGER NOT NULL DEFAULT 0
    )`);
    db.run("CREATE INDEX IF NOT EXISTS ccr_originals_created ON ccr_originals(created_at)");
    this.#insert = db.query(
      "INSERT OR IGNORE INTO ccr_originals (hash, content, tool_name, original_items, kept_items, bytes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    );
    this.#refresh = db.query(
      "UPDATE ccr_originals SET created_at = ? WHERE hash = ? AND created_at < ?",
    );
    this.#select = db.query(
      "SELECT hash, content, tool_name, original_items, kept_items, created_at, retrieval_count FROM ccr_originals WHERE hash = ?",
    );
    this.#count = db.query(
      "UPDATE ccr_originals SET retrieval_count = retrieval_count + 1 WHERE hash = ?",
    );
    this.#delete = db.query("DELETE FROM ccr_originals WHERE hash = ?");
    const totals = db
      .query("SELECT COUNT(*) AS n, COALESCE(SUM(bytes), 0) AS b FROM ccr_originals")
      .get() as {
      n: number;
      b: number;
    };
    this.#entries = totals.n;
    this.#bytes = totals.b;
  }

  put(entry: OriginalInput): void {
    const now = this.#now();
    const bytes = encoder.encode(entry.content).length;
    const inserted = this.#insert.run(
      entry.hash,
      entry.content,
      entry.toolName ?? null,
      entry.originalItems ?? null,
      entry.keptItems ?? null,
      bytes,
      now,
    ).changes;
    if (inserted === 0) {
      this.#refresh.run(now, entry.hash, now - REFRESH_AFTER_MS);
      return;
    }
    this.#entries++;
    this.#bytes += bytes;
    if (this.#bytes > this.maxBytes) this.#evict(entry.hash);
  }

  get(hash: string): StoredOriginal | OriginalMiss {
    const now = this.#now();
    const row = this.#select.get(hash);
    if (!row) {
      this.#counters.record(hash, false, undefined, now);
      return { status: "missing" };
    }
    const ageSeconds = Math.floor((now - row.created_at) / 1000);
    if (ageSeconds >= this.ttlSeconds) {
      // Best effort: a store that refuses writes still answers lookups (purge drops it later).
      if (this.#bestEffort(() => this.#delete.run(hash))) {
        this.#entries--;
        this.#bytes -= encoder.encode(row.content).length;
      }
      this.#counters.expired++;
      this.#counters.record(hash, false, row.tool_name ?? undefined, now);
      return { status: "expired", ageSeconds };
    }
    this.#bestEffort(() => this.#count.run(hash));
    this.#counters.record(hash, true, row.tool_name ?? undefined, now);
    return {
      hash: row.hash,
      content: row.content,
      toolName: row.tool_name ?? undefined,
      originalItems: row.original_items ?? undefined,
      keptItems: row.kept_items ?? undefined,
      createdAt: row.created_at,
      retrievalCount: row.retrieval_count + 1,
    };
  }

  purgeExpired(): number {
    const cutoff = this.#now() - this.ttlSeconds * 1000;
    const gone = this.db
      .query(
        "SELECT COUNT(*) AS n, COALESCE(SUM(bytes), 0) AS b FROM ccr_originals WHERE created_at <= ?",
      )
      .get(cutoff) as { n: number; b: number };
    if (gone.n === 0) return 0;
    this.db.run("DELETE FROM ccr_originals WHERE created_at <= ?", [cutoff]);
    this.#entries -= gone.n;
    this.#bytes -= gone.b;
    this.#counters.expired += gone.n;
    return gone.n;
  }

  stats(): OriginalStoreStats {
    return {
      backend: "sqlite",
      entries: this.#entries,
      bytes: this.#bytes,
      maxBytes: this.maxBytes,
      ttlSeconds: this.ttlSeconds,
      hits: this.#counters.hits,
      misses: this.#counters.misses,
      evictions: this.#counters.evictions,
      expired: this.#counters.expired,
      recentRetrievals: this.#counters.recent(),
      retrievalsByTool: this.#counters.byTool(),
    };
  }

  /** Runs a bookkeeping write; false when the store refused it. */
  #bestEffort(write: () => unknown): boolean {
    try {
      write();
      return true;
    } catch {
      return false;
    }
  }

  /** Removes the oldest originals (never `keep`) until the table fits under the byte cap. */
  #evict(keep: string): void {
    const oldest = this.db.query(
      "SELECT hash, bytes FROM ccr_originals WHERE hash != ? ORDER BY created_at ASC LIMIT 64",
    );
    while (this.#bytes > this.maxBytes) {
      const rows = oldest.all(keep) as { hash: string; bytes: number }[];
      if (rows.length === 0) break;
      for (const row of rows) {
        if (this.#bytes <= this.maxBytes) break;
        this.#delete.run(row.hash);
        this.#entries--;
        this.#bytes -= row.bytes;
        this.#counters.evictions++;
      }
    }
  }
}
