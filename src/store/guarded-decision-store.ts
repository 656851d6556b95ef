/**
 * The decision store behind a guard. Every decision is held in memory until the store has taken
 * it, and lookups read the held ones first, so while SQLite refuses writes this process still
 * replays exactly what it sent before (prefix stability); held decisions are written through, oldest
 * first, once the store takes writes again. The memory is bounded: past the bound the oldest
 * held decision is dropped and counted as lost (that tool output may then be decided afresh).
 *
 * A lookup the store cannot answer counts as "never seen", so compression proceeds without
 * durable replay rather than forwarding the request untouched: for the prompt cache the two are
 * the same (an output compressed on an earlier turn goes as sent either way, an output never
 * seen is compressed the same way by the deterministic compressors), and the first still saves.
 * @module
 */

import type { Decision, DecisionStore } from "../compress/decisions.ts";
import { purgeThrough, type StoreReport, StoreStatus } from "./store-status.ts";

/** Bounds of the decisions held in memory. */
export interface HeldLimits {
  readonly maxEntries: number;
  readonly maxChars: number;
}

// Written through per call at most this many, so a recovery never stalls one request long.
const FLUSH_BATCH = 256;

const sizeOf = (decision: Decision) =>
  decision.kind === "compressed" ? decision.text.length + 64 : 64;

/** A guarded decision store. */
export class GuardedDecisionStore implements DecisionStore {
  readonly #held = new Map<string, Decision>();
  #heldChars = 0;
  /** Held decisions dropped past the bound before the store took them. */
  lost = 0;

  constructor(
    readonly inner: DecisionStore,
    readonly status = new StoreStatus("decisions"),
    readonly limits: HeldLimits = { maxEntries: 20_000, maxChars: 32 * 1024 * 1024 },
  ) {}

  get(key: string): Decision | undefined {
    const held = this.#held.get(key);
    if (held) return held;
    if (!this.status.allows("read")) {
      this.status.skip("read");
      return undefined;
    }
    try {
      const decision = this.inner.get(key);
      this.status.succeeded("read");
      return decision;
    } catch (error) {
      this.status.failed("read", error);
      return undefined;
    }
  }

  put(key: string, decision: Decision): void {
    this.#release(key);
    this.#held.set(key, decision);
    this.#heldChars += sizeOf(decision);
    while (
      this.#held.size > this.limits.maxEntries ||
      (this.#heldChars > this.limits.maxChars && this.#held.size > 1)
    ) {
      const oldest = this.#held.keys().next().value as string;
      this.#release(oldest);
      this.lost++;
    }
    this.flush();
  }

  /** Writes held decisions through, oldest first, when the store takes writes. */
  flush(): void {
    if (this.#held.size === 0) return;
    if (!this.status.allows("write")) {
      this.status.skip("write");
      return;
    }
    let written = 0;
    try {
      for (const [key, decision] of this.#held) {
        if (written++ === FLUSH_BATCH) break;
        this.inner.put(key, decision);
        this.#release(key);
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

  /** Decisions not yet taken by the store. */
  get held(): number {
    return this.#held.size;
  }

  report(): StoreReport & { held: number; lost: number } {
    return { ...this.status.report(), held: this.#held.size, lost: this.lost };
  }

  #release(key: string): void {
    const decision = this.#held.get(key);
    if (!decision) return;
    this.#held.delete(key);
    this.#heldChars -= sizeOf(decision);
  }
}
