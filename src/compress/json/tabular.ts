/**
 * Lossless tabular form of an array of objects: `{"$columns":[...],"$rows":[[...],...]}`. Rows
 * whose keys are exactly the columns (in order) become arrays of values; any other row stays an
 * object in place, so nothing is lost. A column whose values are all objects of one shape (or
 * null) is itself split into sub-columns: `{"user":["login","id"]}` with cells `["ann",7]`.
 * A column holding one scalar value in every such row is stated once, `"$same":{"region":"eu"}`,
 * and left out of the row arrays, when that is shorter.
 * @module
 */

import { JsonNumber, JsonObject, type JsonValue, type Note } from "./json-value.ts";
import { quote, writeJson } from "./json-writer.ts";
import type { WorkMeter } from "./work-meter.ts";

/** Levels of nested objects split into sub-columns. */
const MAX_SUB_DEPTH = 3;
/** At least this many rows must share the column shape. */
const MIN_CONFORMING = 3;

/** One column: a key, and sub-columns when its values are objects of one shape. */
export interface Column {
  readonly key: string;
  readonly sub?: readonly Column[];
}

/** How an array of objects would be written as a table. */
export interface TablePlan {
  readonly columns: readonly Column[];
  /** Whether each row has exactly the columns' keys, so it is written as an array. */
  readonly conforms: readonly boolean[];
  /** Bytes each conforming row saves when written as an array (0 for the others). */
  readonly saving: readonly number[];
  /** Bytes of everything around the rows: `{"$columns":[...],"$rows":[` and `]}`. */
  readonly frame: number;
  /** Top-level columns with one value in every conforming row (never all of the columns). */
  readonly constants: readonly Constant[];
  /** Bytes each conforming row saves when the constants are left out of it. */
  readonly constantSaving: number;
  /** Bytes of `,"$same":{...}`. */
  readonly constantFrame: number;
}

/** A column whose value is the same scalar in every conforming row. */
interface Constant {
  readonly index: number;
  readonly key: string;
  readonly value: JsonValue;
}

function shapeOf(value: JsonValue): string | undefined {
  if (!(value instanceof JsonObject) || value.synthetic) return undefined;
  return value.shape;
}

function keyCost(keys: readonly string[]): number {
  let cost = 0;
  for (const key of keys) cost += JSON.stringify(key).length + 1;
  return cost;
}

function planColumns(objects: readonly JsonObject[], depth: number, meter: WorkMeter): Column[] {
  const keys = objects[0]!.keys;
  return keys.map((key, index) => {
    if (depth >= MAX_SUB_DEPTH) return { key };
    let shape: string | undefined;
    const nested: JsonObject[] = [];
    meter.steps += objects.length;
    for (const object of objects) {
      const value = object.values[index]!;
      if (value === null) continue;
      const valueShape = shapeOf(value);
      if (valueShape === undefined || (shape !== undefined && valueShape !== shape)) return { key };
      shape = valueShape;
      nested.push(value as JsonObject);
    }
    if (nested.length === 0 || nested[0]!.keys.length < 2) return { key };
    return { key, sub: planColumns(nested, depth + 1, meter) };
  });
}

function rowSaving(object: JsonObject, columns: readonly Column[], cost: number): number {
  let saving = cost;
  for (let i = 0; i < columns.length; i++) {
    const sub = columns[i]!.sub;
    const value = object.values[i];
    if (sub && value instanceof JsonObject) saving += rowSaving(value, sub, subCost(sub));
  }
  return saving;
}

const subCosts = new WeakMap<readonly Column[], number>();
function subCost(columns: readonly Column[]): number {
  let cost = subCosts.get(columns);
  if (cost === undefined) {
    cost = keyCost(columns.map((column) => column.key));
    subCosts.set(columns, cost);
  }
  return cost;
}

function columnsJson(columns: readonly Column[]): JsonValue[] {
  return columns.map((column) =>
    column.sub ? new JsonObject([column.key], [columnsJson(column.sub)], true) : column.key,
  );
}

/** Plans the table for `rows`, or undefined when too few rows share one shape. */
export function planTable(rows: readonly JsonValue[], meter: WorkMeter): TablePlan | undefined {
  const shapes: (string | undefined)[] = rows.map(shapeOf);
  const counts = new Map<string, number>();
  let best: string | undefined;
  let bestCount = 0;
  for (const shape of shapes) {
    if (shape === undefined) return undefined;
    const count = (counts.get(shape) ?? 0) + 1;
    counts.set(shape, count);
    if (count > bestCount) {
      bestCount = count;
      best = shape;
    }
  }
  if (best === undefined || bestCount < MIN_CONFORMING || bestCount * 2 < rows.length)
    return undefined;
  const conforms = shapes.map((shape) => shape === best);
  const conforming = rows.filter((_, i) => conforms[i]) as JsonObject[];
  if (conforming[0]!.keys.length === 0) return undefined;
  const columns = planColumns(conforming, 0, meter);
  const cost = subCost(columns);
  const saving = rows.map((row, i) =>
    conforms[i] ? rowSaving(row as JsonObject, columns, cost) : 0,
  );
  // {"$columns": + spec + ,"$rows":[ + ... + ]}
  const frame = 12 + writeJson(columnsJson(columns), meter).length + 10 + 2;
  const constants = findConstants(conforming, columns, meter);
  let constantSaving = 0;
  // ,"$same":{ + "key":value,... + }
  let constantFrame = 10 + Math.max(0, constants.length - 1) + 1;
  for (const constant of constants) {
    const size = writeJson(constant.value, meter).length;
    constantSaving += size + 1;
    constantFrame += quote(constant.key).length + 1 + size;
  }
  return { columns, conforms, saving, frame, constants, constantSaving, constantFrame };
}

function sameScalar(a: JsonValue, b: JsonValue): boolean {
  if (a instanceof JsonNumber) return b instanceof JsonNumber && a.text === b.text;
  return a === b;
}

/** The top-level scalar columns holding one value in every row, unless all columns do. */
function findConstants(
  objects: readonly JsonObject[],
  columns: readonly Column[],
  meter: WorkMeter,
): Constant[] {
  const keys = columns.map((column) => column.key);
  // Constants are found again by key when the table is expanded: keys must be distinct.
  if (new Set(keys).size !== keys.length) return [];
  const constants: Constant[] = [];
  const first = objects[0]!;
  for (let c = 0; c < columns.length; c++) {
    if (columns[c]!.sub) continue;
    const value = first.values[c]!;
    if (typeof value === "object" && value !== null && !(value instanceof JsonNumber)) continue;
    let same = true;
    meter.steps += objects.length;
    for (let r = 1; r < objects.length && same; r++)
      same = sameScalar(value, objects[r]!.values[c]!);
    if (same) constants.push({ index: c, key: keys[c]!, value });
  }
  return constants.length < columns.length ? constants : [];
}

/** Whether stating the constants once is shorter for a table of `conforming` array rows. */
function usesConstants(plan: TablePlan, conforming: number): boolean {
  return plan.constants.length > 0 && conforming * plan.constantSaving > plan.constantFrame;
}

function conformingCount(plan: TablePlan, indices: readonly number[]): number {
  let count = 0;
  for (const i of indices) if (plan.conforms[i]) count++;
  return count;
}

/** Serialized size of the table holding the rows at `indices` (texts are the rows' JSON). */
export function tableSize(
  plan: TablePlan,
  texts: readonly string[],
  indices: readonly number[],
): number {
  let size = plan.frame + Math.max(0, indices.length - 1);
  for (const i of indices) size += texts[i]!.length - plan.saving[i]!;
  const conforming = conformingCount(plan, indices);
  if (usesConstants(plan, conforming))
    size += plan.constantFrame - conforming * plan.constantSaving;
  return size;
}

function cells(object: JsonObject, columns: readonly Column[]): JsonValue[] {
  return columns.map((column, i) => {
    const value = object.values[i]!;
    return column.sub && value instanceof JsonObject ? cells(value, column.sub) : value;
  });
}

/** Builds the table holding the rows at `indices`, with `note` as a last row when given. */
export function buildTable(
  plan: TablePlan,
  rows: readonly JsonValue[],
  indices: readonly number[],
  note?: Note,
): JsonObject {
  const constants = usesConstants(plan, conformingCount(plan, indices)) ? plan.constants : [];
  const body: JsonValue[] = indices.map((i) => {
    if (!plan.conforms[i]) return rows[i]!;
    const row = cells(rows[i] as JsonObject, plan.columns);
    // Left out from the last, so the earlier indices stay valid.
    for (let c = constants.length - 1; c >= 0; c--) row.splice(constants[c]!.index, 1);
    return row;
  });
  if (note) body.push(note);
  const spec = columnsJson(plan.columns);
  if (constants.length === 0) return new JsonObject(["$columns", "$rows"], [spec, body], true);
  const same = new JsonObject(
    constants.map((constant) => constant.key),
    constants.map((constant) => constant.value),
    true,
  );
  return new JsonObject(["$columns", "$same", "$rows"], [spec, same, body], true);
}
