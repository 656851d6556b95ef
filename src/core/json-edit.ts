/**
 * Edits JSON text in place: finds where given values sit in the original text and splices new
 * text there, so every byte outside an edit stays exactly as the client sent it (number lexemes,
 * escapes, spacing, key order). Re-serialising a parsed body would change all of those, which can
 * break the provider's prompt cache and loses big-integer precision.
 * @module
 */

/** A path into a JSON document: object keys and array indexes. */
export type JsonPath = readonly (string | number)[];

/** Where a value's text sits: `text.slice(start, end)` is the value. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** Text to put in place of `text.slice(start, end)` (start === end inserts). */
export interface Splice extends Span {
  readonly text: string;
}

/** The key of a path in the maps this module returns. */
export function pathKey(path: JsonPath): string {
  return JSON.stringify(path);
}

function isSpace(code: number): boolean {
  return code === 32 || code === 10 || code === 13 || code === 9;
}

/**
 * Finds the spans of the values at `paths` in `text` (which must be valid JSON). Paths that do
 * not exist are absent from the result. Runs in one pass and only descends where a wanted path
 * leads, so it stays linear and shallow however large or deep the document is.
 */
export function locateValues(text: string, paths: readonly JsonPath[]): Map<string, Span> {
  const wanted = new Set(paths.map(pathKey));
  const prefixes = new Set<string>();
  for (const path of paths) {
    for (let i = 0; i < path.length; i++) prefixes.add(pathKey(path.slice(0, i)));
  }
  const found = new Map<string, Span>();
  let pos = 0;

  function skipSpace(): void {
    while (pos < text.length && isSpace(text.charCodeAt(pos))) pos++;
  }

  function skipString(): void {
    // pos is at the opening quote.
    let i = pos + 1;
    for (;;) {
      const quote = text.indexOf('"', i);
      if (quote < 0) {
        pos = text.length;
        return;
      }
      let backslashes = 0;
      for (let j = quote - 1; text.charCodeAt(j) === 92; j--) backslashes++;
      if (backslashes % 2 === 0) {
        pos = quote + 1;
        return;
      }
      i = quote + 1;
    }
  }

  function skipValue(): void {
    const code = text.charCodeAt(pos);
    if (code === 34) {
      skipString();
      return;
    }
    if (code !== 123 && code !== 91) {
      while (pos < text.length) {
        const c = text.charCodeAt(pos);
        if (c === 44 || c === 125 || c === 93 || isSpace(c)) return;
        pos++;
      }
      return;
    }
    // A container: count brackets, skipping strings, without recursion.
    let depth = 0;
    while (pos < text.length) {
      const c = text.charCodeAt(pos);
      if (c === 34) {
        skipString();
        continue;
      }
      if (c === 123 || c === 91) depth++;
      else if (c === 125 || c === 93) {
        depth--;
        if (depth === 0) {
          pos++;
          return;
        }
      }
      pos++;
    }
  }

  function readKey(): string {
    const start = pos;
    skipString();
    return JSON.parse(text.slice(start, pos)) as string;
  }

  function visit(path: (string | number)[]): void {
    skipSpace();
    const key = pathKey(path);
    const start = pos;
    const descend = prefixes.has(key);
    const code = text.charCodeAt(pos);
    if (descend && code === 123) {
      pos++;
      skipSpace();
      if (text.charCodeAt(pos) === 125) pos++;
      else {
        for (;;) {
          skipSpace();
          const name = readKey();
          skipSpace();
          pos++; // ":"
          path.push(name);
          visit(path);
          path.pop();
          skipSpace();
          if (text.charCodeAt(pos) === 44) {
            pos++;
            continue;
          }
          pos++; // "}"
          break;
        }
      }
    } else if (descend && code === 91) {
      pos++;
      skipSpace();
      if (text.charCodeAt(pos) === 93) pos++;
      else {
        for (let index = 0; ; index++) {
          path.push(index);
          visit(path);
          path.pop();
          skipSpace();
          if (text.charCodeAt(pos) === 44) {
            pos++;
            continue;
          }
          pos++; // "]"
          break;
        }
      }
    } else {
      skipValue();
    }
    if (wanted.has(key)) found.set(key, { start, end: pos });
  }

  visit([]);
  return found;
}

/** The spans found in one reading of a text, by {@link pathKey}. */
export type Spans = ReadonlyMap<string, Span>;

/**
 * Edits one stage wants to make to a request text: the paths whose spans it needs, and its
 * splices once they are found. Every stage's paths are located together in one reading.
 */
export interface PendingEdits {
  readonly paths: readonly JsonPath[];
  splices(spans: Spans): Splice[];
}

/** Reads `text` once for every path the `edits` need. */
export function locateEdits(text: string, edits: readonly PendingEdits[]): Spans {
  return locateValues(
    text,
    edits.flatMap((edit) => edit.paths),
  );
}

/** Applies non-overlapping splices to `text`. */
export function applySplices(text: string, splices: readonly Splice[]): string {
  if (splices.length === 0) return text;
  const ordered = [...splices].sort((a, b) => a.start - b.start || a.end - b.end);
  const parts: string[] = [];
  let cursor = 0;
  for (const splice of ordered) {
    if (splice.start < cursor) throw new RangeError("Cannot apply overlapping JSON edits");
    parts.push(text.slice(cursor, splice.start), splice.text);
    cursor = splice.end;
  }
  parts.push(text.slice(cursor));
  return parts.join("");
}

/**
 * The splice that appends `itemJson` as the last element of the array whose value spans `span`
 * (adding a comma when the array is not empty).
 */
export function appendToArray(text: string, span: Span, itemJson: string): Splice {
  const close = span.end - 1;
  let before = close - 1;
  while (before > span.start && isSpace(text.charCodeAt(before))) before--;
  const empty = before === span.start;
  return { start: close, end: close, text: empty ? itemJson : `,${itemJson}` };
}

/**
 * The splice that adds `"key": valueJson` as the last member of the object whose value spans
 * `span` (adding a comma when the object is not empty).
 */
export function addMember(text: string, span: Span, key: string, valueJson: string): Splice {
  const member = `${JSON.stringify(key)}:${valueJson}`;
  return appendToArray(text, span, member);
}

/** Appends JSON item texts to the array at `path` of `text` (which must have one there). */
export function appendItemsAt(text: string, path: JsonPath, items: readonly string[]): string {
  if (items.length === 0) return text;
  const span = locateValues(text, [path]).get(pathKey(path));
  if (!span) throw new RangeError(`Cannot append: no array at ${pathKey(path)}`);
  return applySplices(text, [appendToArray(text, span, items.join(","))]);
}
