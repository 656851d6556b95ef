/**
 * Parsing of grep / ripgrep / ag output: `path:line:text` matches (also `path:line:col:text`),
 * `path-line-text` context lines and `--` separators of `grep -C`, ripgrep's `--heading` groups,
 * and `path:text` without line numbers.
 * @module
 */

/** One line of search output. */
export interface SearchLine {
  /**
   * match: a hit; context: a line around one (grep -C); separator: `--`; heading: a file name
   * above its rows (ripgrep --heading); other: anything else.
   */
  readonly kind: "match" | "context" | "separator" | "heading" | "other";
  /** The file, for matches and context lines. */
  readonly path: string;
  /** The line number as written (digits), or "" when the output has none. */
  readonly lineNo: string;
  /** What follows the line number (with a `col:` prefix when the tool printed columns). */
  readonly text: string;
  /** The line exactly as it was in the input. */
  readonly raw: string;
}

/** How the output was laid out. */
export type SearchStyle = "flat" | "heading" | "no-line-numbers";

/** Parsed search output. */
export interface ParsedSearch {
  readonly style: SearchStyle;
  readonly lines: SearchLine[];
}

/** Only this much of a line is searched for its path and line number. */
const HEAD_CHARS = 1024;
/** Share of non-blank lines that must parse for the input to count as search output. */
const MIN_PARSED_SHARE = 0.6;
const MIN_PARSED_SHARE_NO_LINES = 0.8;

/** Parses search output; undefined when the text does not look like search output. */
export function parseSearchOutput(input: string): ParsedSearch | undefined {
  const raw = input.split("\n");
  return parseFlat(raw) ?? parseHeading(raw) ?? parseWithoutLineNumbers(raw);
}

function other(raw: string): SearchLine {
  return { kind: "other", path: "", lineNo: "", text: raw, raw };
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** The end of a run of digits starting at `from` (line numbers never start with 0). */
function digitsEnd(line: string, from: number): number {
  if (from >= line.length || line.charCodeAt(from) === 48) return from;
  let j = from;
  while (j < line.length && isDigit(line.charCodeAt(j))) j++;
  return j;
}

/** Tells whether a prefix can be a file path (and not a timestamp, URL or sentence). */
function looksLikePath(path: string): boolean {
  if (path.length === 0 || path.length > 512) return false;
  if (path.includes("\t") || path.includes("://") || /^\s/.test(path)) return false;
  if (/^[\d\s\-.:]+$/.test(path)) return false;
  if (path.includes(" ") && !path.includes("/") && !path.includes("\\")) return false;
  return true;
}

function parseMatchLine(line: string): SearchLine | undefined {
  const start = /^[A-Za-z]:[\\/]/.test(line) ? 2 : 0;
  const head = line.length > HEAD_CHARS ? line.slice(0, HEAD_CHARS) : line;
  // Each colon of the head, found natively rather than by a loop over every character.
  for (let i = head.indexOf(":", start); i >= 0; i = head.indexOf(":", i + 1)) {
    const end = digitsEnd(line, i + 1);
    if (end === i + 1 || line.charCodeAt(end) !== 58) continue;
    const path = line.slice(0, i);
    if (!looksLikePath(path)) return undefined;
    return {
      kind: "match",
      path,
      lineNo: line.slice(i + 1, end),
      text: line.slice(end + 1),
      raw: line,
    };
  }
  return undefined;
}

/** A context line `path-12-text` whose path ends at `i`. */
function contextAt(line: string, i: number): SearchLine | undefined {
  const end = digitsEnd(line, i + 1);
  if (end === i + 1 || line.charCodeAt(end) !== 45) return undefined;
  return {
    kind: "context",
    path: line.slice(0, i),
    lineNo: line.slice(i + 1, end),
    text: line.slice(end + 1),
    raw: line,
  };
}

/** A context line of the file the previous line belonged to (the usual case). */
function contextOf(line: string, previous: string): SearchLine | undefined {
  if (previous === "" || !line.startsWith(previous) || line.charCodeAt(previous.length) !== 45) {
    return undefined;
  }
  return contextAt(line, previous.length);
}

/** A context line of any file seen with a match. */
function contextOfKnown(line: string, known: ReadonlySet<string>): SearchLine | undefined {
  const limit = Math.min(line.length, HEAD_CHARS);
  for (let i = 1; i < limit; i++) {
    if (line.charCodeAt(i) !== 45) continue;
    if (!known.has(line.slice(0, i))) continue;
    const found = contextAt(line, i);
    if (found) return found;
  }
  return undefined;
}

function parseFlat(raw: readonly string[]): ParsedSearch | undefined {
  const lines: (SearchLine | undefined)[] = raw.map(parseMatchLine);
  const known = new Set<string>();
  for (const line of lines) if (line) known.add(line.path);
  if (known.size === 0) return undefined;
  let previous = "";
  let parsed = 0;
  let content = 0;
  const result: SearchLine[] = [];
  for (let i = 0; i < raw.length; i++) {
    const text = raw[i]!;
    let line = contextOf(text, previous) ?? lines[i];
    if (!line && text === "--") line = { kind: "separator", path: "", lineNo: "", text, raw: text };
    if (!line) line = contextOfKnown(text, known);
    if (!line) line = other(text);
    if (line.kind === "match" || line.kind === "context") previous = line.path;
    if (text.trim() !== "") {
      content++;
      if (line.kind !== "other") parsed++;
    }
    result.push(line);
  }
  if (parsed < content * MIN_PARSED_SHARE) return undefined;
  return { style: "flat", lines: result };
}

const HEADING_ROW = /^([1-9]\d*)([:-])/;

function parseHeading(raw: readonly string[]): ParsedSearch | undefined {
  const result: SearchLine[] = [];
  let current = "";
  let parsed = 0;
  let content = 0;
  let headings = 0;
  for (let i = 0; i < raw.length; i++) {
    const text = raw[i]!;
    if (text.trim() === "") {
      current = "";
      result.push(other(text));
      continue;
    }
    content++;
    const row = HEADING_ROW.exec(text.slice(0, 24));
    if (current !== "" && row) {
      const kind = row[2] === ":" ? "match" : "context";
      result.push({
        kind,
        path: current,
        lineNo: row[1]!,
        text: text.slice(row[0].length),
        raw: text,
      });
      parsed++;
      continue;
    }
    if (current !== "" && text === "--") {
      result.push({ kind: "separator", path: "", lineNo: "", text, raw: text });
      parsed++;
      continue;
    }
    const next = raw[i + 1];
    if (next !== undefined && HEADING_ROW.test(next.slice(0, 24)) && looksLikePath(text)) {
      current = text;
      headings++;
      parsed++;
      result.push({ kind: "heading", path: text, lineNo: "", text, raw: text });
      continue;
    }
    result.push(other(text));
  }
  if (headings === 0 || parsed < content * MIN_PARSED_SHARE) return undefined;
  return { style: "heading", lines: result };
}

function parseWithoutLineNumbers(raw: readonly string[]): ParsedSearch | undefined {
  const result: SearchLine[] = [];
  const paths = new Set<string>();
  let parsed = 0;
  let content = 0;
  for (const text of raw) {
    if (text.trim() === "") {
      result.push(other(text));
      continue;
    }
    content++;
    const colon = text.slice(0, HEAD_CHARS).indexOf(":");
    const path = colon > 0 ? text.slice(0, colon) : "";
    // Without line numbers only path-shaped prefixes (a directory or an extension) are trusted.
    if (colon > 0 && looksLikePath(path) && /[/\\]|\.\w+$/.test(path) && !path.includes(" ")) {
      result.push({ kind: "match", path, lineNo: "", text: text.slice(colon + 1), raw: text });
      paths.add(path);
      parsed++;
    } else result.push(other(text));
  }
  if (paths.size === 0 || parsed < content * MIN_PARSED_SHARE_NO_LINES) return undefined;
  return { style: "no-line-numbers", lines: result };
}
