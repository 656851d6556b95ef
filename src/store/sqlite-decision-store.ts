/**
 * Compression decisions in SQLite, so replayed history stays byte-identical across restarts.
 * Entries unused for `retentionDays` are purged, and the table is capped by row count (least
 * recently used first); a read refreshes an entry's last-use time at most once an hour, written
 * with the next put or purge, so a lookup never writes (and never waits on another process's lock).
 * @module
 */

import type { Database, Statement } from "bun:sqlite";
import type { Decision, DecisionStore } from "../compress/decisions.ts";

interface Row {
  kind: string;
  text: string | null;
  strategy: string | null;
  lossy: number;
  reason: string | null;
  used_at: number;
}

const HOUR_MS = 3_600_000;
// Refreshes waiting for the next write; beyond this many, the extra ones wait for a later read.
const MAX_TOUCHES = 10_000;

/** A decision store on the workspace database. */
export class SqliteDecisionStore implements DecisionStore {
  readonly #select: Statement<Row, [string]>;
  readonly #upsert: Statement<
    unknown,
    [string, string, string | null, string | null, number, string | null, number]
  >;
  readonly #touch: Statement<unknown, [number, string]>;
  readonly #now: () => number;
  readonly #touches = new Set<string>();

  constructor(
    readonly db: Database,
    readonly options: { retentionDays?: number; maxRows?: number; now?: () => number } = {},
  ) {
    db.run(`CREATE TABLE IF NOT EXISTS replay_decisions (
      key TEXT PRIMARY KEY,
      kind TEXT NOT NULL,
      text TEXT,
      strategy TEXT,
      lossy INTEGER NOT NULL DEFAULT 0,
      reason TEXT,
      used_at INTEGER NOT NULL
    )`);
    db.run("CREATE INDEX IF NOT EXISTS replay_decisions_used ON replay_decisions(used_at)");
    this.#select = db.query(
      "SELECT kind, text, strategy, lossy, reason, used_at FROM replay_decisions WHERE key = ?",
    );
    this.#upsert = db.query(
      "INSERT OR REPLACE INTO replay_decisions (key, kind, text, strategy, lossy, reason, used_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    );
    this.#touch = db.query("UPDATE replay_decisions SET used_at = ? WHERE key = ?");
    this.#now = options.now ?? Date.now;
  }

  get(key: string): Decision | undefined {
    const row = this.#select.get(key);
    if (!row) return undefined;
    const now = this.#now();
    if (now - row.used_at > HOUR_MS && this.#touches.size < MAX_TOUCHES) this.#touches.add(key);
    if (row.kind === "compressed") {
      return {
        kind: "compressed",
        text: row.text ?? "",
        strategy: row.strategy ?? "",
        lossy: row.lossy === 1,
      };
    }
    return { kind: "kept", reason: row.reason ?? "" };
  }

  put(key: string, decision: Decision): void {
    this.#writeTouches();
    if (decision.kind === "compressed") {
      this.#upsert.run(
        key,
        "compressed",
        decision.text,
        decision.strategy,
        decision.lossy ? 1 : 0,
        null,
        this.#now(),
      );
    } else {
      this.#upsert.run(key, "kept", null, null, 0, decision.reason, this.#now());
    }
  }

  /** Drops expired entries and trims to the row cap; returns how many rows went. */
  purge(): number {
    this.#writeTouches();
    const retention = (this.options.retentionDays ?? 30) * 24 * HOUR_MS;
    const expired = this.db.run("DELETE FROM replay_decisions WHERE used_at < ?", [
      this.#now() - retention,
    ]).changes;
    const maxRows = this.options.maxRows ?? 200_000;
    const trimmed = this.db.run(
      "DELETE FROM replay_decisions WHERE key IN (SELECT key FROM replay_decisions ORDER BY used_at DESC LIMIT -1 OFFSET ?)",
      [maxRows],
    ).changes;
    return expired + trimmed;
  }

  #writeTouches(): void {
    if (this.#touches.size === 0) return;
    const now = this.#now();
    this.db.transaction(() => {
      for (const key of this.#touches) this.#touch.run(now, key);
    })();
    this.#touches.clear();
  }
}
