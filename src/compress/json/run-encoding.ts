/**
 * Lossless run encoding of array elements: consecutive repeats of a block of up to eight elements
 * become `{"$repeat":[...],"$times":n}` and arithmetic runs of integers become
 * `{"$range":"a..b"}` (both ends included; `"$step"` when it is not 1). Used only where it saves.
 * @module
 */

import { JsonNumber, JsonObject, type JsonValue } from "./json-value.ts";
import type { WorkMeter } from "./work-meter.ts";

/** Longest block of elements looked for as a repeating unit. */
const MAX_PERIOD = 8;
/** Shortest integer run written as a range. */
const MIN_RANGE = 4;

/** The run-encoded elements and their serialized size, or undefined when nothing is gained. */
export interface RunEncoded {
  readonly items: JsonValue[];
  readonly size: number;
}

/** The value of an integer written canonically (no sign on 0, no leading zeros, <= 15 digits). */
function intValue(item: JsonValue | undefined): number | undefined {
  if (!(item instanceof JsonNumber)) return undefined;
  const text = item.text;
  const negative = text.charCodeAt(0) === 45 ? 1 : 0;
  const digits = text.length - negative;
  if (digits < 1 || digits > 15) return undefined;
  for (let i = negative; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  if (text.charCodeAt(negative) === 48 && (digits > 1 || negative === 1)) return undefined;
  return item.value;
}

/** Serialized size of a plain array holding these element texts. */
export function plainArraySize(texts: readonly string[]): number {
  let size = 2 + Math.max(0, texts.length - 1);
  for (const text of texts) size += text.length;
  return size;
}

/** The written length of {@link rangeNode} (its texts are digits and signs: no escaping). */
function rangeSize(first: string, last: string, step: number): number {
  // {"$range":" + first..last + " + [,"$step": + step] + }
  return 11 + first.length + 2 + last.length + 1 + (step !== 1 ? 9 + String(step).length : 0) + 1;
}

function rangeNode(first: string, last: string, step: number): JsonObject {
  const keys = ["$range"];
  const values: JsonValue[] = [`${first}..${last}`];
  if (step !== 1) {
    keys.push("$step");
    values.push(new JsonNumber(String(step)));
  }
  return new JsonObject(keys, values, true);
}

/** Replaces repeats and integer runs in `items` (whose serialized forms are `texts`). */
export function encodeRuns(
  items: readonly JsonValue[],
  texts: readonly string[],
  meter: WorkMeter,
): RunEncoded | undefined {
  const n = items.length;
  // Each item's integer value (NaN for anything else), found once: runs are scanned repeatedly.
  const ints = new Float64Array(n);
  for (let k = 0; k < n; k++) ints[k] = intValue(items[k]) ?? Number.NaN;
  const out: JsonValue[] = [];
  let size = 1;
  let changed = false;
  let i = 0;
  while (i < n) {
    let bestSaving = 0;
    let bestCovered = 1;
    let bestNode: JsonObject | undefined;
    let bestSize = 0;

    const start = ints[i]!;
    // NaN (not an integer) fails every comparison below.
    const step = i + 1 < n ? ints[i + 1]! - start : Number.NaN;
    if (step !== 0 && !Number.isNaN(step)) {
      let j = i + 1;
      let literal = texts[i]!.length;
      let previous = start;
      while (j < n) {
        meter.steps++;
        const v = ints[j]!;
        if (v - previous !== step) break;
        previous = v;
        literal += texts[j]!.length + 1;
        j++;
      }
      const count = j - i;
      if (count >= MIN_RANGE) {
        const encoded = rangeSize(texts[i]!, texts[j - 1]!, step);
        if (literal - encoded > bestSaving) {
          bestSaving = literal - encoded;
          bestCovered = count;
          bestNode = rangeNode(texts[i]!, texts[j - 1]!, step);
          bestSize = encoded;
        }
      }
    }

    for (let p = 1; p <= MAX_PERIOD && i + 2 * p <= n; p++) {
      let reps = 1;
      while (i + (reps + 1) * p <= n) {
        meter.steps += p;
        let same = true;
        const base = i + reps * p;
        for (let k = 0; k < p; k++) {
          if (texts[base + k] !== texts[i + k]) {
            same = false;
            break;
          }
        }
        if (!same) break;
        reps++;
      }
      if (reps < 2) continue;
      let blockSize = p - 1;
      for (let k = 0; k < p; k++) blockSize += texts[i + k]!.length;
      const literal = reps * blockSize + reps - 1;
      // {"$repeat":[ + block + ],"$times": + count + }
      const encoded = 24 + blockSize + String(reps).length;
      if (literal - encoded > bestSaving) {
        bestSaving = literal - encoded;
        bestSize = encoded;
        bestCovered = reps * p;
        bestNode = new JsonObject(
          ["$repeat", "$times"],
          [items.slice(i, i + p), new JsonNumber(String(reps))],
          true,
        );
      }
    }

    if (bestNode) {
      changed = true;
      out.push(bestNode);
      size += bestSize + 1;
      i += bestCovered;
    } else {
      out.push(items[i]!);
      size += texts[i]!.length + 1;
      i++;
    }
  }
  if (!changed) return undefined;
  // `size` counted an opening bracket and one separator per element: the last one is the `]`.
  return { items: out, size: Math.max(size, 2) };
}
