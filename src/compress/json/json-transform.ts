/**
 * The recursive rewrite of a parsed JSON tree. Children first, then each array picks the smallest
 * of: its plain compact form, run encoding, the lossless table, and (lossy mode only) a selection
 * of its items with a note, which must be clearly smaller than the best lossless form to win.
 * Strings holding JSON are rewritten inside; long opaque strings are cut in lossy mode.
 * @module
 */

import { NOTE_OPENING } from "../marker.ts";
import { readJson } from "./json-reader.ts";
import { CutString, EmbeddedJson, JsonObject, type JsonValue, Note } from "./json-value.ts";
import { writeJson } from "./json-writer.ts";
import { tabulateMap } from "./map-table.ts";
import { OPAQUE_HEAD, OPAQUE_MIN_LENGTH, opaqueKind } from "./opaque-string.ts";
import { selectItems } from "./row-selection.ts";
import { encodeRuns, plainArraySize } from "./run-encoding.ts";
import { buildTable, planTable, tableSize } from "./tabular.ts";
import { formatCount } from "./wording.ts";
import type { WorkMeter } from "./work-meter.ts";

/** A table must be at most this fraction of the plain array to be used. */
const TABLE_GAIN = 0.9;
/** A lossy selection must be at most this fraction of the best lossless form to be used. */
const LOSSY_GAIN = 0.8;
/** JSON nested inside strings is rewritten this many levels deep at most. */
const MAX_EMBEDDED_DEPTH = 4;
/** Objects with at least this many like entries may be thinned in lossy mode. */
const MIN_MAP_ENTRIES = 30;
/** Objects of scalars need this many entries to count as a map rather than a wide record. */
const MIN_SCALAR_MAP_ENTRIES = 100;
/** The key under which a thinned object carries its note. */
const NOTE_KEY = "…";
/** Containers nested deeper than this are left as they are. */
const MAX_DEPTH = 200;

/** Settings and bookkeeping of one rewrite. */
export interface Rewrite {
  readonly lossy: boolean;
  /** Distinguishing words of the user's question. */
  readonly terms: readonly string[];
  /** Whether `$columns` / `$repeat` / `$range` forms may be written. */
  readonly synthetic: boolean;
  /** Names of the transforms used, for the strategy tag. */
  readonly used: Set<string>;
  /** Counts the rewrite's steps (see work-meter.ts). */
  readonly meter: WorkMeter;
}

/** Where a node sits, built only for containers (used in notes). */
interface Path {
  readonly parent: Path | undefined;
  readonly key: string | number;
}

function pathText(path: Path | undefined): string {
  const parts: string[] = [];
  for (let p = path; p; p = p.parent) {
    parts.push(
      typeof p.key === "number"
        ? `[${p.key}]`
        : /^[A-Za-z_$][\w$]*$/.test(p.key)
          ? `.${p.key}`
          : `[${JSON.stringify(p.key)}]`,
    );
  }
  return `$${parts.reverse().join("")}`;
}

function isContainer(value: JsonValue): boolean {
  return Array.isArray(value) || value instanceof JsonObject;
}

/** Whether a child may change at all: containers, strings that may hold JSON, long strings. */
function mayChange(value: JsonValue, rewrite: Rewrite): boolean {
  if (typeof value === "string") {
    const first = value.charCodeAt(0);
    return (
      first === 123 ||
      first === 91 ||
      first <= 32 ||
      (rewrite.lossy && value.length >= OPAQUE_MIN_LENGTH)
    );
  }
  return isContainer(value);
}

/** Rewrites `value` and everything below it; returns the same node when nothing changed. */
export function transformValue(
  value: JsonValue,
  rewrite: Rewrite,
  path: Path | undefined,
  depth: number,
  embedded = 0,
): JsonValue {
  rewrite.meter.steps++;
  if (typeof value === "string") return transformString(value, rewrite, path, depth, embedded);
  if (depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) return transformArray(value, rewrite, path, depth, embedded);
  if (value instanceof JsonObject && !value.synthetic)
    return transformObject(value, rewrite, path, depth, embedded);
  return value;
}

function transformObject(
  object: JsonObject,
  rewrite: Rewrite,
  path: Path | undefined,
  depth: number,
  embedded: number,
): JsonObject {
  if (object.quiet) {
    if (!rewrite.lossy || typeof path?.key === "number") return object;
    return thinMap(object, rewrite, path) ?? object;
  }
  let values: JsonValue[] | undefined;
  for (let i = 0; i < object.values.length; i++) {
    const value = object.values[i]!;
    if (!mayChange(value, rewrite)) continue;
    const next = transformValue(
      value,
      rewrite,
      { parent: path, key: object.keys[i]! },
      depth + 1,
      embedded,
    );
    if (next !== value) {
      values ??= object.values.slice();
      values[i] = next;
    }
  }
  const result = values ? new JsonObject(object.keys, values) : object;
  // Objects inside arrays are rows: the array thins them as a whole, never one by one.
  if (typeof path?.key === "number") return result;
  const thinned = rewrite.lossy ? thinMap(result, rewrite, path) : undefined;
  if (thinned) return thinned;
  const table = rewrite.synthetic ? tabulateMap(result, rewrite.meter) : undefined;
  if (table) rewrite.used.add("map-table");
  return table ?? result;
}

/** Whether an object is a map of like entries (ids to records, names to versions, ...). */
function isMapLike(object: JsonObject): boolean {
  if (object.keys.length < MIN_MAP_ENTRIES || object.keys.includes(NOTE_KEY)) return false;
  const values = object.values;
  const first = values[0]!;
  const kind = (value: JsonValue) =>
    value instanceof JsonObject ? "object" : Array.isArray(value) ? "array" : typeof value;
  const expected = kind(first);
  // Many scalars under distinct keys may be one wide record; only long lists of them are maps.
  if (expected !== "object" && expected !== "array" && values.length < MIN_SCALAR_MAP_ENTRIES)
    return false;
  if (
    expected === "object" &&
    values.some((value) => value instanceof JsonObject && value.synthetic)
  )
    return false;
  return values.every((value) => kind(value) === expected || value === null);
}

/** Lossy: keeps the telling entries of a long map-like object, with a note under a last key. */
function thinMap(
  object: JsonObject,
  rewrite: Rewrite,
  path: Path | undefined,
): JsonObject | undefined {
  if (!isMapLike(object)) return undefined;
  const texts = object.values.map(
    (value, i) => `${JSON.stringify(object.keys[i]!)}:${writeJson(value, rewrite.meter)}`,
  );
  const selection = selectItems(object.values, texts, rewrite.terms, rewrite.meter, true);
  if (!selection) return undefined;
  const where = path ? ` at ${pathText(path)}` : "";
  const note = new Note(selection.summary.replace(" omitted;", `${where} omitted;`));
  const full = plainArraySize(texts);
  const thinned =
    plainArraySize(selection.keep.map((i) => texts[i]!)) +
    writeJson(note, rewrite.meter).length +
    6;
  if (thinned > LOSSY_GAIN * full) return undefined;
  rewrite.used.add("entries");
  return new JsonObject(
    [...selection.keep.map((i) => object.keys[i]!), NOTE_KEY],
    [...selection.keep.map((i) => object.values[i]!), note],
  );
}

function transformString(
  text: string,
  rewrite: Rewrite,
  path: Path | undefined,
  depth: number,
  embedded: number,
): JsonValue {
  if (embedded < MAX_EMBEDDED_DEPTH && looksLikeContainer(text)) {
    const parsed = readJson(text, rewrite.meter);
    if (parsed && isContainer(parsed.value)) {
      const inner: Rewrite = {
        ...rewrite,
        synthetic: rewrite.synthetic && !parsed.usesReservedKeys,
      };
      const value = transformValue(parsed.value, inner, path, depth + 1, embedded + 1);
      const rewritten = new EmbeddedJson(value);
      if (writeJson(rewritten, rewrite.meter).length < JSON.stringify(text).length) {
        for (const name of inner.used) rewrite.used.add(name);
        rewrite.used.add("embedded");
        return rewritten;
      }
      return text;
    }
  }
  if (rewrite.lossy && text.length >= OPAQUE_MIN_LENGTH) {
    const kind = opaqueKind(text);
    if (kind) {
      let head = text.slice(0, OPAQUE_HEAD);
      const last = head.charCodeAt(head.length - 1);
      if (last >= 0xd800 && last <= 0xdbff) head = head.slice(0, -1);
      rewrite.used.add("opaque");
      return new CutString(
        head,
        new Note(`${kind} of ${formatCount(text.length)} chars cut after ${head.length}`),
      );
    }
  }
  return text;
}

/** Whether a text written before the notes are settled may hold a note (all begin alike). */
function hasNote(text: string): boolean {
  return text.includes(NOTE_OPENING);
}

function looksLikeContainer(text: string): boolean {
  let start = 0;
  while (start < text.length && text.charCodeAt(start) <= 32) start++;
  let end = text.length - 1;
  while (end > start && text.charCodeAt(end) <= 32) end--;
  const open = text.charCodeAt(start);
  const close = text.charCodeAt(end);
  return (open === 123 && close === 125) || (open === 91 && close === 93);
}

function transformArray(
  array: JsonValue[],
  rewrite: Rewrite,
  path: Path | undefined,
  depth: number,
  embedded: number,
): JsonValue {
  let items: JsonValue[] = array;
  for (let i = 0; i < array.length; i++) {
    const value = array[i]!;
    // Rows with nothing to rewrite stay as they are (their own thinning is left to this array).
    if (!mayChange(value, rewrite) || (value instanceof JsonObject && value.quiet)) continue;
    const next = transformValue(value, rewrite, { parent: path, key: i }, depth + 1, embedded);
    if (next !== value) {
      if (items === array) items = array.slice();
      items[i] = next;
    }
  }
  const n = items.length;
  if (n < 2) return items;
  const texts = items.map((item) => writeJson(item, rewrite.meter));
  // Texts without a note (whose wording is settled only at the end) are final: the output
  // reuses them instead of writing rewritten rows again.
  for (let i = 0; i < n; i++) {
    const item = items[i];
    if (item instanceof JsonObject && !item.source && !(rewrite.lossy && hasNote(texts[i]!)))
      item.settledText = texts[i];
  }

  let best: JsonValue = items;
  let bestSize = plainArraySize(texts);
  let bestName: string | undefined;
  const plan = rewrite.synthetic && n >= 3 ? planTable(items, rewrite.meter) : undefined;
  if (rewrite.synthetic) {
    const runs = encodeRuns(items, texts, rewrite.meter);
    if (runs && runs.size < bestSize) {
      best = runs.items;
      bestSize = runs.size;
      bestName = "runs";
    }
    if (plan) {
      const all = items.map((_, i) => i);
      const size = tableSize(plan, texts, all);
      if (size <= TABLE_GAIN * plainArraySize(texts) && size < bestSize) {
        best = buildTable(plan, items, all);
        bestSize = size;
        bestName = "table";
      }
    }
  }

  if (rewrite.lossy) {
    const selection = selectItems(items, texts, rewrite.terms, rewrite.meter);
    if (selection) {
      const where = path ? ` at ${pathText(path)}` : "";
      const note = new Note(selection.summary.replace(" omitted;", `${where} omitted;`));
      const keep = selection.keep;
      const noteSize = writeJson(note, rewrite.meter).length + 1;
      let size = noteSize + plainArraySize(keep.map((i) => texts[i]!));
      let asTable = false;
      if (plan && keep.filter((i) => plan.conforms[i]).length >= 3) {
        const tabular = tableSize(plan, texts, keep) + noteSize;
        if (tabular < size) {
          size = tabular;
          asTable = true;
        }
      }
      if (size <= LOSSY_GAIN * bestSize) {
        rewrite.used.add(asTable ? "rows+table" : "rows");
        return asTable
          ? buildTable(plan!, items, keep, note)
          : [...keep.map((i) => items[i]!), note];
      }
    }
  }
  if (bestName) rewrite.used.add(bestName);
  return best;
}
