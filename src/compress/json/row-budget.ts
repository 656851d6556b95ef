/**
 * How many items of a long array lossy selection aims to keep before adding the items it must
 * keep (errors, anomalies, matches): grows with the square root of the length, between 8 and 15,
 * and shrinks when items are large so the kept sample stays a small, readable slice.
 * @module
 */

/** Arrays up to this length are never thinned. */
export const MIN_THINNED = 12;
/** The sample never goes above this many items. */
const MAX_SAMPLE = 15;
/** Nor below this many (when the array is longer). */
const MIN_SAMPLE = 8;
/** Bytes the sampled items should take at most, when items are large. */
const SAMPLE_BYTES = 12_000;

/** The target number of kept items for an array of `n` items averaging `averageBytes`. */
export function rowBudget(n: number, averageBytes: number): number {
  if (n <= MIN_THINNED) return n;
  let k = Math.min(MAX_SAMPLE, Math.max(MIN_SAMPLE, Math.round(2 * Math.sqrt(n))));
  if (averageBytes > 0) k = Math.min(k, Math.max(5, Math.floor(SAMPLE_BYTES / averageBytes)));
  return Math.min(k, n);
}
