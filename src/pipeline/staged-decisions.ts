/**
 * The decisions made while planning one request, held back until the request's originals are
 * stored: a lossy decision is remembered only when its original was kept, so a later turn never
 * replays a marker the store cannot redeem, and a request that ends up forwarded as sent
 * remembers nothing it did not send.
 * @module
 */

import type { Decision, DecisionStore } from "../compress/decisions.ts";

/** A per-request layer over the decision store. */
export class StagedDecisions implements DecisionStore {
  readonly staged = new Map<string, Decision>();

  constructor(readonly store: DecisionStore) {}

  get(key: string): Decision | undefined {
    return this.staged.get(key) ?? this.store.get(key);
  }

  put(key: string, decision: Decision): void {
    this.staged.set(key, decision);
  }

  /** Hands the staged decisions to the store. */
  commit(): void {
    for (const [key, decision] of this.staged) this.store.put(key, decision);
    this.staged.clear();
  }
}
