/**
 * The replay memory of compression decisions, keyed by the SHA-256 of a tool output: a tool
 * output compressed once is replayed with the same bytes on every later turn, and one left alone
 * stays alone, across restarts too, so the provider's prompt cache keeps hitting.
 * @module
 */

import type { StoreReport } from "../core/store-health.ts";

/** What was decided for one tool output. */
export type Decision =
  | {
      readonly kind: "compressed";
      readonly text: string;
      readonly strategy: string;
      readonly lossy: boolean;
    }
  | { readonly kind: "kept"; readonly reason: string };

/** Where decisions live (memory in tests and --stateless, SQLite otherwise). */
export interface DecisionStore {
  get(key: string): Decision | undefined;
  put(key: string, decision: Decision): void;
  /**
   * Fetches these keys from a store shared over the network ahead of the synchronous lookups
   * of one request (Redis); never rejects. Local stores have none.
   */
  load?(keys: readonly string[]): Promise<void>;
  /** Resolves once what was put so far reached the shared store or failed to; never rejects. */
  settle?(): Promise<void>;
  /** The same store seen by one tenant alone (a shared store namespaces its keys). */
  forTenant?(tenant: string): DecisionStore;
  /** Its health, when it watches it (a guarded store does): /health, /stats, /metrics. */
  report?(): StoreReport;
}
