/**
 * Opens the stores the proxy keeps (SQLite in the workspace, or memory with --stateless) and
 * purges their expired entries in the background.
 * @module
 */

import type { OriginalStore } from "../ccr/original-store.ts";
import type { DecisionStore } from "../compress/decisions.ts";
import type { ProxyConfig } from "../core/config.ts";
import type { Logger } from "../core/logger.ts";
import type { LedgerStore } from "../stats/ledger-store.ts";
import { MemoryDecisionStore } from "../store/memory-decision-store.ts";
import { MemoryLedgerStore } from "../store/memory-ledger.ts";
import { MemoryOriginalStore } from "../store/memory-original-store.ts";
import { openWorkspaceDatabase } from "../store/sqlite-db.ts";
import { SqliteDecisionStore } from "../store/sqlite-decision-store.ts";
import { SqliteLedgerStore } from "../store/sqlite-ledger.ts";
import { SqliteOriginalStore } from "../store/sqlite-original-store.ts";

/** The proxy's stores and how to close them. */
export interface Stores {
  readonly decisions: DecisionStore;
  readonly originals: OriginalStore;
  readonly ledger: LedgerStore;
  close(): void;
}

// Expired originals go within a minute; each purge is an indexed DELETE.
const PURGE_EVERY_MS = 60_000;

/** Opens the stores for `config`. */
export function openStores(config: ProxyConfig, log: Logger): Stores {
  const db = config.stateless ? undefined : openWorkspaceDatabase(config.workspaceDir);
  const decisions = db ? new SqliteDecisionStore(db) : new MemoryDecisionStore();
  const originals = db
    ? new SqliteOriginalStore(db, config.ccrTtlSeconds, config.ccrMaxBytes)
    : new MemoryOriginalStore(config.ccrTtlSeconds, config.ccrMaxBytes);
  const ledger = db
    ? new SqliteLedgerStore(db, { days: config.ledgerRetentionDays, maxRows: config.ledgerMaxRows })
    : new MemoryLedgerStore();
  const purge = () => {
    try {
      const removed =
        originals.purgeExpired() +
        (decisions instanceof SqliteDecisionStore ? decisions.purge() : 0) +
        ledger.purge();
      if (removed > 0) log.debug("purged expired store entries", { removed });
    } catch (error) {
      log.warn("cannot purge expired store entries", { error: (error as Error).message });
    }
  };
  purge();
  const timer = setInterval(purge, PURGE_EVERY_MS);
  timer.unref();
  return {
    decisions,
    originals,
    ledger,
    close() {
      clearInterval(timer);
      db?.close();
    },
  };
}
