/**
 * Puts the app's three main stores behind guards (reusing guards the caller already made, as
 * `headroom proxy` does for its background purge), so a store that is locked, unwritable or full
 * never fails a request, and reports their health, and the durable hidden-call store's, for
 * /health, /stats and /metrics.
 * @module
 */

import { GuardedDecisionStore } from "../store/guarded-decision-store.ts";
import { GuardedLedgerStore } from "../store/guarded-ledger.ts";
import { GuardedOriginalStore } from "../store/guarded-original-store.ts";
import { SqliteHiddenCallStore } from "../store/sqlite-hidden-call-store.ts";
import type { StoreReport, StoreStatus } from "../store/store-status.ts";
import type { AppDeps } from "./deps.ts";

/** The guarded stores of one app, and the durable hidden-call store when there is one. */
export interface StoreGuards {
  readonly originals: GuardedOriginalStore;
  readonly decisions: GuardedDecisionStore;
  readonly ledger: GuardedLedgerStore;
  readonly hidden_calls?: SqliteHiddenCallStore;
}

/** What every store reports through. */
interface Reporting {
  readonly status: StoreStatus;
  report(): StoreReport;
}

/** The stores an app has, by name. */
function present(guards: StoreGuards): [string, Reporting][] {
  const named: [string, Reporting | undefined][] = [
    ["originals", guards.originals],
    ["decisions", guards.decisions],
    ["ledger", guards.ledger],
    ["hidden_calls", guards.hidden_calls],
  ];
  return named.filter((entry): entry is [string, Reporting] => entry[1] !== undefined);
}

/** Guards the stores of `deps` (the ledger is guarded in place, inside the stats service). */
export function guardStores(deps: AppDeps): StoreGuards {
  const originals =
    deps.originals instanceof GuardedOriginalStore
      ? deps.originals
      : new GuardedOriginalStore(deps.originals);
  const decisions =
    deps.decisions instanceof GuardedDecisionStore
      ? deps.decisions
      : new GuardedDecisionStore(deps.decisions);
  deps.stats.wrapLedger((ledger) =>
    ledger instanceof GuardedLedgerStore ? ledger : new GuardedLedgerStore(ledger),
  );
  const ledger = deps.stats.ledger as GuardedLedgerStore;
  const hidden = deps.hiddenCalls instanceof SqliteHiddenCallStore ? deps.hiddenCalls : undefined;
  for (const guard of [originals, decisions, ledger, hidden]) guard?.status.logTo(deps.log);
  return { originals, decisions, ledger, ...(hidden ? { hidden_calls: hidden } : {}) };
}

/** Each store's report, by name. */
export function storeReports(guards: StoreGuards): Record<string, StoreReport> {
  return Object.fromEntries(present(guards).map(([name, store]) => [name, store.report()]));
}

/** The stores failing now, by name. */
export function degradedStores(guards: StoreGuards): string[] {
  return present(guards)
    .filter(([, store]) => store.status.degraded)
    .map(([name]) => name);
}

/** Failed operations per store, for /stats. */
export function storeErrorCounts(guards: StoreGuards): Record<string, number> {
  return Object.fromEntries(present(guards).map(([name, store]) => [name, store.status.errors]));
}
