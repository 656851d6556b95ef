/**
 * Optional per-client rate limiting (off by default): a token bucket per client key that holds
 * a minute's worth of requests and refills continuously.
 * @module
 */

interface Bucket {
  tokens: number;
  updated: number;
}

// Buckets idle this long are forgotten (a full bucket and a forgotten one are the same).
const IDLE_MS = 10 * 60_000;

/** Token buckets keyed by client. */
export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  constructor(readonly now: () => number = Date.now) {}

  /**
   * Takes one request from `key`'s bucket at `perMinute`; returns 0 when allowed, else the
   * seconds to wait before the next request would be.
   */
  take(key: string, perMinute: number): number {
    const now = this.now();
    const rate = perMinute / 60_000;
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      bucket = { tokens: perMinute, updated: now };
      this.#buckets.set(key, bucket);
      if (this.#buckets.size > 10_000) this.#forgetIdle(now);
    }
    bucket.tokens = Math.min(perMinute, bucket.tokens + (now - bucket.updated) * rate);
    bucket.updated = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / rate / 1000));
  }

  #forgetIdle(now: number): void {
    for (const [key, bucket] of this.#buckets)
      if (now - bucket.updated > IDLE_MS) this.#buckets.delete(key);
  }
}
