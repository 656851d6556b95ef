/**
 * Opens the stores the proxy keeps (SQLite in the workspace, or memory with --stateless) and
 * purges their expired entries in the background.
 * @module
 */

import { type HiddenCallStore, MemoryHiddenCallStore } from "../ccr/hidden-calls.ts";
import type { ProxyConfig } from "../core/config.ts";
import type { Logger } from "../core/logger.ts";
import { GuardedDecisionStore } from "../store/guarded-decision-store.ts";
import { GuardedLedgerStore } from "../store/guarded-ledger.ts";
import { GuardedOriginalStore } from "../store/guarded-original-store.ts";
import { MemoryDecisionStore } from "../store/memory-decision-store.ts";
import { MemoryLedgerStore } from "../store/memory-ledger.ts";
import { MemoryOriginalStore } from "../store/memory-original-store.ts";
import { openWorkspaceDatabase } from "../store/sqlite-db.ts";
import { SqliteDecisionStore } from "../store/sqlite-decision-store.ts";
import { SqliteHiddenCallStore } from "../store/sqlite-hidden-call-store.ts";
import { SqliteLedgerStore } from "../store/sqlite-ledger.ts";
import { SqliteOriginalStore } from "../store/sqlite-original-store.ts";

/** The proxy's stores, behind their guards, and how to close them. */
export interface Stores {
  readonly decisions: GuardedDecisionStore;
  readonly originals: GuardedOriginalStore;
  readonly ledger: GuardedLedgerStore;
  readonly hiddenCalls: HiddenCallStore;
  close(): void;
}

// Expired originals go within a minute; each purge is an indexed DELETE.
const PURGE_EVERY_MS = 60_000;
// Held decisions and ledger rows are written as soon as the store takes them, traffic or not.
const FLUSH_EVERY_MS = 5_000;
// Ledger rows are written in one transaction per this interval rather than one per request
// (a crash loses at most this much of the ledger, never a response).
const LEDGER_WRITE_BEHIND_MS = 50;
// bun:sqlite waits for another process's lock on the event loop: keep that wait short (the CLI
// writes one row at a time); a longer lock is a failure episode the guards handle.
const BUSY_TIMEOUT_MS = 250;

/** Opens the stores for `config`. */
export function openStores(config: ProxyConfig, log: Logger): Stores {
  const db = config.stateless
    ? undefined
    : openWorkspaceDatabase(config.workspaceDir, BUSY_TIMEOUT_MS);
  const decisions = new GuardedDecisionStore(
    db ? new SqliteDecisionStore(db) : new MemoryDecisionStore(),
  );
  const originals = new GuardedOriginalStore(
    db
      ? new SqliteOriginalStore(db, config.ccrTtlSeconds, config.ccrMaxBytes)
      : new MemoryOriginalStore(config.ccrTtlSeconds, config.ccrMaxBytes),
  );
  const ledger = new GuardedLedgerStore(
    db
      ? new SqliteLedgerStore(db, {
          days: config.ledgerRetentionDays,
          maxRows: config.ledgerMaxRows,
        })
      : new MemoryLedgerStore(),
    undefined,
    undefined,
    db ? LEDGER_WRITE_BEHIND_MS : 0,
  );
  const durableHidden = db ? new SqliteHiddenCallStore(db) : undefined;
  const hiddenCalls = durableHidden ?? new MemoryHiddenCallStore();
  for (const guard of [decisions, originals, ledger, durableHidden]) guard?.status.logTo(log);
  // The guards absorb failures and announce each episode once: no warning per purge here.
  const purge = () => {
    const removed = originals.purgeExpired() + decisions.purge() + ledger.purge();
    if (removed > 0) log.debug("purged expired store entries", { removed });
  };
  const flush = () => {
    decisions.flush();
    ledger.flush();
  };
  purge();
  const timers = [setInterval(purge, PURGE_EVERY_MS), setInterval(flush, FLUSH_EVERY_MS)];
  for (const timer of timers) timer.unref();
  return {
    decisions,
    originals,
    ledger,
    hiddenCalls,
    close() {
      for (const timer of timers) clearInterval(timer);
      flush();
      db?.close();
    },
  };
}
