/**
 * A bounded LRU of exact token counts, so the same content is never run through the tokenizer
 * twice (the tokenizer runs at about 20 MB/s; the replayed history of a session repeats the same
 * tool outputs on every turn).
 * @module
 */

/**
 * Texts up to this many UTF-16 units are keyed by themselves (exact, and hashing them would cost
 * about as much as the lookup); longer ones by their length and a 64-bit hash, so the cache never
 * keeps a large tool output alive.
 */
const SMALL_KEY_MAX = 512;

/** Entries kept per map; worst case the small map holds 4,096 x 512 units = 4 MB of keys. */
const MAX_ENTRIES = 4096;

/** An LRU map from content to its token count under one encoding. */
export class TokenCountCache {
  private readonly small = new Map<string, number>();
  private readonly hashed = new Map<string, number>();
  private hitCount = 0;
  private missCount = 0;

  /** Returns the cached count for `text`, or undefined; a hit becomes the most recently used. */
  get(text: string): number | undefined {
    const [map, key] = this.slot(text);
    const count = map.get(key);
    if (count === undefined) {
      this.missCount++;
      return undefined;
    }
    this.hitCount++;
    map.delete(key);
    map.set(key, count);
    return count;
  }

  /** Stores the count for `text`, evicting the least recently used entry when full. */
  set(text: string, count: number): void {
    const [map, key] = this.slot(text);
    map.delete(key);
    map.set(key, count);
    if (map.size > MAX_ENTRIES) {
      const oldest = map.keys().next().value;
      if (oldest !== undefined) map.delete(oldest);
    }
  }

  /** How many lookups hit and missed since creation or the last clear. */
  stats(): { hits: number; misses: number; entries: number } {
    return {
      hits: this.hitCount,
      misses: this.missCount,
      entries: this.small.size + this.hashed.size,
    };
  }

  /** Drops every entry and resets the statistics. */
  clear(): void {
    this.small.clear();
    this.hashed.clear();
    this.hitCount = 0;
    this.missCount = 0;
  }

  private slot(text: string): [Map<string, number>, string] {
    if (text.length <= SMALL_KEY_MAX) return [this.small, text];
    return [this.hashed, `${text.length}:${contentHash(text)}`];
  }
}

/**
 * A 64-bit non-cryptographic hash of the UTF-16 units (two independently mixed 32-bit lanes),
 * about 500 MB/s; with the length in the key, an accidental collision is out of reach, and a
 * deliberate one could only skew a reported count.
 */
export function contentHash(text: string): string {
  let a = 0x9e3779b9 ^ text.length;
  let b = 0x85ebca6b ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  a = Math.imul(a ^ (a >>> 16), 0x85ebca6b);
  a = Math.imul(a ^ (a >>> 13), 0xc2b2ae35);
  a ^= a >>> 16;
  b = Math.imul(b ^ (b >>> 16), 0x27d4eb2f);
  b ^= b >>> 15;
  return (a >>> 0).toString(16).padStart(8, "0") + (b >>> 0).toString(16).padStart(8, "0");
}
