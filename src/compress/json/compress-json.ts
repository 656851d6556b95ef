/**
 * The JSON compressor. Always lossless first: re-minifies, writes strings with the shortest
 * escaping, run-encodes repeats and integer ranges, and writes arrays of objects as
 * `{"$columns":[...],"$rows":[[...]]}` tables when that saves enough (a column with one value in
 * every row is stated once, under `"$same"`). In lossy mode it also thins
 * long arrays (keeping errors, warnings, outliers, change points, matches for the question and
 * the first and last items) and cuts long opaque strings, leaving notes inside JSON strings.
 * Valid JSON in, valid JSON out; number lexemes and key order are preserved.
 * @module
 */

import { formatNote } from "../marker.ts";
import type { CompressContext, CompressOutput, Compressor } from "../types.ts";
import { readJsonLines, writeJsonLines } from "./json-lines.ts";
import { readJson } from "./json-reader.ts";
import { transformValue } from "./json-transform.ts";
import { CutString, EmbeddedJson, JsonObject, type JsonValue, Note } from "./json-value.ts";
import { writeJson } from "./json-writer.ts";
import { queryTerms } from "./relevance.ts";
import { newMeter, type WorkMeter } from "./work-meter.ts";

/** Notes named one by one in the marker; beyond this they are counted. */
const NAMED_NOTES = 3;

function collectNotes(value: JsonValue, notes: Note[]): void {
  if (value instanceof Note) notes.push(value);
  else if (value instanceof CutString) notes.push(value.note);
  else if (value instanceof EmbeddedJson) collectNotes(value.value, notes);
  else if (value instanceof JsonObject)
    for (const child of value.values) collectNotes(child, notes);
  else if (Array.isArray(value)) for (const child of value) collectNotes(child, notes);
}

/** Gives the first note the marker (summing up every elision) and the others a short remark. */
function settleNotes(notes: readonly Note[], ctx: CompressContext): void {
  const named = notes.slice(0, NAMED_NOTES).map((note) => note.summary);
  const rest = notes.length - named.length;
  const summary =
    rest > 0
      ? `${named.join("; ")}; and ${rest} more places, each noted in place`
      : named.join("; ");
  notes.forEach((note, i) => {
    note.text = i === 0 ? ctx.marker(summary) : formatNote(note.summary);
  });
}

function compress(
  input: string,
  ctx: CompressContext,
  meter: WorkMeter,
): CompressOutput | undefined {
  const document = readJson(input, meter);
  const parsed = document ?? readJsonLines(input, meter);
  if (!parsed) return undefined;
  const used = new Set<string>();
  const rewrite = {
    lossy: ctx.lossy,
    terms: ctx.lossy ? queryTerms(ctx.query) : [],
    synthetic: !parsed.usesReservedKeys,
    used,
    meter,
  };
  const value = transformValue(parsed.value, rewrite, undefined, 0);
  const notes: Note[] = [];
  // Only these transforms write notes; lossless rewrites skip the walk.
  if (used.has("rows") || used.has("rows+table") || used.has("opaque") || used.has("entries"))
    collectNotes(value, notes);
  if (notes.length > 0) settleNotes(notes, ctx);
  const text = document ? writeJson(value, meter) : writeJsonLines(value, meter);
  if (text.length >= input.length) return undefined;
  const names = [...used].sort();
  return {
    text,
    strategy: `json${document ? "" : "-lines"}:${names.length > 0 ? names.join("+") : "minify"}`,
    lossy: notes.length > 0,
  };
}

/** Compresses JSON text; declines (undefined) on anything that is not valid JSON or saves nothing. */
export const compressJson: Compressor = (input, ctx) => {
  const meter = newMeter();
  try {
    return compress(input, ctx, meter);
  } catch (error) {
    ctx.probe?.swallowed?.("json", error);
    // Never throw into the router: an unexpected failure forwards the original.
    return undefined;
  } finally {
    ctx.probe?.steps?.(meter.steps);
  }
};
