/**
 * Puts the app's three stores behind guards (reusing guards the caller already made, as
 * `headroom proxy` does for its background purge), so a store that is locked, unwritable or full
 * never fails a request, and reports their health for /health and /stats.
 * @module
 */

import { GuardedDecisionStore } from "../store/guarded-decision-store.ts";
import { GuardedLedgerStore } from "../store/guarded-ledger.ts";
import { GuardedOriginalStore } from "../store/guarded-original-store.ts";
import type { StoreReport } from "../store/store-status.ts";
import type { AppDeps } from "./deps.ts";

/** The guarded stores of one app. */
export interface StoreGuards {
  readonly originals: GuardedOriginalStore;
  readonly decisions: GuardedDecisionStore;
  readonly ledger: GuardedLedgerStore;
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
  for (const guard of [originals, decisions, ledger]) guard.status.logTo(deps.log);
  return { originals, decisions, ledger };
}

/** Each store's report, by name. */
export function storeReports(guards: StoreGuards): Record<keyof StoreGuards, StoreReport> {
  return {
    originals: guards.originals.report(),
    decisions: guards.decisions.report(),
    ledger: guards.ledger.report(),
  };
}

/** The stores failing now, by name. */
export function degradedStores(guards: StoreGuards): string[] {
  return (["originals", "decisions", "ledger"] as const).filter(
    (name) => guards[name].status.degraded,
  );
}

/** Failed operations per store, for /stats. */
export function storeErrorCounts(guards: StoreGuards): Record<keyof StoreGuards, number> {
  return {
    originals: guards.originals.status.errors,
    decisions: guards.decisions.status.errors,
    ledger: guards.ledger.status.errors,
  };
}
