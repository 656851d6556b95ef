/**
 * Compression decisions in the Redis a team's replicas share, so every replica replays the bytes
 * any of them sent (prefix stability across a load balancer). Lookups are synchronous and read a
 * bounded local copy: the request first loads its keys in one round trip (`load`). A decision is
 * in the local copy at once and written behind; while Redis fails it is held and written later,
 * as the SQLite guard does, and a lookup Redis cannot answer counts as "never seen".
 * @module
 */

import type { Decision, DecisionStore } from "../compress/decisions.ts";
import { RedisKeyspace } from "./redis-keyspace.ts";
import type { RedisLink } from "./redis-link.ts";
import { type StoreReport, StoreStatus } from "./store-status.ts";
import { tenantDecisions } from "./tenant-views.ts";

// Unused decisions leave Redis after this long, as SQLite purges them after 30 days.
const TTL_SECONDS = 30 * 86_400;

/** A decision store on Redis with a bounded local copy. */
export class RedisDecisionStore implements DecisionStore {
  readonly #local = new Map<string, Decision>();
  readonly #shared: RedisKeyspace;

  constructor(
    link: RedisLink,
    readonly status = new StoreStatus("decisions", { maxRetryMs: 5_000 }),
    readonly maxLocal = 50_000,
  ) {
    this.#shared = new RedisKeyspace(link, "decision", TTL_SECONDS, status);
  }

  get(key: string): Decision | undefined {
    return this.#local.get(key);
  }

  put(key: string, decision: Decision): void {
    this.#remember(key, decision);
    this.#shared.hold(key, JSON.stringify(decision));
  }

  forTenant(tenant: string): DecisionStore {
    return tenantDecisions(this, tenant);
  }

  async load(keys: readonly string[]): Promise<void> {
    const missing = keys.filter((key) => !this.#local.has(key));
    for (const [key, value] of await this.#shared.fetch(missing)) {
      this.#remember(key, JSON.parse(value) as Decision);
    }
  }

  /** Writes held decisions (the upkeep's timer calls it while Redis is away). */
  flush(): Promise<void> {
    return this.#shared.flush();
  }

  settle(): Promise<void> {
    return this.#shared.settle();
  }

  report(): StoreReport & { held: number; lost: number } {
    return { ...this.status.report(), held: this.#shared.held, lost: this.#shared.lost };
  }

  #remember(key: string, decision: Decision): void {
    this.#local.delete(key);
    this.#local.set(key, decision);
    // The oldest local copy goes first; Redis (or the held write) still has it.
    if (this.#local.size > this.maxLocal) {
      const oldest = this.#local.keys().next().value as string;
      if (!this.#shared.holds(oldest)) this.#local.delete(oldest);
    }
  }
}
