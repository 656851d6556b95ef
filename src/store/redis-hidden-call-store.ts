/**
 * Hidden retrieve calls in the Redis a team's replicas share, so the next turn of a conversation
 * gets its hidden call put back with the same bytes whichever replica serves it. A request loads
 * the anchors it could carry first (`load`); lookups read the local copy. Written behind, held
 * while Redis fails.
 * @module
 */

import {
  type HiddenCallStore,
  type HiddenRecord,
  MemoryHiddenCallStore,
} from "../ccr/hidden-calls.ts";
import { RedisKeyspace } from "./redis-keyspace.ts";
import type { RedisLink } from "./redis-link.ts";
import { type StoreReport, StoreStatus } from "./store-status.ts";
import { tenantHiddenCalls } from "./tenant-views.ts";

// A hidden call matters while its conversation goes on; a week covers a long pause.
const TTL_SECONDS = 7 * 86_400;

/** A hidden-call store on Redis with a bounded local copy. */
export class RedisHiddenCallStore implements HiddenCallStore {
  readonly #local = new MemoryHiddenCallStore();
  readonly #shared: RedisKeyspace;

  constructor(
    link: RedisLink,
    readonly status = new StoreStatus("hidden_calls", { maxRetryMs: 5_000 }),
  ) {
    this.#shared = new RedisKeyspace(link, "hidden", TTL_SECONDS, status);
  }

  put(record: HiddenRecord): void {
    this.#local.put(record);
    this.#shared.hold(record.anchor, JSON.stringify(record));
  }

  get(anchor: string): HiddenRecord | undefined {
    return this.#local.get(anchor);
  }

  forTenant(tenant: string): HiddenCallStore {
    return tenantHiddenCalls(this, tenant);
  }

  async load(anchors: readonly string[]): Promise<void> {
    const missing = anchors.filter((anchor) => this.#local.get(anchor) === undefined);
    for (const value of (await this.#shared.fetch(missing)).values()) {
      this.#local.put(JSON.parse(value) as HiddenRecord);
    }
  }

  get size(): number {
    return this.#local.size;
  }

  flush(): Promise<void> {
    return this.#shared.flush();
  }

  report(): StoreReport & { held: number; lost: number } {
    return { ...this.status.report(), held: this.#shared.held, lost: this.#shared.lost };
  }
}
