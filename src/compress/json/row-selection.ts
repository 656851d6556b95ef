/**
 * Lossy row selection for long arrays: keeps the first and last items, every error (up to a
 * generous cap, distinct errors first), warnings, items matching the user's question, outliers,
 * change points and items that merely mention failures, then fills the budget with items that
 * show field values not yet seen and with evenly spaced samples. Identical items are kept once.
 * The summary says how many items were omitted and exactly what the kept ones are.
 * @module
 */

import { Alarm, type AlarmLevel, alarmOf, alarmSignature } from "./alarms.ts";
import { extractColumns } from "./columns.ts";
import { JsonNumber, JsonObject, type JsonValue } from "./json-value.ts";
import {
  changePoints,
  type Flag,
  isMeasure,
  numericOutliers,
  rareLabels,
  unusualShapes,
} from "./outliers.ts";
import { itemScores, relevanceScores } from "./relevance.ts";
import { MIN_THINNED, rowBudget } from "./row-budget.ts";
import { fillCoverage, fillEvenly, Keeper, keepSpread } from "./row-keeper.ts";
import { every, formatCount, plural, pluralOf } from "./wording.ts";
import type { WorkMeter } from "./work-meter.ts";

/** Which items to keep and what the omission note should say. */
export interface Selection {
  /** Kept item indices, ascending. */
  readonly keep: number[];
  /** Faithful description: "88 of 100 rows omitted; kept ...". */
  readonly summary: string;
}

/** The `cap` most severe flags, one per item. */
function strongest(flags: Flag[], cap: number): Flag[] {
  const best = new Map<number, Flag>();
  for (const flag of flags) {
    const previous = best.get(flag.index);
    if (!previous || flag.severity > previous.severity) best.set(flag.index, flag);
  }
  return [...best.values()]
    .sort((a, b) => b.severity - a.severity || a.index - b.index)
    .slice(0, cap);
}

/**
 * Chooses the items of `items` (serialized as `texts`) to keep, or undefined when the array is
 * too short to thin. `terms` are the distinguishing words of the user's question.
 */
export function selectItems(
  items: readonly JsonValue[],
  texts: readonly string[],
  terms: readonly string[],
  meter: WorkMeter,
  entries = false,
): Selection | undefined {
  const n = items.length;
  if (n <= MIN_THINNED) return undefined;
  let totalBytes = 0;
  for (const text of texts) totalBytes += text.length;
  const budget = rowBudget(n, totalBytes / n);
  const keeper = new Keeper(texts, meter);
  const parts: string[] = [];
  const objects = items.every((item) => item instanceof JsonObject);
  const noun = entries ? "entry" : objects ? "row" : "item";

  // The ends show where the data starts and stops.
  const head = n >= 20 ? 3 : 2;
  const tail = n >= 20 ? 2 : 1;
  for (let i = 0; i < head; i++) keeper.add(i);
  for (let i = n - tail; i < n; i++) keeper.add(i);
  parts.push(`first ${head}`, `last ${tail}`);

  // Problems reported by the items themselves.
  const alarms: AlarmLevel[] = items.map((item) => alarmOf(item, meter));
  const byLevel = (level: AlarmLevel) => {
    const indices: number[] = [];
    for (let i = 0; i < n; i++) if (alarms[i] === level) indices.push(i);
    return indices;
  };
  const signatures = { at: (i: number) => alarmSignature(texts[i]!) };
  const errors = byLevel(Alarm.error);
  if (errors.length > 0) {
    const kept = keepSpread(keeper, errors, Math.max(2 * budget, 20), signatures);
    parts.push(
      kept === errors.length
        ? every(errors.length, "error")
        : `${kept} of ${formatCount(errors.length)} errors`,
    );
  }
  const warnings = byLevel(Alarm.warning);
  if (warnings.length > 0) {
    const kept = keepSpread(keeper, warnings, Math.max(budget, 15), signatures);
    parts.push(
      kept === warnings.length
        ? every(warnings.length, "warning")
        : `${kept} of ${formatCount(warnings.length)} warnings`,
    );
  }

  // Items matching the question, strongest matches first.
  if (terms.length > 0) {
    // Entries are matched with their keys, so their texts are not their values' own.
    const scores = entries
      ? relevanceScores(
          texts.map((text) => text.toLowerCase()),
          terms,
          meter,
        )
      : itemScores(items, texts, terms, meter);
    const matches: number[] = [];
    for (let i = 0; i < n; i++) if (scores[i]! > 0) matches.push(i);
    matches.sort((a, b) => scores[b]! - scores[a]! || a - b);
    let kept = 0;
    for (const i of matches.slice(0, 2 * budget)) if (keeper.add(i) || keeper.has(i)) kept++;
    if (matches.length > 0) {
      parts.push(
        kept === matches.length
          ? `${plural(kept, noun)} matching the question`
          : `${kept} of ${formatCount(matches.length)} ${pluralOf(noun)} matching the question`,
      );
    }
  }

  // Statistical signals.
  const columns = extractColumns(items, meter);
  // A question naming a numeric field ("most comments", "slowest latency_ms") wants its extremes.
  for (const column of columns) {
    const name = column.key.toLowerCase();
    if (
      column.numberCount * 2 < n ||
      !terms.some((term) => term.length >= 3 && name.includes(term))
    )
      continue;
    const order = [...column.numbers.keys()]
      .filter((i) => !Number.isNaN(column.numbers[i]!))
      .sort((a, b) => column.numbers[b]! - column.numbers[a]! || a - b);
    for (const i of [...order.slice(0, 3), order[order.length - 1]!]) keeper.add(i);
    parts.push(`the 3 highest and the lowest ${column.key}`);
  }
  if (!objects && items.every((item) => typeof item === "string")) {
    const lengths = columns[0];
    if (lengths) {
      items.forEach((item, i) => {
        lengths.numbers[i] = (item as string).length;
      });
      lengths.numberCount = n;
    }
  }
  const outlierFlags: Flag[] = [...unusualShapes(items)];
  const changeFlags: Flag[] = [];
  for (const column of columns) {
    outlierFlags.push(...rareLabels(column, n));
    if (isMeasure(column, n)) {
      outlierFlags.push(...numericOutliers(column, meter));
      changeFlags.push(...changePoints(column, meter));
    }
  }
  // Flags on items already kept (errors are often also rare values) leave room for new ones.
  const fresh = (flags: Flag[]) => flags.filter((flag) => !keeper.has(flag.index));
  let outliers = 0;
  for (const flag of strongest(fresh(outlierFlags), Math.ceil(budget / 2))) {
    if (keeper.add(flag.index)) outliers++;
  }
  if (outliers > 0) parts.push(plural(outliers, "outlier"));
  let changes = 0;
  for (const flag of strongest(fresh(changeFlags), Math.ceil(budget / 3))) {
    keeper.add(flag.index - 1);
    if (keeper.add(flag.index)) changes++;
  }
  if (changes > 0) parts.push(`${plural(changes, "change point")} (with the ${noun} before each)`);

  // Mentions only single items out when they are a minority.
  const mentions = byLevel(Alarm.mention);
  if (mentions.length > 0 && mentions.length * 3 <= n) {
    const kept = keepSpread(keeper, mentions, Math.ceil(budget / 3), signatures);
    parts.push(
      kept === mentions.length
        ? `${plural(kept, noun)} mentioning failures`
        : `${kept} of ${formatCount(mentions.length)} ${pluralOf(noun)} mentioning failures`,
    );
  }

  // Fill up: first items that show a field value no kept item shows yet, then evenly spaced ones.
  const before = keeper.size;
  fillCoverage(keeper, columns, n, Math.floor((budget - keeper.size) / 2));
  fillEvenly(keeper, n, budget - keeper.size);
  const samples = keeper.size - before;
  if (samples > 0) parts.push(`${samples} evenly spaced`);

  const keep = [...keeper.kept].sort((a, b) => a - b);
  if (keep.length >= n) return undefined;
  const range = items.every((item) => item instanceof JsonNumber)
    ? `; all ${numberRange(items as JsonNumber[])}`
    : "";
  const summary = `${formatCount(n - keep.length)} of ${formatCount(n)} ${pluralOf(noun)} omitted${range}; kept ${parts.join(", ")}`;
  return { keep, summary };
}

/** "values from -3 to 912, mean 101.4" for an array of numbers (bounds written as in the input). */
function numberRange(numbers: readonly JsonNumber[]): string {
  let min = numbers[0]!;
  let max = numbers[0]!;
  let sum = 0;
  for (let i = 0; i < numbers.length; i++) {
    const number = numbers[i]!;
    const value = number.value;
    if (value < min.value) min = number;
    if (value > max.value) max = number;
    sum += value;
  }
  const mean = Number((sum / numbers.length).toPrecision(4));
  return `values from ${min.text} to ${max.text}, mean ${Number.isFinite(mean) ? mean : "n/a"}`;
}
