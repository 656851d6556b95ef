/**
 * Conversation clocks in SQLite, so a restart between two turns neither forgets that a cache
 * expired nor takes a warm one for expired. One small row per conversation; rows unused for a
 * week are purged (a purged clock only means no compaction) and the table is capped by row count.
 * @module
 */

import type { Database, Statement } from "bun:sqlite";
import type { ConversationState, ConversationStore } from "../compress/conversation-store.ts";

interface Row {
  last_request_at: number;
  ttl_ms: number;
  provider: string;
  input_tokens: number | null;
  cache_read_tokens: number | null;
  warm_gap_ms: number;
  compactions: number;
}

const DAY_MS = 86_400_000;

/** A conversation store on the workspace database. */
export class SqliteConversationStore implements ConversationStore {
  readonly #select: Statement<Row, [string]>;
  readonly #upsert: Statement<
    unknown,
    [string, number, number, string, number | null, number | null, number, number]
  >;

  constructor(
    readonly db: Database,
    readonly options: { maxRows?: number; retentionMs?: number; now?: () => number } = {},
  ) {
    db.run(`CREATE TABLE IF NOT EXISTS conversation_clocks (
      id TEXT PRIMARY KEY,
      last_request_at INTEGER NOT NULL,
      ttl_ms INTEGER NOT NULL,
      provider TEXT NOT NULL,
      input_tokens INTEGER,
      cache_read_tokens INTEGER,
      warm_gap_ms INTEGER NOT NULL DEFAULT 0,
      compactions INTEGER NOT NULL DEFAULT 0
    )`);
    db.run(
      "CREATE INDEX IF NOT EXISTS conversation_clocks_last ON conversation_clocks(last_request_at)",
    );
    this.#select = db.query(
      "SELECT last_request_at, ttl_ms, provider, input_tokens, cache_read_tokens, warm_gap_ms, compactions FROM conversation_clocks WHERE id = ?",
    );
    this.#upsert = db.query(
      "INSERT OR REPLACE INTO conversation_clocks (id, last_request_at, ttl_ms, provider, input_tokens, cache_read_tokens, warm_gap_ms, compactions) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    );
  }

  get(id: string): Promise<ConversationState | undefined> {
    const row = this.#select.get(id);
    if (!row) return Promise.resolve(undefined);
    return Promise.resolve({
      lastRequestAt: row.last_request_at,
      ttlMs: row.ttl_ms,
      provider: row.provider,
      inputTokens: row.input_tokens ?? undefined,
      cacheReadTokens: row.cache_read_tokens ?? undefined,
      warmGapMs: row.warm_gap_ms,
      compactions: row.compactions,
    });
  }

  put(id: string, state: ConversationState): Promise<void> {
    this.#upsert.run(
      id,
      Math.round(state.lastRequestAt),
      Math.round(state.ttlMs),
      state.provider,
      state.inputTokens ?? null,
      state.cacheReadTokens ?? null,
      Math.round(state.warmGapMs),
      state.compactions,
    );
    return Promise.resolve();
  }

  /** Drops clocks unused past the retention and trims to the row cap; returns how many went. */
  purge(): number {
    const now = (this.options.now ?? Date.now)();
    const expired = this.db.run("DELETE FROM conversation_clocks WHERE last_request_at < ?", [
      now - (this.options.retentionMs ?? 7 * DAY_MS),
    ]).changes;
    const trimmed = this.db.run(
      "DELETE FROM conversation_clocks WHERE id IN (SELECT id FROM conversation_clocks ORDER BY last_request_at DESC LIMIT -1 OFFSET ?)",
      [this.options.maxRows ?? 50_000],
    ).changes;
    return expired + trimmed;
  }
}
