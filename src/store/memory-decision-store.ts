/**
 * Decisions kept in memory: for tests, --stateless and the Deno entry.
 * @module
 */

import type { Decision, DecisionStore } from "../compress/decisions.ts";

/** An in-memory decision store bounded by entry count (least recently used go first). */
export class MemoryDecisionStore implements DecisionStore {
  readonly #entries = new Map<string, Decision>();
  constructor(readonly maxEntries = 50_000) {}

  get(key: string): Decision | undefined {
    const decision = this.#entries.get(key);
    if (decision !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, decision);
    }
    return decision;
  }

  put(key: string, decision: Decision): void {
    this.#entries.delete(key);
    this.#entries.set(key, decision);
    if (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}
