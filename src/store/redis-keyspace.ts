/**
 * One kind of entry in the shared Redis (decisions, originals, hidden calls): values written
 * behind the request and read ahead of it. A write is held in memory until Redis has taken it,
 * so a Redis that is down loses nothing this replica stored (held writes go, oldest first, once
 * it is back; past the bound the oldest is dropped and counted as lost). Reads fetch many keys
 * in one round trip under the link's deadline; one that fails is an empty answer, never an
 * error. Failures and recovery are recorded on the store's {@link StoreStatus}, whose backoff
 * keeps a failing Redis from being asked on every request.
 * @module
 */

import type { RedisLink } from "./redis-link.ts";
import type { StoreStatus } from "./store-status.ts";

// Written per round trip at most this many, so one flush never holds much in flight.
const FLUSH_BATCH = 256;

/** Entries of one kind under `prefix<kind>:`, each living `ttlSeconds` from its last write. */
export class RedisKeyspace {
  readonly #held = new Map<string, string>();
  #flushing: Promise<void> | undefined;
  /** Held writes dropped past the bound before Redis took them. */
  lost = 0;

  constructor(
    readonly link: RedisLink,
    readonly kind: string,
    readonly ttlSeconds: number,
    readonly status: StoreStatus,
    readonly maxHeld = 20_000,
  ) {}

  /** Queues a write and starts sending it. */
  hold(id: string, value: string): void {
    this.#held.delete(id);
    this.#held.set(id, value);
    while (this.#held.size > this.maxHeld) {
      this.#held.delete(this.#held.keys().next().value as string);
      this.lost++;
    }
    void this.flush();
  }

  /** True while `id` waits for Redis. */
  holds(id: string): boolean {
    return this.#held.has(id);
  }

  /** Writes held entries through, when the status allows writes; settles when done. */
  flush(): Promise<void> {
    this.#flushing ??= this.#writeHeld().finally(() => {
      this.#flushing = undefined;
    });
    return this.#flushing;
  }

  /**
   * Waits for what is held to be written, at most one call's deadline (a flush that keeps
   * finding new writes under load could run longer; the request does not wait for those).
   */
  settle(): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const bound = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.link.timeoutMs);
    });
    return Promise.race([this.flush(), bound]).finally(() => clearTimeout(timer));
  }

  /** Fetches the values of `ids` (absent ones are left out); empty while Redis fails. */
  async fetch(ids: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    if (ids.length === 0) return found;
    if (!this.status.allows("read")) {
      this.status.skip("read");
      return found;
    }
    try {
      const values = (await this.link.send(
        "MGET",
        ids.map((id) => this.link.key(this.kind, id)),
      )) as (string | null)[];
      ids.forEach((id, i) => {
        const value = values[i];
        if (typeof value === "string") found.set(id, value);
      });
      this.status.succeeded("read");
    } catch (error) {
      this.status.failed("read", error);
    }
    return found;
  }

  /** Writes held entries not yet taken. */
  get held(): number {
    return this.#held.size;
  }

  async #writeHeld(): Promise<void> {
    // Nothing held but a lane failed last: a PING finds out whether Redis is back (the upkeep
    // calls this every few seconds, so an idle replica recovers too).
    if (this.#held.size === 0 && this.status.report().failing.length > 0) {
      if (!this.status.allows("write")) return;
      try {
        await this.link.send("PING", []);
        this.#reachable();
      } catch (error) {
        this.status.failed("write", error);
      }
    }
    while (this.#held.size > 0) {
      if (!this.status.allows("write")) {
        this.status.skip("write");
        return;
      }
      const batch = [...this.#held].slice(0, FLUSH_BATCH);
      try {
        await Promise.all(
          batch.map(([id, value]) =>
            this.link.send("SET", [
              this.link.key(this.kind, id),
              value,
              "EX",
              String(this.ttlSeconds),
            ]),
          ),
        );
      } catch (error) {
        this.status.failed("write", error);
        return;
      }
      this.#reachable();
      // A newer value written meanwhile stays held for the next round.
      for (const [id, value] of batch) if (this.#held.get(id) === value) this.#held.delete(id);
    }
  }

  // One connection serves both lanes: Redis taking a write answers reads again too.
  #reachable(): void {
    this.status.succeeded("write");
    this.status.succeeded("read");
  }
}
