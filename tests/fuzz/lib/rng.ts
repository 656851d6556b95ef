/**
 * A small seeded PRNG (mulberry32) with the helpers the fuzz generators need. Same seed, same
 * sequence, on every machine: failures are reproduced from their seed alone.
 * @module
 */

export class Rng {
  #state: number;
  readonly seed: number;

  constructor(seed: number) {
    this.seed = seed >>> 0;
    this.#state = this.seed;
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** Picks by weight: `[[weight, value], ...]`. */
  weighted<T>(choices: readonly (readonly [number, T])[]): T {
    let total = 0;
    for (const [w] of choices) total += w;
    let r = this.next() * total;
    for (const [w, value] of choices) {
      r -= w;
      if (r < 0) return value;
    }
    return choices[choices.length - 1]![1];
  }

  /** A size skewed towards small values, occasionally up to `max`. */
  size(typical: number, max: number): number {
    const r = this.next();
    if (r < 0.75) return this.int(typical + 1);
    if (r < 0.95) return this.int(Math.min(max, typical * 4) + 1);
    return this.int(max + 1);
  }

  /** A child generator, so one part of an input does not shift the randomness of the next. */
  fork(): Rng {
    return new Rng(this.int(0x100000000));
  }

  word(): string {
    return this.pick(WORDS);
  }

  words(n: number): string {
    return Array.from({ length: n }, () => this.word()).join(" ");
  }

  hex(n: number): string {
    let out = "";
    for (let i = 0; i < n; i++) out += "0123456789abcdef"[this.int(16)];
    return out;
  }

  ident(): string {
    const base = this.pick(IDENTS);
    return this.chance(0.3) ? `${base}${this.int(100)}` : base;
  }
}

export const WORDS = [
  "the",
  "request",
  "failed",
  "error",
  "warning",
  "user",
  "config",
  "build",
  "test",
  "passed",
  "timeout",
  "connection",
  "refused",
  "cache",
  "value",
  "expected",
  "received",
  "module",
  "not",
  "found",
  "retry",
  "server",
  "listening",
  "port",
  "héllo",
  "中文",
  "😀",
  "données",
  "Ошибка",
  "null",
  "undefined",
  "TODO",
  "deprecated",
  "OK",
  "FAIL",
];

const IDENTS = [
  "id",
  "name",
  "status",
  "level",
  "message",
  "count",
  "user_id",
  "createdAt",
  "path",
  "size",
  "version",
  "type",
  "items",
  "data",
  "error",
  "duration_ms",
  "tags",
  "enabled",
  "parent",
  "score",
];
