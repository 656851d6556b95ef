/**
 * Hidden retrieve-call sets in SQLite, so a conversation whose reply mixed headroom_retrieve with
 * the client's own tool call gets the same history back after a restart (the provider cached it
 * with the hidden pair in place). Records are read through a memory store, and the anchors on
 * disk are known up front, so a request only reads SQLite for an anchor it really holds. The
 * table keeps the most recently written `maxRows`. A failing database never fails a request:
 * the memory store carries on, and the episode is reported once like the other stores'.
 * @module
 */

import type { Database, Statement } from "bun:sqlite";
import {
  type HiddenCallStore,
  type HiddenRecord,
  MemoryHiddenCallStore,
} from "../ccr/hidden-calls.ts";
import { type StoreReport, StoreStatus } from "./store-status.ts";

// Records carry the retrieved originals: keep the table to a bounded number of them.
const DEFAULT_MAX_ROWS = 2_000;
// The oldest rows beyond the bound are deleted once per this many writes.
const TRIM_EVERY = 100;

/** A hidden-call store on the workspace database. */
export class SqliteHiddenCallStore implements HiddenCallStore {
  readonly status = new StoreStatus("hidden calls");
  readonly #memory: MemoryHiddenCallStore;
  readonly #anchors = new Set<string>();
  readonly #select: Statement<{ record: string }, [string]>;
  readonly #upsert: Statement<unknown, [string, string, number]>;
  #writes = 0;

  constructor(
    readonly db: Database,
    readonly maxRows = DEFAULT_MAX_ROWS,
    readonly now: () => number = Date.now,
  ) {
    db.run(`CREATE TABLE IF NOT EXISTS hidden_calls (
      anchor TEXT PRIMARY KEY,
      record TEXT NOT NULL,
      written_at INTEGER NOT NULL
    )`);
    db.run("CREATE INDEX IF NOT EXISTS hidden_calls_written ON hidden_calls(written_at)");
    this.#select = db.query("SELECT record FROM hidden_calls WHERE anchor = ?");
    this.#upsert = db.query(
      "INSERT OR REPLACE INTO hidden_calls (anchor, record, written_at) VALUES (?, ?, ?)",
    );
    for (const { anchor } of db.query("SELECT anchor FROM hidden_calls").all() as {
      anchor: string;
    }[]) {
      this.#anchors.add(anchor);
    }
    this.#memory = new MemoryHiddenCallStore(maxRows);
  }

  /** What /health and /stats show about this store. */
  report(): StoreReport & { remembered: number } {
    return { ...this.status.report(), remembered: this.size };
  }

  get size(): number {
    return Math.max(this.#anchors.size, this.#memory.size);
  }

  put(record: HiddenRecord): void {
    this.#memory.put(record);
    if (!this.status.allows("write")) {
      this.status.skip("write");
      return;
    }
    try {
      this.#upsert.run(record.anchor, JSON.stringify(record), this.now());
      this.#anchors.add(record.anchor);
      if (++this.#writes % TRIM_EVERY === 0) this.#trim();
      this.status.succeeded("write");
    } catch (error) {
      this.status.failed("write", error);
    }
  }

  get(anchor: string): HiddenRecord | undefined {
    const remembered = this.#memory.get(anchor);
    if (remembered || !this.#anchors.has(anchor)) return remembered;
    if (!this.status.allows("read")) {
      this.status.skip("read");
      return undefined;
    }
    try {
      const row = this.#select.get(anchor);
      this.status.succeeded("read");
      if (!row) {
        this.#anchors.delete(anchor);
        return undefined;
      }
      const record = JSON.parse(row.record) as HiddenRecord;
      this.#memory.put(record);
      return record;
    } catch (error) {
      this.status.failed("read", error);
      return undefined;
    }
  }

  #trim(): void {
    const doomed = this.db
      .query(
        "SELECT anchor FROM hidden_calls ORDER BY written_at DESC, rowid DESC LIMIT -1 OFFSET ?",
      )
      .all(this.maxRows) as { anchor: string }[];
    if (doomed.length === 0) return;
    const remove = this.db.query("DELETE FROM hidden_calls WHERE anchor = ?");
    this.db.transaction(() => {
      for (const { anchor } of doomed) {
        remove.run(anchor);
        this.#anchors.delete(anchor);
      }
    })();
  }
}
