/**
 * Anomaly detectors over columns: numeric outliers (robust z-score on median and MAD), rare
 * values of low-cardinality fields, rows of an unusual shape, and level shifts (change points).
 * Each returns flagged item indices with a severity so selection can keep the strongest first.
 * @module
 */

import { type Column, isSequenceKey, labelCodes } from "./columns.ts";
import { JsonObject, type JsonValue } from "./json-value.ts";
import { medianOf } from "./median.ts";
import { newMeter, type WorkMeter } from "./work-meter.ts";

/** One flagged item. */
export interface Flag {
  readonly index: number;
  readonly severity: number;
  readonly kind: "outlier" | "change";
}

/** Robust z-score above which a value is an outlier (Iglewicz and Hoaglin). */
const Z_LIMIT = 3.5;
/** Fewest values a column needs before anything in it is called unusual. */
const MIN_VALUES = 8;

function presentNumbers(column: Column): Float64Array {
  const values = new Float64Array(column.numberCount);
  let k = 0;
  const numbers = column.numbers;
  for (let i = 0; i < numbers.length; i++)
    if (!Number.isNaN(numbers[i]!)) values[k++] = numbers[i]!;
  return values;
}

function isMonotonic(values: Float64Array): boolean {
  let up = true;
  let down = true;
  for (let i = 1; i < values.length; i++) {
    if (values[i]! < values[i - 1]!) up = false;
    if (values[i]! > values[i - 1]!) down = false;
  }
  return up || down;
}

/** Whether a numeric column measures something (not an id, position or timestamp). */
export function isMeasure(column: Column, n: number): boolean {
  if (column.numberCount < MIN_VALUES || column.numberCount * 2 < n) return false;
  if (isSequenceKey(column.key)) return false;
  return !isMonotonic(presentNumbers(column));
}

/** Values far from the column's median, judged against its median absolute deviation. */
export function numericOutliers(column: Column, meter: WorkMeter = newMeter()): Flag[] {
  const values = presentNumbers(column);
  const mid = medianOf(values.slice(), meter);
  const mad = medianOf(
    values.map((value) => Math.abs(value - mid)),
    meter,
  );
  const flags: Flag[] = [];
  const numbers = column.numbers;
  if (mad > 0) {
    for (let i = 0; i < numbers.length; i++) {
      const value = numbers[i]!;
      if (Number.isNaN(value)) continue;
      const z = (0.6745 * Math.abs(value - mid)) / mad;
      if (z > Z_LIMIT) flags.push({ index: i, severity: Math.min(z, 100), kind: "outlier" });
    }
    return flags;
  }
  // Nearly constant: the few values that differ at all are the news.
  let differing = 0;
  for (let i = 0; i < values.length; i++) if (values[i] !== mid) differing++;
  if (differing === 0 || differing > Math.max(1, values.length * 0.05)) return flags;
  for (let i = 0; i < numbers.length; i++) {
    const value = numbers[i]!;
    if (!Number.isNaN(value) && value !== mid)
      flags.push({ index: i, severity: 10, kind: "outlier" });
  }
  return flags;
}

/** Items whose value of a low-cardinality text field is rare while one value dominates. */
export function rareLabels(column: Column, n: number): Flag[] {
  if (column.labelCount < MIN_VALUES || column.labelCount * 2 < n) return [];
  const coded = labelCodes(column);
  if (!coded || coded.distinct.length < 2) return [];
  const { codes } = coded;
  const counts = new Int32Array(coded.distinct.length);
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i]!;
    if (code >= 0) counts[code]!++;
  }
  let top = 0;
  for (const count of counts) top = Math.max(top, count);
  if (top * 2 < column.labelCount) return [];
  const rareLimit = Math.max(1, Math.floor(column.labelCount * 0.03));
  const flags: Flag[] = [];
  for (let index = 0; index < codes.length; index++) {
    const code = codes[index]!;
    if (code < 0) continue;
    const count = counts[code]!;
    if (count <= rareLimit) flags.push({ index, severity: 4 + 1 / count, kind: "outlier" });
  }
  return flags;
}

/** Objects whose set of keys differs from the one most items share. */
export function unusualShapes(items: readonly JsonValue[]): Flag[] {
  if (items.length < MIN_VALUES) return [];
  // Key order does not make a row unusual: compare sorted key sets (sorted once per shape).
  const sortedShapes = new Map<string, string>();
  const shapes = items.map((item) => {
    if (!(item instanceof JsonObject)) return undefined;
    let sorted = sortedShapes.get(item.shape);
    if (sorted === undefined) {
      sorted = item.keys.slice().sort().join("\u0000");
      sortedShapes.set(item.shape, sorted);
    }
    return sorted;
  });
  const counts = new Map<string, number>();
  for (const shape of shapes)
    if (shape !== undefined) counts.set(shape, (counts.get(shape) ?? 0) + 1);
  let top = 0;
  for (const count of counts.values()) top = Math.max(top, count);
  if (counts.size < 2 || top < items.length * 0.7) return [];
  const flags: Flag[] = [];
  shapes.forEach((shape, index) => {
    if (shape !== undefined && counts.get(shape)! * 10 < items.length) {
      flags.push({ index, severity: 5, kind: "outlier" });
    }
  });
  return flags;
}

function windowMedian(values: Float64Array, from: number, to: number, meter: WorkMeter): number {
  return medianOf(values.slice(from, to), meter);
}

/**
 * Level shifts: points where the mean of the next window departs from the mean of the previous
 * one by much more than both the series' noise and its usual drift. Reports the first item after
 * each shift.
 */
export function changePoints(column: Column, meter: WorkMeter = newMeter()): Flag[] {
  const numbers = column.numbers;
  const n = numbers.length;
  if (column.numberCount < 12 || column.numberCount < n * 0.9) return [];
  const values = new Float64Array(n);
  let last = Number.NaN;
  for (let i = 0; i < n; i++) {
    const value = numbers[i]!;
    if (!Number.isNaN(value)) last = value;
    values[i] = last;
  }
  let firstPresent = 0;
  while (Number.isNaN(values[firstPresent]!)) firstPresent++;
  values.fill(values[firstPresent]!, 0, firstPresent);

  const w = Math.max(3, Math.min(20, Math.floor(n / 8)));
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i]! + values[i]!;
  const shifts = new Float64Array(n);
  const observed = new Float64Array(n - 2 * w + 1);
  for (let i = w; i + w <= n; i++) {
    const before = (prefix[i]! - prefix[i - w]!) / w;
    const after = (prefix[i + w]! - prefix[i]!) / w;
    shifts[i] = Math.abs(after - before);
    observed[i - w] = shifts[i]!;
  }
  if (observed.length < 3) return [];
  const steps = new Float64Array(n - 1);
  for (let i = 1; i < n; i++) steps[i - 1] = Math.abs(values[i]! - values[i - 1]!);
  const noise = (1.4826 * medianOf(steps, meter)) / Math.SQRT2;
  const threshold = 3 * medianOf(observed, meter) + 3 * noise;
  if (!(threshold > 0)) return [];
  const flags: Flag[] = [];
  for (let i = w; i + w <= n; i++) {
    const shift = shifts[i]!;
    if (shift <= threshold) continue;
    let peak = true;
    for (let j = Math.max(w, i - w); j <= Math.min(n - w, i + w); j++) {
      meter.steps++;
      if (shifts[j]! > shift || (shifts[j]! === shift && j < i)) {
        peak = false;
        break;
      }
    }
    // A lone spike moves window means too; a level shift also moves the window medians.
    if (
      peak &&
      Math.abs(windowMedian(values, i, i + w, meter) - windowMedian(values, i - w, i, meter)) >
        threshold
    ) {
      flags.push({ index: i, severity: shift / threshold, kind: "change" });
    }
  }
  return flags;
}
