/**
 * Store faults for tests, real where that is cheap: a workspace database another connection can
 * lock (BEGIN IMMEDIATE), fill (max_page_count) or open read-only; and fault injectors that
 * implement the store interfaces over memory stores and throw the very errors bun:sqlite throws
 * (captured from the real conditions) or the system's ENOSPC/EACCES shape.
 */

import { Database } from "bun:sqlite";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type {
  OriginalInput,
  OriginalMiss,
  OriginalStore,
  OriginalStoreStats,
  StoredOriginal,
} from "../../src/ccr/original-store.ts";
import type { Decision, DecisionStore } from "../../src/compress/decisions.ts";
import type { Aggregate } from "../../src/stats/aggregate.ts";
import type { LedgerRow } from "../../src/stats/ledger-row.ts";
import type {
  Granularity,
  LedgerStore,
  SeriesPoint,
  StoredRow,
} from "../../src/stats/ledger-store.ts";
import { MemoryDecisionStore } from "../../src/store/memory-decision-store.ts";
import { MemoryLedgerStore } from "../../src/store/memory-ledger.ts";
import { MemoryOriginalStore } from "../../src/store/memory-original-store.ts";
import { DATABASE_FILE, openWorkspaceDatabase } from "../../src/store/sqlite-db.ts";

/** A workspace database and the real ways to make it fail. */
export class FaultyWorkspace {
  readonly dir = mkdtempSync(join(tmpdir(), "headroom-store-faults-"));
  /** The connection the stores use (a short busy timeout keeps a locked test fast). */
  readonly db: Database;
  #locker: Database | undefined;

  constructor() {
    // The smallest pages, made before WAL fixes the size: once the file may not grow, any row
    // of a few hundred bytes needs a page it cannot have, so "full" does not depend on luck.
    const create = new Database(join(this.dir, DATABASE_FILE), { create: true });
    create.run("PRAGMA page_size = 512");
    create.run("VACUUM");
    create.close();
    this.db = openWorkspaceDatabase(this.dir, 20);
  }

  /** Another connection takes the write lock and holds it (what a second process does). */
  lock(): void {
    this.#locker = new Database(join(this.dir, DATABASE_FILE));
    this.#locker.run("BEGIN IMMEDIATE");
  }

  unlock(): void {
    this.#locker?.run("ROLLBACK");
    this.#locker?.close();
    this.#locker = undefined;
  }

  /** The database may not grow by one more page: the next write that needs one is SQLITE_FULL. */
  fill(): void {
    const { page_count } = this.db.query("PRAGMA page_count").get() as { page_count: number };
    this.db.run(`PRAGMA max_page_count = ${page_count}`);
  }

  unfill(): void {
    this.db.run("PRAGMA max_page_count = 1073741823");
  }

  /** A second connection to the same file that may only read (SQLITE_READONLY on writes). */
  readOnly(): Database {
    return new Database(join(this.dir, DATABASE_FILE), { readonly: true });
  }
}

/** The failures the injectors throw. */
export type FaultKind = "SQLITE_BUSY" | "SQLITE_READONLY" | "SQLITE_FULL" | "EACCES" | "ENOSPC";

let captured: Map<FaultKind, Error> | undefined;

/** The error bun:sqlite (or the system) throws for `kind`, captured from the real condition. */
export function realError(kind: FaultKind): Error {
  captured ??= captureErrors();
  return captured.get(kind)!;
}

function captureErrors(): Map<FaultKind, Error> {
  const errors = new Map<FaultKind, Error>();
  const catchIt = (kind: FaultKind, run: () => unknown) => {
    try {
      run();
    } catch (error) {
      errors.set(kind, error as Error);
      return;
    }
    throw new Error(`could not provoke ${kind}`);
  };
  const space = new FaultyWorkspace();
  space.db.run("CREATE TABLE t (x TEXT)");
  space.lock();
  catchIt("SQLITE_BUSY", () => space.db.run("INSERT INTO t VALUES ('a')"));
  space.unlock();
  const readOnly = space.readOnly();
  catchIt("SQLITE_READONLY", () => readOnly.run("INSERT INTO t VALUES ('a')"));
  readOnly.close();
  space.fill();
  catchIt("SQLITE_FULL", () => space.db.run("INSERT INTO t VALUES (?)", ["x".repeat(100_000)]));
  space.db.close();
  // What node:fs throws when a file cannot be written (made by hand: CI runs as root, where
  // permissions do not stop writes): an Error with code, errno and syscall.
  const systemError = (code: string, errno: number, text: string) =>
    Object.assign(new Error(`${code}: ${text}, open`), { code, errno, syscall: "open" });
  errors.set("EACCES", systemError("EACCES", -13, "permission denied"));
  errors.set("ENOSPC", systemError("ENOSPC", -28, "no space left on device"));
  return errors;
}

/** What an injector currently breaks. */
export class FaultSwitch {
  error: Error | undefined;
  ops = new Set<"read" | "write">();
  /** Operations that threw. */
  thrown = 0;

  /** Fails `ops` with `kind` until {@link heal}. */
  fail(kind: FaultKind, ops: ("read" | "write")[] = ["write"]): void {
    this.error = realError(kind);
    this.ops = new Set(ops);
  }

  heal(): void {
    this.error = undefined;
  }

  check(op: "read" | "write"): void {
    if (!this.error || !this.ops.has(op)) return;
    this.thrown++;
    throw this.error;
  }
}

/** An original store that fails when told to. */
export class FaultyOriginalStore implements OriginalStore {
  constructor(
    readonly faults = new FaultSwitch(),
    readonly inner = new MemoryOriginalStore(),
  ) {}
  get ttlSeconds(): number {
    return this.inner.ttlSeconds;
  }
  put(entry: OriginalInput): void {
    this.faults.check("write");
    this.inner.put(entry);
  }
  get(hash: string): StoredOriginal | OriginalMiss {
    this.faults.check("read");
    return this.inner.get(hash);
  }
  purgeExpired(): number {
    this.faults.check("write");
    return this.inner.purgeExpired();
  }
  stats(): OriginalStoreStats {
    return this.inner.stats();
  }
}

/** A decision store that fails when told to. */
export class FaultyDecisionStore implements DecisionStore {
  constructor(
    readonly faults = new FaultSwitch(),
    readonly inner = new MemoryDecisionStore(),
  ) {}
  get(key: string): Decision | undefined {
    this.faults.check("read");
    return this.inner.get(key);
  }
  put(key: string, decision: Decision): void {
    this.faults.check("write");
    this.inner.put(key, decision);
  }
}

/** A ledger that fails when told to. */
export class FaultyLedgerStore implements LedgerStore {
  readonly backend = "memory";
  constructor(
    readonly faults = new FaultSwitch(),
    readonly inner = new MemoryLedgerStore(),
  ) {}
  insert(row: LedgerRow): number {
    this.faults.check("write");
    return this.inner.insert(row);
  }
  lifetime(): Aggregate {
    this.faults.check("read");
    return this.inner.lifetime();
  }
  rowsAfter(
    afterId: number,
    options?: { layer?: "proxy" | "cli"; limit?: number; sinceTs?: number },
  ): StoredRow[] {
    this.faults.check("read");
    return this.inner.rowsAfter(afterId, options);
  }
  newest(limit: number): StoredRow[] {
    this.faults.check("read");
    return this.inner.newest(limit);
  }
  rowCount(): number {
    this.faults.check("read");
    return this.inner.rowCount();
  }
  series(granularity: Granularity): SeriesPoint[] {
    this.faults.check("read");
    return this.inner.series(granularity);
  }
  purge(): number {
    this.faults.check("write");
    return this.inner.purge();
  }
}
