/**
 * Lossless table of a map whose values are objects of one shape (an `exports` map, a lockfile's
 * `packages`): each entry becomes a row whose first cell is its key, under a first column named
 * `$key`, so `{"a":{"x":1},"b":{"x":2}}` reads `{"$columns":["$key","x"],"$rows":[["a",1],["b",2]]}`.
 * Entries of another shape stay objects in the rows, carrying their key as `"$key"`. Expanding a
 * table whose first column is `$key` gives back the object, keys in order.
 * @module
 */

import { JsonObject, type JsonValue } from "./json-value.ts";
import { writeJson } from "./json-writer.ts";
import { buildTable, planTable, tableSize } from "./tabular.ts";
import type { WorkMeter } from "./work-meter.ts";

/** The column that holds each entry's key. */
export const KEY_COLUMN = "$key";
/** Maps with fewer entries stay as they are. */
const MIN_ENTRIES = 4;
/** The table must be at most this fraction of the plain object to be used. */
const TABLE_GAIN = 0.9;

/** The table form of `object`, or undefined when it is not a map of like objects or not shorter. */
export function tabulateMap(object: JsonObject, meter: WorkMeter): JsonObject | undefined {
  const n = object.keys.length;
  if (n < MIN_ENTRIES || !sharesOneShape(object.values)) return undefined;
  const rows: JsonObject[] = [];
  for (let i = 0; i < n; i++) {
    const value = object.values[i];
    if (!(value instanceof JsonObject) || value.synthetic || value.keys.includes(KEY_COLUMN))
      return undefined;
    rows.push(new JsonObject([KEY_COLUMN, ...value.keys], [object.keys[i]!, ...value.values]));
  }
  const plan = planTable(rows, meter);
  if (!plan || plan.columns[0]?.key !== KEY_COLUMN) return undefined;
  const texts = rows.map((row) => writeJson(row, meter));
  const all = rows.map((_, i) => i);
  const size = tableSize(plan, texts, all);
  if (size > TABLE_GAIN * writeJson(object, meter).length) return undefined;
  return buildTable(plan, rows, all);
}

/**
 * A cheap first test, before any row is built: every value is an object, and at least half of
 * them have the same keys in the same order (as the table needs).
 */
function sharesOneShape(values: readonly JsonValue[]): boolean {
  const counts = new Map<string, number>();
  let best = 0;
  for (const value of values) {
    if (!(value instanceof JsonObject) || value.synthetic) return false;
    const count = (counts.get(value.shape) ?? 0) + 1;
    counts.set(value.shape, count);
    if (count > best) best = count;
  }
  return best * 2 >= values.length;
}

/** Turns expanded rows of a `$key` table back into the object they came from. */
export function objectFromRows(rows: readonly JsonValue[]): JsonObject | undefined {
  const keys: string[] = [];
  const values: JsonValue[] = [];
  for (const row of rows) {
    if (!(row instanceof JsonObject) || row.keys[0] !== KEY_COLUMN) return undefined;
    const key = row.values[0];
    if (typeof key !== "string") return undefined;
    keys.push(key);
    values.push(new JsonObject(row.keys.slice(1), row.values.slice(1)));
  }
  return new JsonObject(keys, values);
}
