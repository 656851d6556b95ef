/**
 * Puts an app's stores behind their guards, once, at the composition root: a store that is
 * locked, unwritable or full then never fails a request. A store that already reports its health
 * (a test's instrumented guard) is taken as it is. Each episode is announced
 * through `log`.
 * @module
 */

import type { HiddenCallStore } from "../ccr/hidden-calls.ts";
import type { OriginalStore } from "../ccr/original-store.ts";
import type { ConversationStore } from "../compress/conversation-store.ts";
import type { DecisionStore } from "../compress/decisions.ts";
import type { Logger } from "../core/logger.ts";
import type { StoreReport } from "../core/store-health.ts";
import type { LedgerStore } from "../stats/ledger-store.ts";
import { GuardedConversationStore } from "./guarded-conversation-store.ts";
import { GuardedDecisionStore } from "./guarded-decision-store.ts";
import { GuardedLedgerStore } from "./guarded-ledger.ts";
import { GuardedOriginalStore } from "./guarded-original-store.ts";
import { MemoryConversationStore } from "./memory-conversation-store.ts";
import { StoreStatus } from "./store-status.ts";

/** The stores as the app receives them. */
export interface GivenStores {
  readonly originals: OriginalStore;
  readonly decisions: DecisionStore;
  readonly hiddenCalls: HiddenCallStore;
  readonly ledger: LedgerStore;
  /** Conversations' cache clocks (in memory when absent). */
  readonly conversations?: ConversationStore | undefined;
  /** Milliseconds the ledger's guard may hold rows to write them together (0: at once). */
  readonly ledgerWriteBehindMs?: number | undefined;
}

/** The periodic work of the guarded stores, which the entry that owns the process schedules. */
export interface StoreUpkeep {
  /** Removes expired entries; how many went. */
  purge(): number;
  /** Writes what the guards hold (decisions and ledger rows), when the store takes writes. */
  flush(): void;
}

/** The stores the app uses, and each one that reports its health, by name. */
export interface GuardedStores {
  readonly originals: OriginalStore;
  readonly decisions: DecisionStore;
  readonly ledger: LedgerStore;
  readonly conversations: ConversationStore;
  readonly upkeep: StoreUpkeep;
  /** In the order /health, /stats and /metrics list them. */
  readonly reporting: ReadonlyArray<readonly [string, () => StoreReport]>;
}

/** Announces a guard's episodes where the app logs (the first logger given wins). */
function logEpisodes(store: object, log: Logger): void {
  const status = (store as { status?: unknown }).status;
  if (status instanceof StoreStatus) status.logTo(log);
}

/** A store that writes behind and retries what it holds when asked (the guards, Redis). */
interface Flushable {
  flush(): unknown;
}

const isFlushable = (store: object): store is Flushable =>
  typeof (store as Partial<Flushable>).flush === "function";

/** The upkeep of the guarded stores (a store passed in already guarded is purged as it is). */
function upkeepOf(
  originals: OriginalStore,
  decisions: DecisionStore,
  hiddenCalls: HiddenCallStore,
  ledger: LedgerStore,
  conversations: ConversationStore,
): StoreUpkeep {
  const heldDecisions = decisions instanceof GuardedDecisionStore ? decisions : undefined;
  const heldRows = ledger instanceof GuardedLedgerStore ? ledger : undefined;
  const flushable = ([decisions, originals, hiddenCalls] as object[]).filter(isFlushable);
  const clocks = conversations instanceof GuardedConversationStore ? conversations : undefined;
  return {
    purge: () =>
      originals.purgeExpired() +
      (heldDecisions?.purge() ?? 0) +
      ledger.purge() +
      (clocks?.purge() ?? 0),
    flush: () => {
      for (const store of flushable) void store.flush();
      heldRows?.flush();
      void clocks?.flush();
    },
  };
}

/** Guards `given`; see the module comment. */
export function guardStores(given: GivenStores, log: Logger): GuardedStores {
  const originals = given.originals.report
    ? given.originals
    : new GuardedOriginalStore(given.originals);
  const decisions = given.decisions.report
    ? given.decisions
    : new GuardedDecisionStore(given.decisions);
  const ledger = given.ledger.report
    ? given.ledger
    : new GuardedLedgerStore(given.ledger, undefined, undefined, given.ledgerWriteBehindMs ?? 0);
  const givenClocks: ConversationStore = given.conversations ?? new MemoryConversationStore();
  const conversations = givenClocks.report
    ? givenClocks
    : new GuardedConversationStore(givenClocks);
  const named: [string, { report?(): StoreReport }][] = [
    ["originals", originals],
    ["decisions", decisions],
    ["ledger", ledger],
    ["hidden_calls", given.hiddenCalls],
    ["conversations", conversations],
  ];
  const reporting: [string, () => StoreReport][] = [];
  for (const [name, store] of named) {
    if (!store.report) continue;
    logEpisodes(store, log);
    reporting.push([name, () => store.report!()]);
  }
  return {
    originals,
    decisions,
    ledger,
    conversations,
    upkeep: upkeepOf(originals, decisions, given.hiddenCalls, ledger, conversations),
    reporting,
  };
}
