/**
 * A strict JSON reader that keeps what `JSON.parse` loses: number lexemes, key order (integer-like
 * keys included) and duplicate keys. Linear time; declines instead of throwing.
 * @module
 */

import { JsonNumber, JsonObject, type JsonValue } from "./json-value.ts";

/** Nesting deeper than this is declined rather than risking the call stack. */
const MAX_DEPTH = 400;

/** Keys this compressor writes itself; an input that already uses one gets no synthetic forms. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set([
  "$columns",
  "$rows",
  "$repeat",
  "$times",
  "$range",
  "$step",
]);

/** What the reader found. */
export interface ParsedJson {
  readonly value: JsonValue;
  /** True when some object key is one of {@link RESERVED_KEYS}. */
  readonly usesReservedKeys: boolean;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: JSON text may not hold these raw.
const ODD_CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

class Reject extends Error {}
const REJECT = new Reject();

/** Parses one JSON text (surrounding whitespace allowed); undefined when it is not valid JSON. */
export function readJson(text: string): ParsedJson | undefined {
  let pos = 0;
  let reserved = false;
  const end = text.length;

  function skipSpace(): void {
    while (pos < end) {
      const c = text.charCodeAt(pos);
      if (c === 32 || c === 10 || c === 13 || c === 9) pos++;
      else return;
    }
  }

  // Positions of the next backslash, newline, return and tab at or after the last search: strings
  // with none of them before their closing quote (nearly all) are sliced out without a
  // per-character loop. Any other control character sends every string through the slow loop.
  let nextBackslash = -1;
  let nextNewline = -1;
  let nextReturn = -1;
  let nextTab = -1;
  const oddControls = ODD_CONTROLS.test(text);

  function nextOf(char: string, from: number): number {
    const at = text.indexOf(char, from);
    return at < 0 ? end : at;
  }

  function readString(): string {
    // pos is at the opening quote.
    const start = ++pos;
    const close = text.indexOf('"', start);
    if (close < 0) throw REJECT;
    if (oddControls) return readEscapedString(start);
    if (nextBackslash < start) nextBackslash = nextOf("\\", start);
    if (nextBackslash < close) return readEscapedString(start);
    if (nextNewline < start) nextNewline = nextOf("\n", start);
    if (nextReturn < start) nextReturn = nextOf("\r", start);
    if (nextTab < start) nextTab = nextOf("\t", start);
    if (nextNewline < close || nextReturn < close || nextTab < close) throw REJECT;
    pos = close + 1;
    return text.slice(start, close);
  }

  function readEscapedString(start: number): string {
    pos = start;
    let escaped = false;
    while (pos < end) {
      const c = text.charCodeAt(pos);
      if (c === 34) {
        const raw = text.slice(start, pos);
        pos++;
        // Escapes are rare; the native parser decodes (and validates) them.
        return escaped ? (JSON.parse(`"${raw}"`) as string) : raw;
      }
      if (c === 92) {
        escaped = true;
        pos += 2;
        continue;
      }
      if (c < 32) throw REJECT;
      pos++;
    }
    throw REJECT;
  }

  function readDigits(): number {
    const start = pos;
    while (pos < end) {
      const c = text.charCodeAt(pos);
      if (c >= 48 && c <= 57) pos++;
      else break;
    }
    return pos - start;
  }

  function readNumber(): JsonNumber {
    const start = pos;
    if (text.charCodeAt(pos) === 45) pos++;
    const first = text.charCodeAt(pos);
    if (first === 48) pos++;
    else if (first >= 49 && first <= 57) readDigits();
    else throw REJECT;
    if (text.charCodeAt(pos) === 46) {
      pos++;
      if (readDigits() === 0) throw REJECT;
    }
    const e = text.charCodeAt(pos);
    if (e === 101 || e === 69) {
      pos++;
      const sign = text.charCodeAt(pos);
      if (sign === 43 || sign === 45) pos++;
      if (readDigits() === 0) throw REJECT;
    }
    return new JsonNumber(text.slice(start, pos));
  }

  function readWord(word: string, value: JsonValue): JsonValue {
    if (!text.startsWith(word, pos)) throw REJECT;
    pos += word.length;
    return value;
  }

  function readValue(depth: number): JsonValue {
    skipSpace();
    const c = text.charCodeAt(pos);
    if (c === 34) return readString();
    if (c === 123) return readObject(depth + 1);
    if (c === 91) return readArray(depth + 1);
    if (c === 116) return readWord("true", true);
    if (c === 102) return readWord("false", false);
    if (c === 110) return readWord("null", null);
    return readNumber();
  }

  function readArray(depth: number): JsonValue[] {
    if (depth > MAX_DEPTH) throw REJECT;
    pos++;
    const items: JsonValue[] = [];
    skipSpace();
    if (text.charCodeAt(pos) === 93) {
      pos++;
      return items;
    }
    for (;;) {
      items.push(readValue(depth));
      skipSpace();
      const c = text.charCodeAt(pos++);
      if (c === 44) continue;
      if (c === 93) return items;
      throw REJECT;
    }
  }

  // Sibling objects (rows) usually have the same keys: they share one key array, so their shape
  // is computed once and memory stays small.
  const lastKeys: string[][] = [];
  function sharedKeys(keys: string[], depth: number): string[] {
    const last = lastKeys[depth];
    if (last && last.length === keys.length) {
      let same = true;
      for (let i = 0; i < keys.length; i++) {
        if (last[i] !== keys[i]) {
          same = false;
          break;
        }
      }
      if (same) return last;
    }
    lastKeys[depth] = keys;
    return keys;
  }

  function readObject(depth: number): JsonObject {
    if (depth > MAX_DEPTH) throw REJECT;
    pos++;
    const keys: string[] = [];
    const values: JsonValue[] = [];
    skipSpace();
    if (text.charCodeAt(pos) === 125) {
      pos++;
      return new JsonObject(keys, values);
    }
    for (;;) {
      skipSpace();
      if (text.charCodeAt(pos) !== 34) throw REJECT;
      const key = readString();
      if (key.charCodeAt(0) === 36 && RESERVED_KEYS.has(key)) reserved = true;
      skipSpace();
      if (text.charCodeAt(pos++) !== 58) throw REJECT;
      keys.push(key);
      values.push(readValue(depth));
      skipSpace();
      const c = text.charCodeAt(pos++);
      if (c === 44) continue;
      if (c === 125) return new JsonObject(sharedKeys(keys, depth), values);
      throw REJECT;
    }
  }

  try {
    const value = readValue(0);
    skipSpace();
    if (pos !== end) return undefined;
    return { value, usesReservedKeys: reserved };
  } catch {
    // Invalid JSON, a bad escape, or (defensively) a too-deep stack: decline.
    return undefined;
  }
}
