/**
 * Column views of an array for statistics: the numeric and short-text values of each key (one
 * level of nested objects flattened to `a.b`), or of the items themselves for scalar arrays.
 * @module
 */

import { JsonNumber, JsonObject, type JsonValue } from "./json-value.ts";

/** Columns examined at most, so very wide rows stay cheap. */
const MAX_COLUMNS = 64;
/** Strings longer than this are free text, not categories. */
const MAX_CATEGORY_LENGTH = 64;

/** The values of one key across the items; NaN / undefined where absent or of another type. */
export interface Column {
  readonly key: string;
  readonly numbers: Float64Array;
  readonly labels: (string | undefined)[];
  numberCount: number;
  labelCount: number;
}

function newColumn(key: string, n: number): Column {
  return {
    key,
    numbers: new Float64Array(n).fill(Number.NaN),
    labels: new Array(n),
    numberCount: 0,
    labelCount: 0,
  };
}

function record(column: Column, index: number, value: JsonValue): void {
  if (value instanceof JsonNumber) {
    const number = value.value;
    if (Number.isFinite(number)) {
      column.numbers[index] = number;
      column.numberCount++;
    }
  } else if (typeof value === "string") {
    if (value.length <= MAX_CATEGORY_LENGTH) {
      column.labels[index] = value;
      column.labelCount++;
      // Decimals written as strings ("99.50", as money APIs do) are measurements too.
      const first = value.charCodeAt(0);
      if ((first >= 48 && first <= 57) || first === 45) {
        const number = Number(value);
        if (Number.isFinite(number) && value.length < 24) {
          column.numbers[index] = number;
          column.numberCount++;
        }
      }
    }
  } else if (typeof value === "boolean") {
    column.labels[index] = value ? "true" : "false";
    column.labelCount++;
  }
}

/** Extracts the columns of `items` (objects by key; numbers or strings as one column). */
export function extractColumns(items: readonly JsonValue[]): Column[] {
  const n = items.length;
  const byKey = new Map<string, Column>();
  const columns: Column[] = [];
  function columnFor(key: string): Column | undefined {
    let column = byKey.get(key);
    if (!column && columns.length < MAX_COLUMNS) {
      column = newColumn(key, n);
      byKey.set(key, column);
      columns.push(column);
    }
    return column;
  }
  for (let i = 0; i < n; i++) {
    const item = items[i]!;
    if (item instanceof JsonObject) {
      for (let k = 0; k < item.keys.length; k++) {
        const key = item.keys[k]!;
        const value = item.values[k]!;
        if (value instanceof JsonObject) {
          for (let j = 0; j < value.keys.length && j < 16; j++) {
            const column = columnFor(`${key}.${value.keys[j]}`);
            if (column) record(column, i, value.values[j]!);
          }
        } else {
          const column = columnFor(key);
          if (column) record(column, i, value);
        }
      }
    } else {
      const column = columnFor("");
      if (column) record(column, i, item);
    }
  }
  return columns;
}

const SEQUENCE_WORDS = new Set([
  "id",
  "ids",
  "uuid",
  "index",
  "idx",
  "seq",
  "sequence",
  "number",
  "num",
  "no",
  "pk",
  "offset",
  "line",
  "lineno",
  "position",
  "pos",
  "rank",
  "order",
  "page",
  "port",
  "pid",
  "uid",
  "gid",
  "ts",
  "time",
  "timestamp",
  "epoch",
  "date",
  "year",
  "month",
  "day",
  "hour",
  "minute",
  "second",
  "version",
  "step",
]);

/** Whether a column names positions, identities or instants rather than measurements. */
export function isSequenceKey(key: string): boolean {
  const last = key.split(".").pop() ?? key;
  if (/(?:_at|At)$/.test(last)) return true;
  const words = last
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .split(/[_\-\s]+/);
  return SEQUENCE_WORDS.has(words[words.length - 1] ?? "");
}
