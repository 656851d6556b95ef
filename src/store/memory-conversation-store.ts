/**
 * Conversation clocks kept in memory: for tests, --stateless and the Deno entry.
 * @module
 */

import type { ConversationState, ConversationStore } from "../compress/conversation-store.ts";

/** An in-memory conversation store bounded by entry count (least recently used go first). */
export class MemoryConversationStore implements ConversationStore {
  readonly #entries = new Map<string, ConversationState>();
  constructor(readonly maxEntries = 10_000) {}

  get(id: string): Promise<ConversationState | undefined> {
    return Promise.resolve(this.#entries.get(id));
  }

  put(id: string, state: ConversationState): Promise<void> {
    this.#entries.delete(id);
    this.#entries.set(id, state);
    if (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    return Promise.resolve();
  }

  get size(): number {
    return this.#entries.size;
  }
}
