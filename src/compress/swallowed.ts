/**
 * The errors the compressors catch and turn into "no compression" (fail open, docs/ARCHITECTURE.md). The
 * request path never reads this; tests and the fuzzer do, because a swallowed error still means
 * a bug (and a lost saving), even though the original was forwarded safely.
 * @module
 */

/** How many errors were swallowed since start, and the latest one (where, what). */
export const swallowed: { count: number; last: { where: string; error: unknown } | undefined } = {
  count: 0,
  last: undefined,
};

/** Records an error a compressor caught. */
export function noteSwallowed(where: string, error: unknown): void {
  swallowed.count++;
  swallowed.last = { where, error };
}
