/**
 * Column views of an array for statistics: the numeric and short-text values of each key (one
 * level of nested objects flattened to `a.b`), or of the items themselves for scalar arrays.
 * @module
 */

import { JsonNumber, JsonObject, type JsonValue } from "./json-value.ts";
import { newMeter, type WorkMeter } from "./work-meter.ts";

/** Columns examined at most, so very wide rows stay cheap. */
const MAX_COLUMNS = 64;
/** Strings longer than this are free text, not categories. */
const MAX_CATEGORY_LENGTH = 64;

/** Most distinct labels a column may show to count as categorical. */
export const MAX_CATEGORIES = 12;

/** A categorical column's distinct labels (first-seen order) and each item's index into them. */
export interface LabelCodes {
  readonly distinct: readonly string[];
  /** -1 where the item has no label. */
  readonly codes: Int8Array;
}

/** The values of one key across the items; NaN / undefined where absent or of another type. */
export interface Column {
  readonly key: string;
  readonly numbers: Float64Array;
  readonly labels: (string | undefined)[];
  numberCount: number;
  labelCount: number;
  /** Cache of {@link labelCodes}: null once known to have too many labels. */
  coded?: LabelCodes | null | undefined;
}

function newColumn(key: string, n: number): Column {
  return {
    key,
    numbers: new Float64Array(n).fill(Number.NaN),
    labels: new Array<string | undefined>(n).fill(undefined),
    numberCount: 0,
    labelCount: 0,
    coded: undefined,
  };
}

/**
 * False when `text` holds an ASCII character `Number()` never accepts in a finite number (the
 * colons and letters of dates and ids), so most strings skip the costly conversion.
 */
function numberLike(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) continue;
    if (c > 127) return true;
    // . + - and ASCII whitespace; then the letters of exponents, hex, binary and octal forms.
    if (c === 46 || c === 43 || c === 45 || c === 32 || (c >= 9 && c <= 13)) continue;
    const lower = c | 32;
    if ((lower >= 97 && lower <= 102) || lower === 120 || lower === 111) continue;
    return false;
  }
  return true;
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
      if (
        ((first >= 48 && first <= 57) || first === 45) &&
        value.length < 24 &&
        numberLike(value)
      ) {
        const number = Number(value);
        if (Number.isFinite(number)) {
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

/**
 * The columns each key of one key array (rows share key arrays, see the reader) maps to, looked
 * up on first use so columns are created in the order the items show them.
 */
interface KeySlots {
  /** Per key: its column, undefined when there is none, NOT_LOOKED_UP before the first use. */
  readonly plain: (Column | undefined | typeof NOT_LOOKED_UP)[];
  /** Per key: the nested key array last seen under it, and that array's columns. */
  readonly nestedKeys: (readonly string[] | undefined)[];
  readonly nested: (Column | undefined)[][];
}
const NOT_LOOKED_UP = 0;

/** Extracts the columns of `items` (objects by key; numbers or strings as one column). */
export function extractColumns(
  items: readonly JsonValue[],
  meter: WorkMeter = newMeter(),
): Column[] {
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
  const slotsByKeys = new Map<readonly string[], KeySlots>();
  let lastKeys: readonly string[] | undefined;
  let slots: KeySlots | undefined;
  for (let i = 0; i < n; i++) {
    const item = items[i]!;
    if (item instanceof JsonObject) {
      const keys = item.keys;
      if (keys !== lastKeys || !slots) {
        slots = slotsByKeys.get(keys);
        if (!slots) {
          slots = {
            plain: new Array(keys.length).fill(NOT_LOOKED_UP),
            nestedKeys: new Array(keys.length).fill(undefined),
            nested: new Array(keys.length).fill(undefined),
          };
          slotsByKeys.set(keys, slots);
        }
        lastKeys = keys;
      }
      meter.steps += keys.length;
      for (let k = 0; k < keys.length; k++) {
        const value = item.values[k]!;
        if (value instanceof JsonObject) {
          let nested = slots.nested[k]!;
          if (slots.nestedKeys[k] !== value.keys) {
            const key = keys[k]!;
            const inner = value.keys;
            nested = [];
            for (let j = 0; j < inner.length && j < 16; j++)
              nested.push(columnFor(`${key}.${inner[j]}`));
            slots.nestedKeys[k] = inner;
            slots.nested[k] = nested;
          }
          for (let j = 0; j < nested.length; j++) {
            const column = nested[j];
            if (column) record(column, i, value.values[j]!);
          }
        } else {
          let column = slots.plain[k];
          if (column === NOT_LOOKED_UP) {
            column = columnFor(keys[k]!);
            slots.plain[k] = column;
          }
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

/** The label codes of a categorical column, or undefined when it shows too many labels. */
export function labelCodes(column: Column): LabelCodes | undefined {
  if (column.coded === undefined) column.coded = codeLabels(column.labels) ?? null;
  return column.coded ?? undefined;
}

function codeLabels(labels: readonly (string | undefined)[]): LabelCodes | undefined {
  const codes = new Int8Array(labels.length).fill(-1);
  const distinct: string[] = [];
  let last = -1;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (label === undefined) continue;
    // Runs of one label are common: try the previous item's first.
    let code = last >= 0 && distinct[last] === label ? last : distinct.indexOf(label);
    if (code < 0) {
      if (distinct.length === MAX_CATEGORIES) return undefined;
      code = distinct.push(label) - 1;
    }
    codes[i] = code;
    last = code;
  }
  return { distinct, codes };
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
