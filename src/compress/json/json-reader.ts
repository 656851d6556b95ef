/**
 * A strict JSON reader that keeps what `JSON.parse` loses: number lexemes, key order (integer-like
 * keys included) and duplicate keys. It also notes where each object sits in the document's
 * compact form, so unchanged objects are later written as slices. Linear time; declines instead
 * of throwing.
 * @module
 */

import { CompactEdits } from "./compact-edits.ts";
import { CompactText, JsonNumber, JsonObject, type JsonValue } from "./json-value.ts";
import { quote } from "./json-writer.ts";
import { OPAQUE_MIN_LENGTH as LONG } from "./opaque-string.ts";
import { newMeter, type WorkMeter } from "./work-meter.ts";

/** Nesting deeper than this is declined rather than risking the call stack. */
const MAX_DEPTH = 400;

/** Keys this compressor writes itself; an input that already uses one gets no synthetic forms. */
const RESERVED_KEYS: ReadonlySet<string> = new Set([
  "$columns",
  "$same",
  "$rows",
  "$repeat",
  "$times",
  "$range",
  "$step",
  "$key",
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
export function readJson(text: string, meter: WorkMeter = newMeter()): ParsedJson | undefined {
  return read(text, false, meter);
}

/**
 * Parses JSON Lines: each non-blank line must be one JSON object or array. Returns them as one
 * array; undefined when a line is anything else.
 */
export function readJsonLineValues(
  text: string,
  meter: WorkMeter = newMeter(),
): ParsedJson | undefined {
  return read(text, true, meter);
}

function read(text: string, lines: boolean, meter: WorkMeter): ParsedJson | undefined {
  let pos = 0;
  let reserved = false;
  // Where the value being read must end: the text's end, or (JSON Lines) its line's.
  let end = text.length;

  // The compact form is the input minus its whitespace, with strings whose escaping is not the
  // writer's own rewritten: `edits` records how, `shift` is how far it runs behind the input.
  const edits = new CompactEdits(text);
  let shift = 0;
  // Raw lone surrogates would be escaped by the writer: such documents get no compact form.
  const source = text.isWellFormed() ? new CompactText(() => edits.build()) : undefined;

  function skipSpace(): void {
    const from = pos;
    while (pos < end) {
      const c = text.charCodeAt(pos);
      if (c === 32 || c === 10 || c === 13 || c === 9) pos++;
      else break;
    }
    if (pos > from) {
      edits.remove(from, pos);
      shift += pos - from;
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
    const found = text.indexOf(char, from);
    // Not found: the text's end (not the line's), so the search is not repeated.
    const at = found < 0 ? text.length : found;
    // The characters the search went through.
    meter.steps += at - from;
    return at;
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
        if (!escaped) return raw;
        escapedKey = true;
        // Escapes are rare; the native parser decodes (and validates) them.
        const decoded = JSON.parse(`"${raw}"`) as string;
        const canonical = quote(decoded);
        if (canonical.length !== raw.length + 2 || canonical.slice(1, -1) !== raw) {
          edits.replace(start - 1, pos, canonical);
          shift += pos - start + 1 - canonical.length;
        }
        return decoded;
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
    const negative = text.charCodeAt(pos) === 45;
    if (negative) pos++;
    const first = text.charCodeAt(pos);
    // Integers are summed up as they are read (exact up to 15 digits), sparing a later Number().
    let value = 0;
    if (first === 48) pos++;
    else if (first >= 49 && first <= 57) {
      while (pos < end) {
        const c = text.charCodeAt(pos);
        if (c < 48 || c > 57) break;
        value = value * 10 + (c - 48);
        pos++;
      }
    } else throw REJECT;
    let integer = pos - start <= (negative ? 16 : 15);
    if (text.charCodeAt(pos) === 46) {
      integer = false;
      pos++;
      if (readDigits() === 0) throw REJECT;
    }
    const e = text.charCodeAt(pos);
    if (e === 101 || e === 69) {
      integer = false;
      pos++;
      const sign = text.charCodeAt(pos);
      if (sign === 43 || sign === 45) pos++;
      if (readDigits() === 0) throw REJECT;
    }
    const lexeme = text.slice(start, pos);
    if (!integer) return new JsonNumber(lexeme);
    return new JsonNumber(lexeme, negative ? -value : value);
  }

  function readWord(word: string, value: JsonValue): JsonValue {
    if (!text.startsWith(word, pos)) throw REJECT;
    pos += word.length;
    return value;
  }

  function readValue(depth: number): JsonValue {
    meter.steps++;
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

  // Sibling objects (rows) usually have the same keys. The keys of the last object read at each
  // depth are matched in place first, so no key is sliced again, and an object with the same keys
  // shares that key array: its shape is computed once and memory stays small. Only keys read
  // without escapes are matched this way (a decoded key may not match its raw text).
  const lastKeys: (string[] | undefined)[] = [];
  let escapedKey = false;

  function keyAt(key: string): boolean {
    return text.startsWith(key, pos + 1) && text.charCodeAt(pos + 1 + key.length) === 34;
  }

  function sameKeys(a: readonly string[], b: readonly string[]): boolean {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  function readObject(depth: number): JsonObject {
    if (depth > MAX_DEPTH) throw REJECT;
    const from = pos - shift;
    pos++;
    const values: JsonValue[] = [];
    skipSpace();
    if (text.charCodeAt(pos) === 125) {
      pos++;
      return new JsonObject([], values, false, source, from, pos - shift, true);
    }
    const expected = lastKeys[depth];
    // Stays undefined while the keys follow `expected`.
    let keys: string[] | undefined;
    let count = 0;
    let plain = true;
    let loud = false;
    for (;;) {
      skipSpace();
      if (text.charCodeAt(pos) !== 34) throw REJECT;
      const guess = keys === undefined ? expected?.[count] : undefined;
      if (guess !== undefined && keyAt(guess)) {
        pos += guess.length + 2;
      } else {
        escapedKey = false;
        const key = readString();
        if (escapedKey) plain = false;
        if (key.charCodeAt(0) === 36 && RESERVED_KEYS.has(key)) reserved = true;
        keys ??= expected ? expected.slice(0, count) : [];
        keys.push(key);
      }
      count++;
      skipSpace();
      if (text.charCodeAt(pos++) !== 58) throw REJECT;
      skipSpace();
      const at = pos;
      const first = text.charCodeAt(at);
      values.push(readValue(depth));
      // A loud value is one the rewrite may change: a container, or a string that may hold JSON
      // (first character `{`, `[`, blank or an escape) or may be cut (long).
      if (first === 34) {
        const head = text.charCodeAt(at + 1);
        if (head === 123 || head === 91 || head <= 32 || head === 92 || pos - at - 2 >= LONG)
          loud = true;
      } else if (first === 123 || first === 91) loud = true;
      skipSpace();
      const c = text.charCodeAt(pos++);
      if (c === 44) continue;
      if (c !== 125) throw REJECT;
      let shared: string[];
      if (keys === undefined) {
        // Every key matched `expected` (defined, since nothing else leaves keys undefined).
        shared = count === expected!.length ? expected! : expected!.slice(0, count);
      } else shared = expected && sameKeys(keys, expected) ? expected : keys;
      lastKeys[depth] = plain ? shared : undefined;
      return new JsonObject(shared, values, false, source, from, pos - shift, !loud);
    }
  }

  function readLines(): JsonValue[] {
    const items: JsonValue[] = [];
    const length = text.length;
    while (pos <= length) {
      let lineEnd = text.indexOf("\n", pos);
      if (lineEnd < 0) lineEnd = length;
      const first = text.charCodeAt(pos);
      // A line is blank when it trims to nothing (any Unicode space), as `trim` decides.
      if (first !== 123 && first !== 91 && text.slice(pos, lineEnd).trim() === "") {
        pos = lineEnd + 1;
        continue;
      }
      end = lineEnd;
      const value = readValue(0);
      skipSpace();
      if (pos !== end || !(value instanceof JsonObject || Array.isArray(value))) throw REJECT;
      items.push(value);
      pos = lineEnd + 1;
    }
    return items;
  }

  try {
    if (lines) {
      const items = readLines();
      return items.length >= 2 ? { value: items, usesReservedKeys: reserved } : undefined;
    }
    const value = readValue(0);
    skipSpace();
    if (pos !== end) return undefined;
    return { value, usesReservedKeys: reserved };
  } catch {
    // Invalid JSON, a bad escape, or (defensively) a too-deep stack: decline.
    return undefined;
  }
}
