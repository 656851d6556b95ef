/**
 * Medians by selection rather than sorting: linear on average (a large numeric column no longer
 * pays for several full sorts), and never worse than a sort, which takes over when the selection
 * keeps picking poor pivots.
 * @module
 */

import { newMeter, type WorkMeter } from "./work-meter.ts";

/** The median of `values` (NaN when empty). Reorders `values`. */
export function medianOf(values: Float64Array, meter: WorkMeter = newMeter()): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  const mid = n >> 1;
  const upper = select(values, mid, meter);
  if (n % 2 === 1) return upper;
  // After selection everything left of `mid` is at most `upper`: the lower middle is their largest.
  let lower = values[0]!;
  for (let i = 1; i < mid; i++) if (values[i]! > lower) lower = values[i]!;
  return (lower + upper) / 2;
}

/** Puts the k-th smallest value at index k (smaller ones before it) and returns it. */
function select(values: Float64Array, k: number, meter: WorkMeter): number {
  let lo = 0;
  let hi = values.length - 1;
  // Enough rounds for any reasonable run of pivots; past them, sort what is left.
  let rounds = 2 * Math.ceil(Math.log2(values.length + 1)) + 8;
  while (lo < hi) {
    meter.steps += hi - lo + 1;
    if (rounds-- === 0) {
      values.subarray(lo, hi + 1).sort();
      return values[k]!;
    }
    const a = values[lo]!;
    const b = values[(lo + hi) >> 1]!;
    const c = values[hi]!;
    // The median of three samples.
    const pivot = Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    // Three-way partition, so runs of equal values cost nothing extra:
    // [lo, lt) < pivot, [lt, i) = pivot, (gt, hi] > pivot.
    let lt = lo;
    let i = lo;
    let gt = hi;
    while (i <= gt) {
      const value = values[i]!;
      if (value < pivot) {
        values[i++] = values[lt]!;
        values[lt++] = value;
      } else if (value > pivot) {
        values[i] = values[gt]!;
        values[gt--] = value;
      } else i++;
    }
    if (k < lt) hi = lt - 1;
    else if (k > gt) lo = gt + 1;
    else return pivot;
  }
  return values[k]!;
}
