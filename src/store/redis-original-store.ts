/**
 * Originals in the Redis a team's replicas share, so a marker one replica sent is redeemable
 * through any other. Each lives `HEADROOM_CCR_TTL_SECONDS` as a Redis expiry (refreshed when a
 * later turn replays it); the total is bounded by Redis's own `maxmemory` eviction. A request
 * loads the hashes its markers name first (`load`), and lookups read a local copy bounded by
 * bytes. A put lands in the local copy at once and is written behind; while Redis refuses writes
 * no put is attempted (the caller then plans lossless rewrites only), and one already taken
 * locally is held and written once Redis is back. A hash Redis cannot be asked about is
 * "unavailable" (retrieval answers 503 with Retry-After), never "missing".
 * @module
 */

import type {
  OriginalInput,
  OriginalMiss,
  OriginalStore,
  OriginalStoreStats,
  StoredOriginal,
} from "../ccr/original-store.ts";
import { MemoryOriginalStore } from "./memory-original-store.ts";
import { RedisKeyspace } from "./redis-keyspace.ts";
import type { RedisLink } from "./redis-link.ts";
import { type StoreReport, StoreStatus, StoreUnavailableError } from "./store-status.ts";
import { tenantOriginals } from "./tenant-views.ts";

// A replayed original's expiry is refreshed at most this often per replica.
const REFRESH_AFTER_MS = 60_000;
// Hashes whose last write time is remembered for that refresh rule.
const MAX_WRITTEN = 50_000;

/** An original store on Redis with a byte-bounded local copy. */
export class RedisOriginalStore implements OriginalStore {
  readonly #local: MemoryOriginalStore;
  readonly #shared: RedisKeyspace;
  readonly #written = new Map<string, number>();

  constructor(
    link: RedisLink,
    readonly ttlSeconds = 86_400,
    localMaxBytes = 64 * 1024 * 1024,
    readonly status = new StoreStatus("originals", { maxRetryMs: 5_000 }),
    readonly now: () => number = Date.now,
  ) {
    this.#local = new MemoryOriginalStore(ttlSeconds, localMaxBytes, now);
    this.#shared = new RedisKeyspace(link, "original", ttlSeconds, status);
  }

  writable(): boolean {
    return this.status.allows("write");
  }

  put(entry: OriginalInput): void {
    if (!this.status.allows("write")) {
      this.status.skip("write");
      throw new StoreUnavailableError(this.status.name, this.status.lastCode);
    }
    this.#local.put(entry);
    const now = this.now();
    const last = this.#written.get(entry.hash);
    if (last !== undefined && now - last < REFRESH_AFTER_MS) return;
    this.#written.delete(entry.hash);
    this.#written.set(entry.hash, now);
    if (this.#written.size > MAX_WRITTEN) this.#written.delete(this.#written.keys().next().value!);
    this.#shared.hold(entry.hash, JSON.stringify(entry));
  }

  get(hash: string): StoredOriginal | OriginalMiss {
    const found = this.#local.get(hash);
    if ("content" in found || found.status !== "missing") return found;
    return this.status.report().failing.includes("read")
      ? { status: "unavailable", code: this.status.lastCode }
      : found;
  }

  forTenant(tenant: string): OriginalStore {
    return tenantOriginals(this, tenant);
  }

  async load(hashes: readonly string[]): Promise<void> {
    const missing = hashes.filter((hash) => !this.#local.has(hash));
    for (const value of (await this.#shared.fetch(missing)).values()) {
      this.#local.put(JSON.parse(value) as OriginalInput);
    }
  }

  purgeExpired(): number {
    return this.#local.purgeExpired();
  }

  /** The local copy's figures (Redis keeps the team's). */
  stats(): OriginalStoreStats {
    return { ...this.#local.stats(), backend: "redis" };
  }

  flush(): Promise<void> {
    return this.#shared.flush();
  }

  settle(): Promise<void> {
    return this.#shared.settle();
  }

  report(): StoreReport & { held: number; lost: number } {
    return { ...this.status.report(), held: this.#shared.held, lost: this.#shared.lost };
  }
}
