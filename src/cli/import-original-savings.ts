/**
 * On the first start in a workspace, carries the original Headroom's lifetime savings
 * (`proxy_savings.json`, where the original keeps it) and its request log (the JSON lines it
 * appended to `--log-file`; it kept none by default) into the ledger, once: a marker file in the
 * workspace records the import, and every later start only reads it back for /stats. A file that
 * cannot be read is reported and nothing is imported; the proxy starts regardless.
 * @module
 */

import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ProxyConfig } from "../core/config.ts";
import type { Logger } from "../core/logger.ts";
import type { LedgerRow } from "../stats/ledger-row.ts";
import type { LedgerStore } from "../stats/ledger-store.ts";
import { requestLogLine } from "../stats/original-request-log.ts";
import {
  type LoggedSpan,
  NO_FIGURES,
  type OriginalSavings,
  originalImport,
  parseOriginalSavings,
  plus,
  rowFigures,
} from "../stats/original-savings.ts";
import type { PriceTable } from "../stats/prices.ts";
import type { ImportedSavings } from "../stats/stats-service.ts";
import { readLines } from "./read-lines.ts";

/** The marker: written after the rows are in, holding what /stats reports as `imported_from`. */
export const IMPORT_MARKER = "original-headroom-import.json";

/** Rows inserted per transaction while the request log streams in. */
const BATCH = 5000;

/** Where the original keeps its savings: HEADROOM_SAVINGS_PATH, else in its workspace. */
function originalSavingsPath(config: ProxyConfig) {
  return config.originalSavingsPath || join(config.workspaceDir, "proxy_savings.json");
}

const missing = (error: unknown) => (error as NodeJS.ErrnoException)?.code === "ENOENT";

/** The savings file, undefined when there is none, or why it cannot be read. */
function readSavings(path: string): OriginalSavings | undefined | string {
  let body: string;
  try {
    body = readFileSync(path, "utf8");
  } catch (error) {
    return missing(error) ? undefined : (error as Error).message;
  }
  return parseOriginalSavings(body);
}

/**
 * Each of the original's entries in the request log, in order. Its entries come first: headroom
 * appends its own lines to the same file, so the first of those ends them.
 */
function* loggedRows(path: string, prices: PriceTable, skipped: { lines: number }) {
  for (const line of readLines(path)) {
    const read = requestLogLine(line, prices);
    if (read.kind === "own") return;
    if (read.kind === "entry") yield read.row;
    else if (read.kind === "unreadable") skipped.lines++;
  }
}

/** The request log summed in one pass, undefined when it holds no entry, or why it cannot be read. */
function scanLog(path: string, prices: PriceTable): LoggedSpan | undefined | string {
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  let entries = 0;
  let figures = NO_FIGURES;
  try {
    for (const row of loggedRows(path, prices, { lines: 0 })) {
      first = Math.min(first, row.ts);
      last = Math.max(last, row.ts);
      entries++;
      figures = plus(figures, rowFigures(row));
    }
  } catch (error) {
    return missing(error) ? undefined : (error as Error).message;
  }
  return entries > 0 ? { first, last, entries, figures } : undefined;
}

/** Inserts rows, in one transaction where the store has them; returns how many. */
function insert(ledger: LedgerStore, rows: readonly LedgerRow[]): number {
  if (rows.length === 0) return 0;
  if (ledger.insertAll) ledger.insertAll(rows);
  else for (const row of rows) ledger.insert(row);
  return rows.length;
}

/**
 * Imports the original's savings and request log unless this workspace did already; returns
 * what was imported (now or on an earlier start), or undefined.
 */
export function importOriginalSavings(
  config: ProxyConfig,
  ledger: LedgerStore,
  log: Logger,
  prices: PriceTable,
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
  const savings = readSavings(path);
  if (typeof savings === "string") {
    log.warn("the original Headroom's savings file cannot be read; not imported", {
      path,
      reason: savings,
    });
    return undefined;
  }
  const logPath = config.logFile;
  const span = logPath ? scanLog(logPath, prices) : undefined;
  if (typeof span === "string") {
    log.warn("the original Headroom's request log cannot be read; nothing imported", {
      path: logPath,
      reason: span,
    });
    return undefined;
  }
  // No original installation here: nothing to say.
  if (!savings && !span) return undefined;
  const plan = originalImport(savings, span, now);
  const skipped = { lines: 0 };
  const imported: ImportedSavings = {
    path: savings ? path : null,
    imported_at: new Date(now).toISOString(),
    ...plan.summary,
    ...(span && logPath ? { request_log: { path: logPath, entries: span.entries } } : {}),
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
  let inserted = 0;
  try {
    // In time order: checkpoints before the log, its entries, then the rest.
    inserted += insert(ledger, plan.before);
    if (span && logPath) {
      let batch: LedgerRow[] = [];
      for (const row of loggedRows(logPath, prices, skipped)) {
        batch.push(row);
        if (batch.length < BATCH) continue;
        inserted += insert(ledger, batch);
        batch = [];
      }
      inserted += insert(ledger, batch);
    }
    inserted += insert(ledger, plan.after);
  } catch (error) {
    // Nothing in yet: a later start may try again. Some rows in: the marker stays, so what
    // is in is never doubled.
    if (inserted === 0) rmSync(marker, { force: true });
    log.warn("importing the original Headroom's savings failed", {
      path: savings ? path : logPath,
      reason: (error as Error).message,
      rows_imported: inserted,
    });
    return inserted === 0 ? undefined : imported;
  }
  log.info(
    savings
      ? "imported the original Headroom's lifetime savings"
      : "imported the original Headroom's request log",
    {
      ...(savings ? { path } : {}),
      ...(span ? { request_log: logPath, request_log_entries: span.entries } : {}),
      ...(skipped.lines > 0 ? { request_log_unreadable_lines: skipped.lines } : {}),
      requests: imported.requests,
      tokens_saved: imported.tokens_saved,
      compression_savings_usd: imported.compression_savings_usd,
    },
  );
  return imported;
}
