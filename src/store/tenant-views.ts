/**
 * One tenant's view of a store the whole team shares: every key, hash and anchor the tenant
 * reads or writes is prefixed with its id, so the same tool output sent by two tenants is two
 * entries, and nothing one tenant's conversation stored is ever served into another's (a
 * marker pasted from elsewhere finds nothing). The views are thin: they share the store's
 * connection, local copy and health.
 * @module
 */

import type { HiddenCallStore, HiddenRecord } from "../ccr/hidden-calls.ts";
import type { OriginalMiss, OriginalStore, StoredOriginal } from "../ccr/original-store.ts";
import type { DecisionStore } from "../compress/decisions.ts";

const scoped = (tenant: string, id: string) => `${tenant}/${id}`;

/** `store` as `tenant` sees it. */
export function tenantDecisions(store: DecisionStore, tenant: string): DecisionStore {
  return {
    get: (key) => store.get(scoped(tenant, key)),
    put: (key, decision) => store.put(scoped(tenant, key), decision),
    load: async (keys) => store.load?.(keys.map((key) => scoped(tenant, key))),
    settle: async () => store.settle?.(),
  };
}

/** `store` as `tenant` sees it. */
export function tenantHiddenCalls(store: HiddenCallStore, tenant: string): HiddenCallStore {
  const unscoped = (record: HiddenRecord | undefined, anchor: string) =>
    record && { ...record, anchor };
  return {
    put: (record) => store.put({ ...record, anchor: scoped(tenant, record.anchor) }),
    get: (anchor) => unscoped(store.get(scoped(tenant, anchor)), anchor),
    load: async (anchors) => store.load?.(anchors.map((anchor) => scoped(tenant, anchor))),
    get size() {
      return store.size;
    },
  };
}

/** `store` as `tenant` sees it. */
export function tenantOriginals(store: OriginalStore, tenant: string): OriginalStore {
  return {
    put: (entry) => store.put({ ...entry, hash: scoped(tenant, entry.hash) }),
    get: (hash): StoredOriginal | OriginalMiss => {
      const found = store.get(scoped(tenant, hash));
      return "content" in found ? { ...found, hash } : found;
    },
    load: async (hashes) => store.load?.(hashes.map((hash) => scoped(tenant, hash))),
    settle: async () => store.settle?.(),
    purgeExpired: () => 0,
    stats: () => store.stats(),
    writable: () => store.writable?.() ?? true,
    get ttlSeconds() {
      return store.ttlSeconds;
    },
  };
}
