/**
 * Writes the JSON tree compactly: no insignificant whitespace, key order as read, number lexemes
 * as read, strings with the shortest standard escaping (non-ASCII written as is).
 * @module
 */

import {
  CutString,
  EmbeddedJson,
  JsonNumber,
  JsonObject,
  type JsonValue,
  Note,
} from "./json-value.ts";
import { newMeter, type WorkMeter } from "./work-meter.ts";

/** Characters a JSON string cannot hold as they are (lone surrogates get escaped too). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: JSON strings may not hold raw control characters.
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** Quotes a string as JSON; plain strings skip the general escaper. */
export function quote(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}

// Object keys repeat across rows: quote each distinct key once.
const quotedKeys = new Map<string, string>();
function quoteKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = quote(key);
    if (quotedKeys.size > 10_000) quotedKeys.clear();
    quotedKeys.set(key, quoted);
  }
  return quoted;
}

/** Serializes a node (and everything below it) to compact JSON text. */
export function writeJson(value: JsonValue, meter: WorkMeter = newMeter()): string {
  if (typeof value === "string") return quote(value);
  if (value instanceof JsonNumber) return value.text;
  if (value === null) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (value instanceof JsonObject) {
    if (value.source) return value.sourceText!;
    if (value.settledText !== undefined) return value.settledText;
  }
  const parts: string[] = [];
  writeInto(value, parts, meter);
  return parts.length === 1 ? parts[0]! : parts.join("");
}

function writeInto(value: JsonValue, parts: string[], meter: WorkMeter): void {
  meter.steps++;
  if (value === null) parts.push("null");
  else if (typeof value === "string") parts.push(quote(value));
  else if (typeof value === "boolean") parts.push(value ? "true" : "false");
  else if (value instanceof JsonNumber) parts.push(value.text);
  else if (Array.isArray(value)) {
    parts.push("[");
    for (let i = 0; i < value.length; i++) {
      if (i > 0) parts.push(",");
      writeInto(value[i]!, parts, meter);
    }
    parts.push("]");
  } else if (value instanceof JsonObject) {
    // Unchanged input objects are already written, in the document's compact text.
    if (value.source) {
      parts.push(value.sourceText!);
      return;
    }
    if (value.settledText !== undefined) {
      parts.push(value.settledText);
      return;
    }
    const { keys, values } = value;
    parts.push("{");
    for (let i = 0; i < keys.length; i++) {
      parts.push(i > 0 ? `,${quoteKey(keys[i]!)}:` : `${quoteKey(keys[i]!)}:`);
      writeInto(values[i]!, parts, meter);
    }
    parts.push("}");
  } else if (value instanceof Note) parts.push(quote(value.text));
  else if (value instanceof CutString) parts.push(quote(`${value.head}…${value.note.text}`));
  else if (value instanceof EmbeddedJson) parts.push(quote(writeJson(value.value, meter)));
  else parts.push("null");
}
