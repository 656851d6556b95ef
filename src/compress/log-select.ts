/**
 * Lossy line selection for logs: which lines carry the facts (errors with their blocks, failure
 * sections, distinct warnings, summaries, first and last lines, lines about the question, rare
 * events) and which are noise (progress, passing tests, repeats of what is already shown).
 * @module
 */

import { adaptiveK } from "./log-adaptive-k.ts";
import { continuationEnd, failureSections, indentOf } from "./log-blocks.ts";
import { isLogRecord, isSectionHeader, LineKind, stripLogPrefix } from "./log-classify.ts";
import { queryTerms, termHits, termPattern } from "./log-query.ts";

/** What was chosen: `keep[i]` is 1 for kept lines; `repeated[i]` is 1 for dropped repeats. */
export interface LogSelection {
  readonly keep: Uint8Array;
  readonly repeated: Uint8Array;
}

/** Distinct error blocks shown; later distinct errors are counted, not shown. */
const MAX_ERROR_BLOCKS = 40;
/** Lines of one error block (message, frames, notes); longer blocks keep head and tail. */
const ERROR_BLOCK_HEAD = 24;
const ERROR_BLOCK_TAIL = 8;
/** Distinct warnings shown, and lines of each warning's block. */
const MAX_WARNING_BLOCKS = 12;
const WARNING_BLOCK_CAP = 8;
/** Lines kept because they mention the question's terms. */
const MAX_QUERY_LINES = 20;
/** Rare ordinary lines kept to show what else happened. */
const MIN_RARE = 2;
const MAX_RARE = 8;
/** Ordinary lines kept at each end of output that has no error or warning. */
const QUIET_ENDS = 5;
/** How far back a Go `--- FAIL` looks for its `=== RUN` line, and how much of the run is kept. */
const GO_RUN_LOOKBACK = 400;
const GO_RUN_KEEP = 40;

/** Chooses the lines of a log worth keeping. */
export function selectLogLines(
  lines: readonly string[],
  kinds: readonly LineKind[],
  query: string,
): LogSelection {
  const n = lines.length;
  const keep = new Uint8Array(n);
  const repeated = new Uint8Array(n);
  const covered = new Uint8Array(n);
  const mark = (start: number, end: number): void => {
    for (let k = Math.max(0, start); k < Math.min(n, end); k++) keep[k] = 1;
  };

  const sections = failureSections(lines);
  for (const range of sections.extents) covered.fill(1, range.start, range.end);
  for (const range of sections.kept) mark(range.start, range.end);

  const inShapeRun = shapeRuns(lines);
  const errorCounts = new Map<string, number>();
  const lastOfError = new Map<string, number>();
  const warningCounts = new Map<string, number>();
  const summaries = new Set<string>();
  let errorBlocks = 0;
  let warningBlocks = 0;
  let lastHeader = -1;

  for (let i = 0; i < n; i++) {
    const line = lines[i]!;
    const kind = kinds[i]!;
    if (kind !== LineKind.Blank && isSectionHeader(line)) lastHeader = i;
    if (covered[i] || keep[i]) continue;
    if (kind === LineKind.Summary) {
      const key = line.trim();
      if (summaries.has(key)) repeated[i] = 1;
      else {
        summaries.add(key);
        keep[i] = 1;
      }
    } else if (kind === LineKind.Error) {
      const key = errorKey(line);
      const seen = errorCounts.get(key) ?? 0;
      errorCounts.set(key, seen + 1);
      if (seen > 0) {
        repeated[i] = 1;
        lastOfError.set(key, i);
        continue;
      }
      if (errorBlocks >= MAX_ERROR_BLOCKS) continue;
      errorBlocks++;
      const end = continuationEnd(lines, kinds, i, ERROR_BLOCK_HEAD + ERROR_BLOCK_TAIL + 40);
      if (end - i <= ERROR_BLOCK_HEAD + ERROR_BLOCK_TAIL) mark(i, end);
      else {
        mark(i, i + ERROR_BLOCK_HEAD);
        mark(end - ERROR_BLOCK_TAIL, end);
      }
      if (lastHeader >= 0 && lastHeader < i && i - lastHeader < 2000) keep[lastHeader] = 1;
      keepContextBefore(lines, kinds, keep, inShapeRun, i);
      keepGoRun(lines, keep, i);
    } else if (kind === LineKind.Warning) {
      const key = warningKey(line);
      const seen = warningCounts.get(key) ?? 0;
      warningCounts.set(key, seen + 1);
      if (seen > 0) {
        repeated[i] = 1;
        continue;
      }
      if (warningBlocks >= MAX_WARNING_BLOCKS) continue;
      warningBlocks++;
      mark(i, continuationEnd(lines, kinds, i, WARNING_BLOCK_CAP));
    }
  }
  // The last occurrence of a repeated error shows how long it went on.
  for (const index of lastOfError.values()) {
    keep[index] = 1;
    repeated[index] = 0;
  }

  keepEnds(lines, keep);
  // Output with nothing wrong in it is told by its beginning and end: show a little more of both.
  if (errorCounts.size === 0 && warningCounts.size === 0 && sections.extents.length === 0) {
    keepQuietEnds(lines, kinds, keep, inShapeRun);
  }
  keepQueryLines(lines, keep, query);
  keepRareLines(lines, kinds, keep, repeated);
  return { keep, repeated };
}

/** First non-blank line (the command or banner) and the last two (the verdict). */
function keepEnds(lines: readonly string[], keep: Uint8Array): void {
  const n = lines.length;
  for (let i = 0; i < n; i++) {
    if (lines[i]!.trim() !== "") {
      keep[i] = 1;
      break;
    }
  }
  let tail = 0;
  for (let i = n - 1; i >= 0 && tail < 2; i--) {
    if (lines[i]!.trim() !== "") {
      keep[i] = 1;
      tail++;
    }
  }
}

/** Up to QUIET_ENDS ordinary lines at each end, skipping noise and runs of look-alike lines. */
function keepQuietEnds(
  lines: readonly string[],
  kinds: readonly LineKind[],
  keep: Uint8Array,
  inShapeRun: (index: number) => boolean,
): void {
  const ordinary = (i: number): boolean => {
    const kind = kinds[i];
    return (
      (kind === LineKind.Info || kind === LineKind.Header || kind === LineKind.Summary) &&
      lines[i]!.length <= 400 &&
      !inShapeRun(i)
    );
  };
  let head = 0;
  for (let i = 0; i < lines.length && head < QUIET_ENDS; i++) {
    if (ordinary(i)) {
      keep[i] = 1;
      head++;
    }
  }
  let tail = 0;
  for (let i = lines.length - 1; i >= 0 && tail < QUIET_ENDS; i--) {
    if (ordinary(i)) {
      keep[i] = 1;
      tail++;
    }
  }
}

/** The ordinary line just before an error often says what was being attempted. */
function keepContextBefore(
  lines: readonly string[],
  kinds: readonly LineKind[],
  keep: Uint8Array,
  inShapeRun: (index: number) => boolean,
  index: number,
): void {
  let j = index - 1;
  if (j >= 0 && kinds[j] === LineKind.Blank) j--;
  if (j < 0 || keep[j]) return;
  const kind = kinds[j]!;
  if (kind !== LineKind.Info && kind !== LineKind.Header && kind !== LineKind.Debug) return;
  if (inShapeRun(j) || lines[j]!.length > 400) return;
  keep[j] = 1;
}

const GO_FAIL = /^\s*--- FAIL: (\S+)/;

/** Go prints a failing test's messages between its `=== RUN` line and its `--- FAIL` line. */
function keepGoRun(lines: readonly string[], keep: Uint8Array, index: number): void {
  const match = GO_FAIL.exec(lines[index]!.slice(0, 300));
  if (!match) return;
  const run = `=== RUN   ${match[1]}`;
  for (let j = index - 1; j >= 0 && index - j <= GO_RUN_LOOKBACK; j--) {
    if (lines[j] !== run) continue;
    keep[j] = 1;
    for (let k = Math.max(j + 1, index - GO_RUN_KEEP); k < index; k++) {
      if (!lines[k]!.startsWith("=== ") && !lines[k]!.trimStart().startsWith("--- PASS")) {
        keep[k] = 1;
      }
    }
    return;
  }
}

/** Lines that mention the question's terms, most terms first. */
function keepQueryLines(lines: readonly string[], keep: Uint8Array, query: string): void {
  const terms = queryTerms(query);
  const pattern = termPattern(terms);
  if (pattern === undefined) return;
  const scored: { index: number; hits: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (keep[i]) continue;
    const line = lines[i]!;
    const head = line.length > 2000 ? line.slice(0, 2000) : line;
    if (!pattern.test(head)) continue;
    const hits = termHits(head.toLowerCase(), terms);
    if (hits > 0) scored.push({ index: i, hits });
  }
  scored.sort((a, b) => b.hits - a.hits || a.index - b.index);
  for (const { index } of scored.slice(0, MAX_QUERY_LINES)) keep[index] = 1;
}

/**
 * In application logs, the first line of the rarest kinds of ordinary message: one-off events
 * (a restart, a config reload) stand out from the request chatter. Build and test output has its
 * story in errors and summaries already.
 */
function keepRareLines(
  lines: readonly string[],
  kinds: readonly LineKind[],
  keep: Uint8Array,
  repeated: Uint8Array,
): void {
  if (!mostlyLogRecords(lines, kinds)) return;
  const candidates: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const kind = kinds[i];
    // Indented lines continue something else (a dropped block); they are no event of their own.
    if (kind !== LineKind.Info && kind !== LineKind.Header) continue;
    if (!keep[i] && !repeated[i] && indentOf(lines[i]!) === 0) candidates.push(i);
  }
  if (candidates.length < 12) return;
  const texts = candidates.map((i) => stripLogPrefix(lines[i]!));
  const k = adaptiveK(texts, MIN_RARE, MAX_RARE);
  const templates = new Map<string, { first: number; count: number }>();
  for (let c = 0; c < candidates.length; c++) {
    const key = templateKey(texts[c]!);
    const entry = templates.get(key);
    if (entry) entry.count++;
    else templates.set(key, { first: candidates[c]!, count: 1 });
  }
  // A template that is already shown (first line, context) needs no sample.
  const rareCount = Math.max(1, Math.floor(candidates.length / 20));
  const rare = [...templates.values()]
    .filter((t) => t.count <= rareCount)
    .sort((a, b) => a.count - b.count || a.first - b.first)
    .slice(0, k);
  for (const t of rare) if (lines[t.first]!.length <= 400) keep[t.first] = 1;
}

function mostlyLogRecords(lines: readonly string[], kinds: readonly LineKind[]): boolean {
  let records = 0;
  let content = 0;
  // A sample is enough to tell.
  const step = Math.max(1, Math.floor(lines.length / 2000));
  for (let i = 0; i < lines.length; i += step) {
    if (kinds[i] === LineKind.Blank) continue;
    content++;
    if (isLogRecord(lines[i]!)) records++;
  }
  return content > 0 && records * 2 >= content;
}

const VOLATILE =
  /0x[0-9a-fA-F]+|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|\b[0-9a-fA-F]{12,}\b|\d+/g;
const QUOTED = /'[^']{0,200}'|"[^"]{0,200}"|`[^`]{0,200}`|‘[^’]{0,200}’/g;
const LOCATION = /^\S*?[:(]\d+[,:]\d+\)?:?\s*(?:-\s*)?/;
// Compiler and linter diagnostics name a place: each one is its own fact, never a repeat.
const DIAGNOSTIC = /^\S+?(?::\d+:\d+|\(\d+,\d+\))/;

/** The identity of an error for spotting repeats: volatile numbers and ids do not count. */
function errorKey(line: string): string {
  // Buildkit repeats a failed step's output under bare elapsed-seconds stamps.
  const body = stripLogPrefix(line)
    .slice(0, 500)
    .replace(/^\d+\.\d+ /, "");
  if (DIAGNOSTIC.test(body)) return body;
  return body.replace(VOLATILE, "#");
}

/** The identity of a warning: its message without place, numbers or quoted names. */
function warningKey(line: string): string {
  const body = stripLogPrefix(line).slice(0, 500).replace(LOCATION, "");
  return body.replace(QUOTED, "'*'").replace(VOLATILE, "#");
}

// Any word with a digit in it (counts, ids, hashes, times) is a variable part of a message.
const VARIABLE_WORD = /\b\w*\d\w*\b/g;

/** The template of an ordinary line: words with digits replaced. */
function templateKey(text: string): string {
  return text.slice(0, 300).replace(VARIABLE_WORD, "#");
}

/** Tells (lazily) whether a line belongs to a run of three or more lines of the same shape. */
function shapeRuns(lines: readonly string[]): (index: number) => boolean {
  const cache = new Map<number, string>();
  const shape = (index: number): string | undefined => {
    if (index < 0 || index >= lines.length) return undefined;
    let key = cache.get(index);
    if (key === undefined) {
      key = templateKey(stripLogPrefix(lines[index]!));
      cache.set(index, key);
    }
    return key;
  };
  return (index) => {
    const own = shape(index);
    const before = shape(index - 1) === own;
    const after = shape(index + 1) === own;
    return (
      (before && after) ||
      (before && shape(index - 2) === own) ||
      (after && shape(index + 2) === own)
    );
  };
}
