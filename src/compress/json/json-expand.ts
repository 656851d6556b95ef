/**
 * The inverse of the lossless forms: turns `$columns`/`$rows` tables (with the `$same`
 * constants put back into each row) back into arrays of objects and splices `$repeat` and `$range` elements back into plain elements. Expanding the
 * compressor's lossless output gives back the input tree exactly (number lexemes and key order
 * included), which is how the tests prove those forms lose nothing.
 * @module
 */

import { JsonNumber, JsonObject, type JsonValue } from "./json-value.ts";
import { KEY_COLUMN, objectFromRows } from "./map-table.ts";

function keysAre(object: JsonObject, ...keys: string[]): boolean {
  return object.keys.length === keys.length && keys.every((key, i) => object.keys[i] === key);
}

/** Rebuilds one row; columns named in `same` take its value and no cell. */
function rowFrom(
  cells: readonly JsonValue[],
  columns: readonly JsonValue[],
  same?: JsonObject,
): JsonObject {
  const keys: string[] = [];
  const values: JsonValue[] = [];
  let next = 0;
  for (const column of columns) {
    if (typeof column === "string") {
      keys.push(column);
      const constant = same ? same.keys.indexOf(column) : -1;
      values.push(expandJson(constant >= 0 ? same!.values[constant]! : (cells[next++] ?? null)));
    } else if (column instanceof JsonObject) {
      const cell = cells[next++] ?? null;
      const sub = column.values[0];
      keys.push(column.keys[0]!);
      values.push(
        Array.isArray(cell) && Array.isArray(sub) ? rowFrom(cell, sub) : expandJson(cell),
      );
    } else next++;
  }
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
    const withSame = keysAre(value, "$columns", "$same", "$rows");
    if (withSame || keysAre(value, "$columns", "$rows")) {
      const columns = value.values[0];
      const same = withSame ? value.values[1] : undefined;
      const rows = value.values[withSame ? 2 : 1];
      if (
        Array.isArray(columns) &&
        Array.isArray(rows) &&
        (same === undefined || same instanceof JsonObject)
      ) {
        const expanded = rows.map((row) =>
          Array.isArray(row) ? rowFrom(row, columns, same) : expandJson(row),
        );
        // A table whose first column is `$key` was a map: its rows are the entries.
        if (columns[0] === KEY_COLUMN) return objectFromRows(expanded) ?? expanded;
        return expanded;
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
