/**
 * Adaptive K: how many of a list of text items to keep, from how repetitive the list is. Distinct
 * items are counted on a normalised form and the knee of the unique-word-pair curve says where new
 * items stop bringing new content. Linear time (no pairwise similarity, no compression trial).
 * @module
 */

import { countDistinctItems, wordPairCurve } from "./adaptive-k-measures.ts";

/** Items beyond this are not examined: the curve's shape is settled well before. */
const MAX_EXAMINED = 4000;
/** Characters of each item that are examined. */
const ITEM_CHARS = 300;

/** Returns how many of `items` to keep, between `minK` and `maxK` (and never more than there are). */
export function adaptiveK(items: readonly string[], minK: number, maxK: number): number {
  const n = Math.min(items.length, MAX_EXAMINED);
  const cap = Math.min(maxK, items.length);
  if (items.length <= 8) return cap;
  const texts: string[] = [];
  for (let i = 0; i < n; i++) texts.push(items[i]!.slice(0, ITEM_CHARS).toLowerCase());
  const unique = countDistinctItems(texts);
  if (unique <= 3) return clamp(Math.max(minK, unique), 0, cap);
  const curve = wordPairCurve(texts);
  const diversity = unique / n;
  const spread = Math.max(minK, Math.floor(items.length * (0.3 + 0.7 * diversity)));
  const knee = findKnee(curve);
  let k: number;
  if (knee === undefined) k = spread;
  else if (diversity > 0.7) k = Math.max(knee, spread);
  else k = knee;
  return clamp(Math.max(minK, k), 0, cap);
}

/** Kneedle on a rising curve: the index (1-based) where it bends most below the diagonal. */
function findKnee(curve: readonly number[]): number | undefined {
  const n = curve.length;
  if (n < 3) return undefined;
  const first = curve[0]!;
  const last = curve[n - 1]!;
  if (last === first) return 1;
  let best = -1;
  let bestDiff = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const x = i / (n - 1);
    const y = (curve[i]! - first) / (last - first);
    const diff = y - x;
    if (diff > bestDiff) {
      bestDiff = diff;
      best = i;
    }
  }
  return bestDiff < 0.05 ? undefined : best + 1;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}
