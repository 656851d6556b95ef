/**
 * Opens the stores the proxy keeps (SQLite in the workspace, or memory with --stateless; with
 * `HEADROOM_REDIS_URL` the decisions, originals and hidden calls live in the Redis the team's
 * replicas share, and the ledger stays the replica's own), and schedules their upkeep (purge,
 * flush) once the app has guarded them.
 * @module
 */

import { hostname } from "node:os";
import { type HiddenCallStore, MemoryHiddenCallStore } from "../ccr/hidden-calls.ts";
import type { OriginalStore } from "../ccr/original-store.ts";
import type { ConversationStore } from "../compress/conversation-store.ts";
import type { DecisionStore } from "../compress/decisions.ts";
import type { ProxyConfig } from "../core/config.ts";
import type { Logger } from "../core/logger.ts";
import type { LedgerStore } from "../stats/ledger-store.ts";
import type { StoreUpkeep } from "../store/guard-stores.ts";
import { MemoryConversationStore } from "../store/memory-conversation-store.ts";
import { MemoryDecisionStore } from "../store/memory-decision-store.ts";
import { MemoryLedgerStore } from "../store/memory-ledger.ts";
import { MemoryOriginalStore } from "../store/memory-original-store.ts";
import { RedisDecisionStore } from "../store/redis-decision-store.ts";
import { RedisHiddenCallStore } from "../store/redis-hidden-call-store.ts";
import { RedisLink } from "../store/redis-link.ts";
import { RedisOriginalStore } from "../store/redis-original-store.ts";
import { RedisTeamLedger } from "../store/redis-team-ledger.ts";
import { SqliteConversationStore } from "../store/sqlite-conversation-store.ts";
import { openWorkspaceDatabase } from "../store/sqlite-db.ts";
import { SqliteDecisionStore } from "../store/sqlite-decision-store.ts";
import { SqliteHiddenCallStore } from "../store/sqlite-hidden-call-store.ts";
import { SqliteLedgerStore } from "../store/sqlite-ledger.ts";
import { SqliteOriginalStore } from "../store/sqlite-original-store.ts";

/** The proxy's stores as opened (createApp puts them behind their guards), and how to close them. */
export interface Stores {
  readonly decisions: DecisionStore;
  readonly originals: OriginalStore;
  readonly ledger: LedgerStore;
  readonly hiddenCalls: HiddenCallStore;
  readonly conversations: ConversationStore;
  /** Ledger rows are written in one transaction per this interval rather than one per request. */
  readonly ledgerWriteBehindMs: number;
  /** The team's roll-ups and this replica's name among the team's (with Redis only). */
  readonly team?: RedisTeamLedger;
  readonly replicaId?: string;
  close(): void;
}

// Expired originals go within a minute; each purge is an indexed DELETE.
const PURGE_EVERY_MS = 60_000;
// Held decisions and ledger rows are written as soon as the store takes them, traffic or not.
const FLUSH_EVERY_MS = 5_000;
// A crash loses at most this much of the ledger, never a response. Each commit rewrites the
// same last pages of the table and indexes: batches of ~800 rows cost about two thirds of the
// CPU per row that batches of ~165 (50 ms at 3,300 requests a second) did.
const LEDGER_WRITE_BEHIND_MS = 250;
// bun:sqlite waits for another process's lock on the event loop: keep that wait short (the CLI
// writes one row at a time); a longer lock is a failure episode the guards handle.
const BUSY_TIMEOUT_MS = 250;
// Each replica keeps at most this much of the shared originals in memory.
const LOCAL_ORIGINALS_BYTES = 64 * 1024 * 1024;

/** Opens the stores for `config`. */
export function openStores(config: ProxyConfig): Stores {
  const db = config.stateless
    ? undefined
    : openWorkspaceDatabase(config.workspaceDir, BUSY_TIMEOUT_MS);
  const ledger = db
    ? new SqliteLedgerStore(db, { days: config.ledgerRetentionDays, maxRows: config.ledgerMaxRows })
    : new MemoryLedgerStore();
  const ledgerWriteBehindMs = db ? LEDGER_WRITE_BEHIND_MS : 0;
  if (config.redisUrl) {
    const link = new RedisLink(config.redisUrl);
    const localBytes = Math.min(config.ccrMaxBytes, LOCAL_ORIGINALS_BYTES);
    const replicaId = config.replicaId ?? hostname();
    return {
      team: new RedisTeamLedger(link, replicaId),
      replicaId,
      decisions: new RedisDecisionStore(link),
      originals: new RedisOriginalStore(link, config.ccrTtlSeconds, localBytes),
      hiddenCalls: new RedisHiddenCallStore(link),
      // Conversation clocks are not shared between replicas yet, and a replica that missed a
      // conversation's latest turns would take its warm cache for an expired one. A store that
      // keeps nothing leaves every conversation unknown, and an unknown one is never compacted.
      conversations: new MemoryConversationStore(0),
      ledger,
      ledgerWriteBehindMs,
      close: () => {
        link.close();
        db?.close();
      },
    };
  }
  return {
    decisions: db ? new SqliteDecisionStore(db) : new MemoryDecisionStore(),
    originals: db
      ? new SqliteOriginalStore(db, config.ccrTtlSeconds, config.ccrMaxBytes)
      : new MemoryOriginalStore(config.ccrTtlSeconds, config.ccrMaxBytes),
    ledger,
    hiddenCalls: db ? new SqliteHiddenCallStore(db) : new MemoryHiddenCallStore(),
    conversations: db ? new SqliteConversationStore(db) : new MemoryConversationStore(),
    ledgerWriteBehindMs,
    close: () => db?.close(),
  };
}

/**
 * Runs the stores' upkeep in the background: a purge now and every minute, held writes flushed
 * every few seconds. The guards absorb failures and announce each episode once, so no warning
 * per purge here. The returned function stops it and writes what is still held.
 */
export function startUpkeep(upkeep: StoreUpkeep, log: Logger): () => void {
  const purge = () => {
    const removed = upkeep.purge();
    if (removed > 0) log.debug("purged expired store entries", { removed });
  };
  purge();
  const timers = [
    setInterval(purge, PURGE_EVERY_MS),
    setInterval(() => upkeep.flush(), FLUSH_EVERY_MS),
  ];
  for (const timer of timers) timer.unref();
  return () => {
    for (const timer of timers) clearInterval(timer);
    upkeep.flush();
  };
}
