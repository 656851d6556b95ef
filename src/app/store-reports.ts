/**
 * The stores' health as /health, /stats and /metrics show it, read through each store's
 * `report()` (src/core/store-health.ts); which stores report is settled when the app is
 * composed (src/store/guard-stores.ts).
 * @module
 */

import type { StoreReport } from "../core/store-health.ts";

/** Each store that reports its health, by name, in the order the surfaces list them. */
export type StoreReporters = ReadonlyArray<readonly [string, () => StoreReport]>;

/** Each store's report, by name. */
export function storeReports(stores: StoreReporters): Record<string, StoreReport> {
  return Object.fromEntries(stores.map(([name, report]) => [name, report()]));
}

/** The stores failing now, by name. */
export function degradedStores(stores: StoreReporters): string[] {
  return stores.filter(([, report]) => report().status === "degraded").map(([name]) => name);
}

/** Failed operations per store, for /stats. */
export function storeErrorCounts(stores: StoreReporters): Record<string, number> {
  return Object.fromEntries(stores.map(([name, report]) => [name, report().errors]));
}
