/**
 * JSON Lines (NDJSON): one JSON object or array per line, as log shippers and `--json` CLI modes
 * print them. Read as one array so rows can be tabulated or thinned like any array; written back
 * one value per line unless the result became a single compact form (a table).
 * @module
 */

import { type ParsedJson, readJsonLineValues } from "./json-reader.ts";
import type { JsonValue } from "./json-value.ts";
import { writeJson } from "./json-writer.ts";
import type { WorkMeter } from "./work-meter.ts";

/** Reads JSON Lines into one array; undefined unless every non-blank line is an object or array. */
export function readJsonLines(text: string, meter: WorkMeter): ParsedJson | undefined {
  return readJsonLineValues(text, meter);
}

/** Writes an array back as JSON Lines; any other value (a table) as one JSON document. */
export function writeJsonLines(value: JsonValue, meter: WorkMeter): string {
  if (!Array.isArray(value)) return writeJson(value, meter);
  return value.map((item) => writeJson(item, meter)).join("\n");
}
