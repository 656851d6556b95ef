/**
 * Originals kept in memory, bounded by total bytes with oldest-first eviction: for tests,
 * --stateless and the Deno entry.
 * @module
 */

import {
  type OriginalInput,
  type OriginalMiss,
  type OriginalStore,
  type OriginalStoreStats,
  RetrievalCounters,
  type StoredOriginal,
} from "../ccr/original-store.ts";

interface Entry extends OriginalInput {
  createdAt: number;
  retrievalCount: number;
  bytes: number;
}

const encoder = new TextEncoder();

/** An in-memory original store. */
export class MemoryOriginalStore implements OriginalStore {
  readonly #entries = new Map<string, Entry>();
  readonly #counters = new RetrievalCounters();
  #bytes = 0;

  constructor(
    readonly ttlSeconds = 86_400,
    readonly maxBytes = 256 * 1024 * 1024,
    readonly now: () => number = Date.now,
  ) {}

  put(entry: OriginalInput): void {
    const existing = this.#entries.get(entry.hash);
    if (existing) {
      // Same hash, same content: only its age is refreshed (it moves to the newest end).
      this.#entries.delete(entry.hash);
      existing.createdAt = this.now();
      this.#entries.set(entry.hash, existing);
      return;
    }
    const bytes = encoder.encode(entry.content).length;
    this.#entries.set(entry.hash, { ...entry, createdAt: this.now(), retrievalCount: 0, bytes });
    this.#bytes += bytes;
    for (const [hash, oldest] of this.#entries) {
      if (this.#bytes <= this.maxBytes || hash === entry.hash) break;
      this.#entries.delete(hash);
      this.#bytes -= oldest.bytes;
      this.#counters.evictions++;
    }
  }

  get(hash: string): StoredOriginal | OriginalMiss {
    const entry = this.#entries.get(hash);
    const now = this.now();
    if (!entry) {
      this.#counters.record(hash, false, undefined, now);
      return { status: "missing" };
    }
    const ageSeconds = Math.floor((now - entry.createdAt) / 1000);
    if (ageSeconds >= this.ttlSeconds) {
      this.#drop(hash, entry);
      this.#counters.expired++;
      this.#counters.record(hash, false, entry.toolName, now);
      return { status: "expired", ageSeconds };
    }
    entry.retrievalCount++;
    this.#counters.record(hash, true, entry.toolName, now);
    const { bytes: _bytes, ...stored } = entry;
    return stored;
  }

  purgeExpired(): number {
    const cutoff = this.now() - this.ttlSeconds * 1000;
    let removed = 0;
    for (const [hash, entry] of this.#entries) {
      if (entry.createdAt > cutoff) continue;
      this.#drop(hash, entry);
      removed++;
    }
    this.#counters.expired += removed;
    return removed;
  }

  stats(): OriginalStoreStats {
    return {
      backend: "memory",
      entries: this.#entries.size,
      bytes: this.#bytes,
      maxBytes: this.maxBytes,
      ttlSeconds: this.ttlSeconds,
      hits: this.#counters.hits,
      misses: this.#counters.misses,
      evictions: this.#counters.evictions,
      expired: this.#counters.expired,
      recentRetrievals: this.#counters.recent(),
      retrievalsByTool: this.#counters.byTool(),
    };
  }

  #drop(hash: string, entry: Entry): void {
    this.#entries.delete(hash);
    this.#bytes -= entry.bytes;
  }
}
