/**
 * Where originals of lossy compressions are kept, keyed by exactly the hash their marker
 * carries (invariant 4). The durable implementation lives in src/store/.
 * @module
 */

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

/** Why a lookup found nothing. */
export type OriginalMiss =
  | { readonly status: "missing" }
  | { readonly status: "expired"; readonly ageSeconds: number };

/** Stores originals with a time to live. */
export interface OriginalStore {
  /** Stores (or refreshes) an original; throws when the store cannot take it. */
  put(entry: OriginalInput): void;
  /** Looks an original up by hash, counting the retrieval. */
  get(hash: string): StoredOriginal | OriginalMiss;
  /** Seconds an original is kept after its last store. */
  readonly ttlSeconds: number;
}
