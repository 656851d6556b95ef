/**
 * Opens headroom's SQLite database in the workspace: WAL mode, one long-lived connection, a busy
 * timeout so a second process's short write is waited for, and a file only its owner can read.
 * @module
 */

import { Database } from "bun:sqlite";
import { closeSync, mkdirSync, openSync } from "node:fs";
import { join } from "node:path";

/** The database file's name inside the workspace directory. */
export const DATABASE_FILE = "headroom.sqlite";

/**
 * Opens (creating when needed) the workspace database. `busyTimeoutMs` is how long a write waits
 * for another process's lock; bun:sqlite waits synchronously, so the proxy passes a short one
 * (a stall blocks every request in flight) and the one-shot CLI commands keep the long default.
 */
export function openWorkspaceDatabase(workspaceDir: string, busyTimeoutMs = 5000): Database {
  mkdirSync(workspaceDir, { recursive: true, mode: 0o700 });
  const path = join(workspaceDir, DATABASE_FILE);
  // Create the file 0600 before SQLite does; its -wal and -shm files inherit these permissions.
  closeSync(openSync(path, "a", 0o600));
  const db = new Database(path, { create: true, strict: true });
  db.run("PRAGMA journal_mode = WAL");
  db.run("PRAGMA synchronous = NORMAL");
  db.run(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
  return db;
}
