/**
 * The set of items lossy selection keeps, and the ways of adding to it: spread over a list of
 * candidates, by unseen field values, evenly over the array. Identical items are kept once.
 * @module
 */

import { type Column, labelCodes, MAX_CATEGORIES } from "./columns.ts";
import type { WorkMeter } from "./work-meter.ts";

/** Kept item indices, refusing items identical to one already kept. */
export class Keeper {
  readonly kept = new Set<number>();
  readonly seen = new Set<string>();
  /** 1 at kept indices: membership tests run over every item, so they stay cheap. */
  readonly #marks: Uint8Array;
  /** `meter` counts the steps of the fills below (see work-meter.ts). */
  constructor(
    private readonly texts: readonly string[],
    readonly meter: WorkMeter,
  ) {
    this.#marks = new Uint8Array(texts.length);
  }

  /** Keeps item `i` unless it (or an identical item) is already kept; true when newly kept. */
  add(i: number): boolean {
    if (this.#marks[i] === 1) return false;
    const text = this.texts[i]!;
    if (this.seen.has(text)) return false;
    this.kept.add(i);
    this.#marks[i] = 1;
    this.seen.add(text);
    return true;
  }

  has(i: number): boolean {
    return this.#marks[i] === 1;
  }

  get size(): number {
    return this.kept.size;
  }
}

/** Keeps up to `cap` of `indices` (ascending): one per distinct signature first, then spread. */
export function keepSpread(
  keeper: Keeper,
  indices: readonly number[],
  cap: number,
  signatures?: { at(i: number): string },
): number {
  let kept = 0;
  const taken = new Set<number>();
  if (signatures) {
    const distinct = new Set<string>();
    for (const i of indices) {
      if (kept >= cap) break;
      const signature = signatures.at(i);
      if (distinct.has(signature)) continue;
      distinct.add(signature);
      taken.add(i);
      if (keeper.add(i) || keeper.has(i)) kept++;
    }
  }
  const rest = indices.filter((i) => !taken.has(i));
  keeper.meter.steps += indices.length;
  const slots = cap - kept;
  if (slots <= 0 || rest.length === 0) return kept;
  if (rest.length <= slots) {
    for (const i of rest) if (keeper.add(i) || keeper.has(i)) kept++;
    return kept;
  }
  for (let s = 0; s < slots; s++) {
    const i = rest[Math.floor((s * rest.length) / slots)]!;
    if (keeper.add(i) || keeper.has(i)) kept++;
  }
  return kept;
}

/** Adds, for low-cardinality fields, the first item showing a value no kept item shows yet. */
export function fillCoverage(
  keeper: Keeper,
  columns: readonly Column[],
  n: number,
  slots: number,
): void {
  if (slots <= 0) return;
  for (const column of columns) {
    if (column.labelCount * 2 < n) continue;
    const coded = labelCodes(column);
    if (!coded) {
      slots = fillFromLabels(keeper, column.labels, slots);
      if (slots <= 0) return;
      continue;
    }
    const { distinct, codes } = coded;
    const shown = new Uint8Array(distinct.length);
    const firstAt = new Int32Array(distinct.length).fill(-1);
    // Labels in the order their first unkept item appears.
    const order: number[] = [];
    keeper.meter.steps += n;
    for (let i = 0; i < n; i++) {
      const code = codes[i]!;
      if (code < 0) continue;
      if (keeper.has(i)) shown[code] = 1;
      else if (firstAt[code] === -1) {
        firstAt[code] = i;
        order.push(code);
      }
    }
    for (const code of order) {
      if (slots <= 0) return;
      if (shown[code] === 0 && keeper.add(firstAt[code]!)) slots--;
    }
  }
}

/** {@link fillCoverage} for a field of many labels: skipped once 13 labels are unshown. */
function fillFromLabels(
  keeper: Keeper,
  labels: readonly (string | undefined)[],
  slots: number,
): number {
  const shown = new Set<string>();
  const firstAt = new Map<string, number>();
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (label === undefined) continue;
    if (keeper.has(i)) shown.add(label);
    else if (!firstAt.has(label)) firstAt.set(label, i);
    if (firstAt.size > MAX_CATEGORIES) return slots;
  }
  for (const [label, i] of firstAt) {
    if (slots <= 0) return slots;
    if (!shown.has(label) && keeper.add(i)) slots--;
  }
  return slots;
}

/** Adds up to `slots` items spread evenly over the array. */
export function fillEvenly(keeper: Keeper, n: number, slots: number): void {
  if (slots <= 0) return;
  const step = n / (slots + 1);
  for (let s = 1; s <= slots; s++) {
    const target = Math.round(s * step);
    // Probe outward from the target for an item not kept yet and not identical to a kept one.
    for (let d = 0; d < step / 2 + 1; d++) {
      keeper.meter.steps++;
      if (
        (target + d < n && keeper.add(target + d)) ||
        (target - d >= 0 && d > 0 && keeper.add(target - d))
      )
        break;
    }
  }
}
