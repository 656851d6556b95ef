/**
 * On the first start in a workspace, carries the original Headroom's lifetime savings
 * (`proxy_savings.json`, where the original keeps it) into the ledger, once: a marker file in
 * the workspace records the import, and every later start only reads it back for /stats.
 * A file that cannot be read is reported and left alone; the proxy starts regardless.
 * @module
 */

import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ProxyConfig } from "../core/config.ts";
import type { Logger } from "../core/logger.ts";
import type { LedgerStore } from "../stats/ledger-store.ts";
import { originalSavingsRows } from "../stats/original-savings.ts";
import type { ImportedSavings } from "../stats/stats-service.ts";

/** The marker: written after the rows are in, holding what /stats reports as `imported_from`. */
export const IMPORT_MARKER = "original-headroom-import.json";

/** Where the original keeps its savings: HEADROOM_SAVINGS_PATH, else in its workspace. */
function originalSavingsPath(config: ProxyConfig) {
  return config.originalSavingsPath || join(config.workspaceDir, "proxy_savings.json");
}

/**
 * Imports the original's savings unless this workspace did already; returns what was imported
 * (now or on an earlier start), or undefined.
 */
export function importOriginalSavings(
  config: ProxyConfig,
  ledger: LedgerStore,
  log: Logger,
  now = Date.now(),
): ImportedSavings | undefined {
  // Nothing durable to carry the figures into.
  if (config.stateless) return undefined;
  const marker = join(config.workspaceDir, IMPORT_MARKER);
  if (existsSync(marker)) {
    try {
      return JSON.parse(readFileSync(marker, "utf8")) as ImportedSavings;
    } catch {
      // An unreadable marker still means "imported": never import twice.
      return undefined;
    }
  }
  const path = originalSavingsPath(config);
  let body: string;
  try {
    body = readFileSync(path, "utf8");
  } catch {
    return undefined; // No original installation here: nothing to say.
  }
  const parsed = originalSavingsRows(body, now);
  if (typeof parsed === "string") {
    log.warn("the original Headroom's savings file cannot be read; not imported", {
      path,
      reason: parsed,
    });
    return undefined;
  }
  const imported: ImportedSavings = {
    path,
    imported_at: new Date(now).toISOString(),
    ...parsed.summary,
  };
  try {
    // The marker first: a crash after it loses the import, one before it cannot double it.
    writeFileSync(marker, `${JSON.stringify(imported, null, 2)}\n`, { mode: 0o600 });
  } catch (error) {
    log.warn("cannot record the import of the original Headroom's savings; not imported", {
      path: marker,
      reason: (error as Error).message,
    });
    return undefined;
  }
  try {
    if (ledger.insertAll) ledger.insertAll(parsed.rows);
    else for (const row of parsed.rows) ledger.insert(row);
  } catch (error) {
    rmSync(marker, { force: true });
    log.warn("importing the original Headroom's savings failed", {
      path,
      reason: (error as Error).message,
    });
    return undefined;
  }
  log.info("imported the original Headroom's lifetime savings", {
    path,
    requests: imported.requests,
    tokens_saved: imported.tokens_saved,
    compression_savings_usd: imported.compression_savings_usd,
  });
  return imported;
}
