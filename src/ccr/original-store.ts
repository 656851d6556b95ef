/**
 * Where originals of lossy compressions are kept, keyed by exactly the hash their marker
 * carries ("originals retrievable"), for a time to live and within a size cap (oldest first out).
 * Implementations: SQLite in the workspace, memory for --stateless and tests.
 * @module
 */

import type { StoreReport } from "../core/store-health.ts";

/** What is stored with an original. */
export interface OriginalInput {
  /** The marker hash: 24 hex digits of the original's SHA-256. */
  readonly hash: string;
  readonly content: string;
  readonly toolName?: string | undefined;
  /** How many items (rows, lines) the original had and the compressed text kept, when known. */
  readonly originalItems?: number | undefined;
  readonly keptItems?: number | undefined;
}

/** A stored original. */
export interface StoredOriginal extends OriginalInput {
  readonly createdAt: number;
  readonly retrievalCount: number;
}

/** Why a lookup found nothing ("unavailable": the store itself is failing, try again later). */
export type OriginalMiss =
  | { readonly status: "missing" }
  | { readonly status: "expired"; readonly ageSeconds: number }
  | { readonly status: "unavailable"; readonly code: string };

/** One recent retrieval, for the stats endpoint (never the content). */
export interface RetrievalEvent {
  readonly hash: string;
  readonly found: boolean;
  readonly toolName: string | undefined;
  readonly at: string;
}

/** The numbers GET /v1/retrieve/stats reports. */
export interface OriginalStoreStats {
  readonly backend: "sqlite" | "memory";
  readonly entries: number;
  readonly bytes: number;
  readonly maxBytes: number;
  readonly ttlSeconds: number;
  readonly hits: number;
  readonly misses: number;
  readonly evictions: number;
  readonly expired: number;
  readonly recentRetrievals: readonly RetrievalEvent[];
  /** Originals found, per tool that produced them, since the process started. */
  readonly retrievalsByTool: Readonly<Record<string, number>>;
}

/** Stores originals with a time to live. */
export interface OriginalStore {
  /** Stores (or refreshes the age of) an original; throws when the store cannot take it. */
  put(entry: OriginalInput): void;
  /** Looks an original up by hash, counting the retrieval. */
  get(hash: string): StoredOriginal | OriginalMiss;
  /** Drops expired originals; returns how many went. */
  purgeExpired(): number;
  stats(): OriginalStoreStats;
  readonly ttlSeconds: number;
  /** False while a put would not even be attempted (a guard backing off): plan no lossy edit. */
  writable?(): boolean;
  /** Its health, when it watches it (a guarded store does): /health, /stats, /metrics. */
  report?(): StoreReport;
}

/** Hit, miss, eviction counters and the last retrievals, shared by the implementations. */
export class RetrievalCounters {
  hits = 0;
  misses = 0;
  evictions = 0;
  expired = 0;
  readonly #recent: RetrievalEvent[] = [];
  readonly #byTool = new Map<string, number>();

  /** Records one lookup. */
  record(hash: string, found: boolean, toolName: string | undefined, now: number): void {
    if (found) this.hits++;
    else this.misses++;
    const tool = toolName ?? "unknown";
    // Bounded: past 200 tool names, the rest are counted together.
    const key = this.#byTool.has(tool) || this.#byTool.size < 200 ? tool : "other";
    if (found) this.#byTool.set(key, (this.#byTool.get(key) ?? 0) + 1);
    this.#recent.push({ hash, found, toolName, at: new Date(now).toISOString() });
    if (this.#recent.length > 20) this.#recent.shift();
  }

  /** Originals found per tool. */
  byTool(): Record<string, number> {
    return Object.fromEntries(this.#byTool);
  }

  /** The last 20 lookups, newest last. */
  recent(): readonly RetrievalEvent[] {
    return [...this.#recent];
  }
}
