/**
 * Opens the stores the proxy keeps: SQLite in the workspace, or memory with --stateless.
 * @module
 */

import type { OriginalStore } from "../ccr/original-store.ts";
import type { DecisionStore } from "../compress/decisions.ts";
import type { ProxyConfig } from "../core/config.ts";
import type { Logger } from "../core/logger.ts";
import { MemoryDecisionStore } from "../store/memory-decision-store.ts";
import { MemoryOriginalStore } from "../store/memory-original-store.ts";
import { openWorkspaceDatabase } from "../store/sqlite-db.ts";
import { SqliteDecisionStore } from "../store/sqlite-decision-store.ts";

/** The proxy's stores and how to close them. */
export interface Stores {
  readonly decisions: DecisionStore;
  readonly originals: OriginalStore;
  close(): void;
}

const PURGE_EVERY_MS = 3_600_000;

/** Opens the stores for `config`. */
export function openStores(config: ProxyConfig, log: Logger): Stores {
  if (config.stateless) {
    return {
      decisions: new MemoryDecisionStore(),
      originals: new MemoryOriginalStore(),
      close() {},
    };
  }
  const db = openWorkspaceDatabase(config.workspaceDir);
  const decisions = new SqliteDecisionStore(db);
  const purge = () => {
    try {
      const removed = decisions.purge();
      if (removed > 0) log.debug("purged replay decisions", { removed });
    } catch (error) {
      log.warn("cannot purge replay decisions", { error: (error as Error).message });
    }
  };
  purge();
  const timer = setInterval(purge, PURGE_EVERY_MS);
  timer.unref();
  return {
    decisions,
    // The durable original store arrives with retrieval; until then originals live in memory.
    originals: new MemoryOriginalStore(),
    close() {
      clearInterval(timer);
      db.close();
    },
  };
}
