/**
 * The ledger behind a guard. A row the store cannot take is held in memory (bounded; past the
 * bound the oldest is dropped and counted as lost) and written, in order, before the next row
 * once the store takes writes again; the response it describes is never affected. Held rows
 * count in the lifetime view, so /stats stays honest while they wait. A read the store cannot
 * answer gives an empty answer, and /health and /stats say the ledger is degraded.
 * @module
 */

import { Aggregate, rowCounters, rowSlices } from "../stats/aggregate.ts";
import type { LedgerRow } from "../stats/ledger-row.ts";
import type { Granularity, LedgerStore, SeriesPoint, StoredRow } from "../stats/ledger-store.ts";
import { type StoreOp, type StoreReport, StoreStatus } from "./store-status.ts";

// Written through per insert at most this many, so a recovery never stalls one request long.
const FLUSH_BATCH = 512;

/** A guarded ledger. */
export class GuardedLedgerStore implements LedgerStore {
  readonly #held: LedgerRow[] = [];
  /** Held rows dropped past the bound before the store took them. */
  lost = 0;
  #lastId = 0;

  #timer: ReturnType<typeof setTimeout> | undefined;

  /**
   * With `writeBehindMs` above 0 (the proxy), rows are written in one transaction that often
   * instead of one per request: a commit per request was the largest cost on the request path.
   * They count in the lifetime view meanwhile, and every other read writes them first.
   */
  constructor(
    readonly inner: LedgerStore,
    readonly status = new StoreStatus("ledger"),
    readonly maxHeld = 10_000,
    readonly writeBehindMs = 0,
  ) {}

  get backend(): "sqlite" | "memory" {
    return this.inner.backend;
  }

  /** Failed operations (StatsService reports them as the ledger's store errors). */
  get failures(): number {
    return this.status.errors;
  }

  /** Stores the row, or holds it when the store cannot take it now (the id is then 0). */
  insert(row: LedgerRow): number {
    this.#held.push(row);
    if (this.#held.length > this.maxHeld) {
      this.#held.shift();
      this.lost++;
    }
    if (this.writeBehindMs > 0 && this.#held.length < FLUSH_BATCH) {
      this.#timer ??= setTimeout(() => {
        this.#timer = undefined;
        this.#flush();
      }, this.writeBehindMs);
      this.#timer.unref?.();
      return 0;
    }
    if (!this.#flush()) return 0;
    // The row itself was the last held one: written only when everything before it was.
    return this.#lastId;
  }

  /** Writes held rows through, oldest first, when the store takes writes. */
  flush(): void {
    this.#flush();
  }

  #flush(): boolean {
    if (this.#held.length === 0) return true;
    if (!this.status.allows("write")) {
      this.status.skip("write");
      return false;
    }
    try {
      const batch = this.#held.slice(0, FLUSH_BATCH);
      if (this.inner.insertAll) {
        // One transaction: all of the batch is written, or none of it stays written.
        this.#lastId = this.inner.insertAll(batch);
        this.#held.splice(0, batch.length);
      } else {
        for (const row of batch) {
          this.#lastId = this.inner.insert(row);
          this.#held.shift();
        }
      }
    } catch (error) {
      this.status.failed("write", error);
      return false;
    }
    this.status.succeeded("write");
    return this.#held.length === 0;
  }

  lifetime(): Aggregate {
    const stored = this.#read(() => this.inner.lifetime(), undefined);
    if (this.#held.length === 0 && stored) return stored;
    // A fresh aggregate: the memory ledger hands out its own, which must not change here.
    const merged = new Aggregate();
    for (const [dimension, names] of stored?.slices ?? []) {
      for (const [name, counters] of names) merged.addCounters(dimension, name, counters);
    }
    for (const row of this.#held) {
      const counters = rowCounters(row);
      for (const [dimension, name] of rowSlices(row)) merged.addCounters(dimension, name, counters);
    }
    return merged;
  }

  rowsAfter(
    afterId: number,
    options?: { layer?: "proxy" | "cli"; limit?: number; sinceTs?: number },
  ): StoredRow[] {
    this.#flush();
    return this.#read(() => this.inner.rowsAfter(afterId, options), []);
  }

  newest(limit: number): StoredRow[] {
    this.#flush();
    return this.#read(() => this.inner.newest(limit), []);
  }

  rowCount(): number {
    this.#flush();
    return this.#read(() => this.inner.rowCount(), 0);
  }

  series(granularity: Granularity): SeriesPoint[] {
    this.#flush();
    return this.#read(() => this.inner.series(granularity), []);
  }

  purge(): number {
    return this.#attempt("write", () => this.inner.purge(), 0);
  }

  /** Rows not yet taken by the store. */
  get held(): number {
    return this.#held.length;
  }

  report(): StoreReport & { held_rows: number; lost_rows: number } {
    return { ...this.status.report(), held_rows: this.#held.length, lost_rows: this.lost };
  }

  #read<T>(read: () => T, fallback: T): T {
    return this.#attempt("read", read, fallback);
  }

  #attempt<T>(op: StoreOp, run: () => T, fallback: T): T {
    if (!this.status.allows(op)) {
      this.status.skip(op);
      return fallback;
    }
    try {
      const value = run();
      this.status.succeeded(op);
      return value;
    } catch (error) {
      this.status.failed(op, error);
      return fallback;
    }
  }
}
