/**
 * The conversation store behind a guard. While the store fails every clock counts as unknown, and
 * an unknown conversation is never compacted, so a failing store only stops compaction. A clock the
 * store refused to take is held in memory and read first until the store takes it: a stale clock
 * left in the store would make a warm cache look expired. Past the bound the oldest held clock is
 * dropped and counted as lost.
 * @module
 */

import type { ConversationState, ConversationStore } from "../compress/conversation-store.ts";
import { purgeThrough, type StoreReport, StoreStatus } from "./store-status.ts";

/** A guarded conversation store. */
export class GuardedConversationStore implements ConversationStore {
  readonly #held = new Map<string, ConversationState>();
  /** Held clocks dropped past the bound before the store took them. */
  lost = 0;

  constructor(
    readonly inner: ConversationStore,
    readonly status = new StoreStatus("conversations"),
    readonly maxHeld = 10_000,
  ) {}

  async get(id: string): Promise<ConversationState | undefined> {
    // While the store fails nothing is compacted, not even on what this process holds.
    if (this.status.degraded) {
      this.status.skip("read");
      return undefined;
    }
    const held = this.#held.get(id);
    if (held) return held;
    if (!this.status.allows("read")) {
      this.status.skip("read");
      return undefined;
    }
    try {
      const state = await this.inner.get(id);
      this.status.succeeded("read");
      return state;
    } catch (error) {
      this.status.failed("read", error);
      return undefined;
    }
  }

  async put(id: string, state: ConversationState): Promise<void> {
    this.#held.delete(id);
    this.#held.set(id, state);
    while (this.#held.size > this.maxHeld) {
      this.#held.delete(this.#held.keys().next().value as string);
      this.lost++;
    }
    await this.flush();
  }

  /** Writes held clocks through, oldest first, when the store takes writes. */
  async flush(): Promise<void> {
    if (this.#held.size === 0) return;
    if (!this.status.allows("write")) {
      this.status.skip("write");
      return;
    }
    try {
      for (const [id, state] of [...this.#held]) {
        await this.inner.put(id, state);
        // A newer clock for it may have arrived while the store wrote this one.
        if (this.#held.get(id) === state) this.#held.delete(id);
      }
    } catch (error) {
      this.status.failed("write", error);
      return;
    }
    this.status.succeeded("write");
  }

  /** Purges the inner store when it can purge (SQLite) and takes writes. */
  purge(): number {
    return purgeThrough(this.status, this.inner);
  }

  report(): StoreReport & { held: number; lost: number } {
    return { ...this.status.report(), held: this.#held.size, lost: this.lost };
  }
}
