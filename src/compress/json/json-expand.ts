/**
 * The inverse of the lossless forms: turns `$columns`/`$rows` tables back into arrays of
 * objects and splices `$repeat` and `$range` elements back into plain elements. Expanding the
 * compressor's lossless output gives back the input tree exactly (number lexemes and key order
 * included), which is how the tests prove those forms lose nothing.
 * @module
 */

import { JsonNumber, JsonObject, type JsonValue } from "./json-value.ts";

function keysAre(object: JsonObject, ...keys: string[]): boolean {
  return object.keys.length === keys.length && keys.every((key, i) => object.keys[i] === key);
}

function rowFrom(cells: readonly JsonValue[], columns: readonly JsonValue[]): JsonObject {
  const keys: string[] = [];
  const values: JsonValue[] = [];
  columns.forEach((column, i) => {
    const cell = cells[i] ?? null;
    if (typeof column === "string") {
      keys.push(column);
      values.push(expandJson(cell));
    } else if (column instanceof JsonObject) {
      const sub = column.values[0];
      keys.push(column.keys[0]!);
      values.push(
        Array.isArray(cell) && Array.isArray(sub) ? rowFrom(cell, sub) : expandJson(cell),
      );
    }
  });
  return new JsonObject(keys, values);
}

function rangeValues(node: JsonObject): JsonValue[] | undefined {
  const spec = node.values[0];
  if (typeof spec !== "string") return undefined;
  const match = /^(-?\d+)\.\.(-?\d+)$/.exec(spec);
  if (!match) return undefined;
  const first = Number(match[1]);
  const last = Number(match[2]);
  const stepValue = node.values[1];
  const step = stepValue instanceof JsonNumber ? stepValue.value : 1;
  if (step === 0 || Math.sign(last - first) !== Math.sign(step) || (last - first) % step !== 0)
    return undefined;
  const out: JsonValue[] = [];
  for (let v = first; step > 0 ? v <= last : v >= last; v += step)
    out.push(new JsonNumber(String(v)));
  return out;
}

/** Expands every compact form in `value` (recursively); other nodes are returned as they are. */
export function expandJson(value: JsonValue): JsonValue {
  if (value instanceof JsonObject) {
    if (keysAre(value, "$columns", "$rows")) {
      const [columns, rows] = value.values;
      if (Array.isArray(columns) && Array.isArray(rows)) {
        return rows.map((row) => (Array.isArray(row) ? rowFrom(row, columns) : expandJson(row)));
      }
    }
    return new JsonObject(value.keys, value.values.map(expandJson), value.synthetic);
  }
  if (!Array.isArray(value)) return value;
  const out: JsonValue[] = [];
  for (const item of value) {
    if (item instanceof JsonObject && keysAre(item, "$repeat", "$times")) {
      const [block, times] = item.values;
      if (Array.isArray(block) && times instanceof JsonNumber) {
        const expanded = block.map(expandJson);
        for (let i = 0; i < times.value; i++) out.push(...expanded);
        continue;
      }
    }
    if (
      item instanceof JsonObject &&
      (keysAre(item, "$range") || keysAre(item, "$range", "$step"))
    ) {
      const values = rangeValues(item);
      if (values) {
        out.push(...values);
        continue;
      }
    }
    out.push(expandJson(item));
  }
  return out;
}
