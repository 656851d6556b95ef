/**
 * What the compiler and linter readers produce: one record per diagnostic, and for every line of
 * the output whether a record owns it, it is to be kept, or it repeats what the records say.
 * @module
 */

/** One diagnostic. */
export interface Diagnostic {
  readonly file: string;
  /** "12:5", or "" when the tool names only the file (biome's format check). */
  readonly place: string;
  readonly severity: string;
  /** TS2345, no-var, lint/style/useTemplate, format. */
  readonly code: string;
  /** The message: its first line, then any continuation lines (tsc's elaboration). */
  readonly message: readonly string[];
  /** What follows the message: code frame, hints, suggested fix (tsc --pretty and biome). */
  readonly frame: readonly string[];
}

/** What parsing found: the records, and which lines they own or the tool printed redundantly. */
export interface ParsedDiagnostics {
  readonly dialect: string;
  readonly diagnostics: Diagnostic[];
  /** Per line: the index of the diagnostic that owns it, -1 for a line to keep, -2 to drop. */
  readonly owner: Int32Array;
}

/** One reader's result. */
export interface Parsed {
  readonly length: number;
  readonly diagnostics: Diagnostic[];
  readonly owner: Int32Array;
}

/** A reader of one tool's output. */
export type Parser = (lines: readonly string[]) => Parsed;

/** Lines longer than this are never diagnostic headers (bounded regex work). */
export const MAX_HEADER = 2000;
/** A line no record owns: kept where it is. */
const KEEP = -1;
/** A line that repeats what the records say (tsc's per-file table): dropped. */
export const DROP = -2;

/** Matches `pattern` against a line short enough to be a header. */
export function header(line: string, pattern: RegExp): RegExpExecArray | null {
  return line.length > MAX_HEADER ? null : pattern.exec(line);
}

/** A new, empty result for `lines`: every line kept until a reader claims it. */
export function emptyOwners(lines: readonly string[]): Int32Array {
  return new Int32Array(lines.length).fill(KEEP);
}
