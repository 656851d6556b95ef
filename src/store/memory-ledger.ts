/**
 * The ledger in memory, for --stateless and tests: the same questions as the SQLite ledger,
 * bounded to the newest rows.
 * @module
 */

import { Aggregate } from "../stats/aggregate.ts";
import type { LedgerRow } from "../stats/ledger-row.ts";
import {
  addPoints,
  type Granularity,
  type LedgerStore,
  rebucket,
  rowPoint,
  type SeriesPoint,
  type StoredRow,
} from "../stats/ledger-store.ts";

/** An in-memory ledger. */
export class MemoryLedgerStore implements LedgerStore {
  readonly backend = "memory";
  readonly #rows: StoredRow[] = [];
  readonly #lifetime = new Aggregate();
  readonly #hourly = new Map<number, SeriesPoint>();
  #nextId = 1;

  constructor(readonly maxRows = 100_000) {}

  insert(row: LedgerRow): number {
    const id = this.#nextId++;
    this.#rows.push({ id, row });
    if (this.#rows.length > this.maxRows) this.#rows.shift();
    this.#lifetime.add(row);
    const point = rowPoint(row);
    const existing = this.#hourly.get(point.bucket);
    this.#hourly.set(point.bucket, existing ? addPoints(existing, point, point.bucket) : point);
    return id;
  }

  lifetime(): Aggregate {
    return this.#lifetime;
  }

  rowsAfter(
    afterId: number,
    options: { layer?: "proxy" | "cli"; limit?: number; sinceTs?: number } = {},
  ): StoredRow[] {
    return this.#rows
      .filter(
        ({ id, row }) =>
          id > afterId &&
          (!options.layer || row.layer === options.layer) &&
          (options.sinceTs === undefined || row.ts >= options.sinceTs),
      )
      .slice(0, options.limit ?? 100_000);
  }

  newest(limit: number): StoredRow[] {
    return this.#rows.slice(-limit).reverse();
  }

  rowCount(): number {
    return this.#rows.length;
  }

  series(granularity: Granularity): SeriesPoint[] {
    return rebucket(
      [...this.#hourly.values()].sort((a, b) => a.bucket - b.bucket),
      granularity,
    );
  }

  purge(): number {
    return 0;
  }
}
