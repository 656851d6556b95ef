/**
 * Originals kept in memory, bounded by total bytes with oldest-first eviction: for tests,
 * --stateless and the Deno entry.
 * @module
 */

import type {
  OriginalInput,
  OriginalMiss,
  OriginalStore,
  StoredOriginal,
} from "../ccr/original-store.ts";

interface Entry extends OriginalInput {
  createdAt: number;
  retrievalCount: number;
  bytes: number;
}

/** An in-memory original store. */
export class MemoryOriginalStore implements OriginalStore {
  readonly #entries = new Map<string, Entry>();
  #bytes = 0;

  constructor(
    readonly ttlSeconds = 86_400,
    readonly maxBytes = 256 * 1024 * 1024,
    readonly now: () => number = Date.now,
  ) {}

  put(entry: OriginalInput): void {
    const existing = this.#entries.get(entry.hash);
    if (existing) {
      this.#bytes -= existing.bytes;
      this.#entries.delete(entry.hash);
    }
    const bytes = entry.content.length * 2;
    this.#entries.set(entry.hash, {
      ...entry,
      createdAt: this.now(),
      retrievalCount: existing?.retrievalCount ?? 0,
      bytes,
    });
    this.#bytes += bytes;
    for (const [hash, oldest] of this.#entries) {
      if (this.#bytes <= this.maxBytes) break;
      this.#entries.delete(hash);
      this.#bytes -= oldest.bytes;
    }
  }

  get(hash: string): StoredOriginal | OriginalMiss {
    const entry = this.#entries.get(hash);
    if (!entry) return { status: "missing" };
    const ageSeconds = Math.floor((this.now() - entry.createdAt) / 1000);
    if (ageSeconds >= this.ttlSeconds) {
      this.#entries.delete(hash);
      this.#bytes -= entry.bytes;
      return { status: "expired", ageSeconds };
    }
    entry.retrievalCount++;
    const { bytes: _bytes, ...stored } = entry;
    return stored;
  }
}
