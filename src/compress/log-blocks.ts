/**
 * Where the details of a failure live: the failure sections test runners print (pytest FAILURES,
 * cargo `failures:`, jest `●` blocks, vitest Failed Tests, unittest, gradle "What went wrong") and
 * the lines that continue an error line (stack frames, code frames, notes, assertion diffs).
 * @module
 */

import { LineKind } from "./log-classify.ts";

/** Lines [start, end) to keep. */
export interface LineRange {
  readonly start: number;
  readonly end: number;
}

interface SectionRule {
  /** Opens the section (the line is part of it). */
  readonly start: RegExp;
  /** Closes it (the line is not part of it). */
  readonly end: RegExp;
  /** Starts one failure's block inside the section. */
  readonly block: RegExp;
}

const SECTION_RULES: readonly SectionRule[] = [
  // pytest
  { start: /^=+ (?:FAILURES|ERRORS) =+$/, end: /^=+ .* =+$/, block: /^_{3,} .* _{3,}$/ },
  // cargo test
  { start: /^failures:\s*$/, end: /^test result: /, block: /^---- .* ----$/ },
  // jest
  {
    start: /^\s*● (?!Console)/,
    end: /^(?:PASS|FAIL)\s|^(?:Test Suites|Tests|Snapshots|Time):|^\s*● Console/,
    block: /^\s*● /,
  },
  // vitest
  {
    start: /⎯{3,} Failed (?:Tests?|Suites?) \d+ ⎯{3,}/,
    end: /^\s*Test Files\s/,
    block: /⎯{3,}\[\d+\/\d+\]⎯{3,}|^\s*FAIL\s/,
  },
  // python unittest
  { start: /^(?:FAIL|ERROR): \S/, end: /^Ran \d+ tests?/, block: /^(?:FAIL|ERROR): \S/ },
  // gradle
  {
    start: /^\* What went wrong:/,
    end: /^\* (?:Try|Exception is|Get more help):|^BUILD FAILED/,
    block: /^\* What went wrong:/,
  },
];

/** Lines kept from the head and tail of a failure block that is too long to keep whole. */
const BLOCK_HEAD = 30;
const BLOCK_TAIL = 12;
/** Failure blocks kept per section; the test runner's own summary still names the rest. */
const MAX_BLOCKS = 30;

/** The failure sections found: their whole extents, and the parts of their blocks worth keeping. */
export interface FailureSections {
  readonly extents: LineRange[];
  readonly kept: LineRange[];
}

/** Finds the failure sections of a test or build log. */
export function failureSections(lines: readonly string[]): FailureSections {
  const ranges: LineRange[] = [];
  const extents: LineRange[] = [];
  const n = lines.length;
  let i = 0;
  while (i < n) {
    const line = lines[i]!;
    const rule = line.length < 400 ? SECTION_RULES.find((r) => r.start.test(line)) : undefined;
    if (!rule) {
      i++;
      continue;
    }
    let end = i + 1;
    while (end < n && !(lines[end]!.length < 400 && rule.end.test(lines[end]!))) end++;
    addBlocks(lines, i, end, rule.block, ranges);
    extents.push({ start: i, end });
    i = end;
  }
  return { extents, kept: ranges };
}

function addBlocks(
  lines: readonly string[],
  start: number,
  end: number,
  block: RegExp,
  ranges: LineRange[],
): void {
  let blocks = 0;
  let blockStart = start;
  for (let j = start + 1; j <= end; j++) {
    const boundary = j === end || (lines[j]!.length < 400 && block.test(lines[j]!));
    if (!boundary) continue;
    if (blocks < MAX_BLOCKS) pushCapped(blockStart, j, ranges);
    blocks++;
    blockStart = j;
  }
}

function pushCapped(start: number, end: number, ranges: LineRange[]): void {
  if (end - start <= BLOCK_HEAD + BLOCK_TAIL) {
    ranges.push({ start, end });
    return;
  }
  ranges.push({ start, end: start + BLOCK_HEAD });
  ranges.push({ start: end - BLOCK_TAIL, end });
}

// Lines that carry on the message above them: causes, elided frames, compiler locations and code
// frames, notes, assertion left/right and expected/received, diff lines.
const CONTINUATION =
  /^(?:\s*(?:Caused by:|Suppressed:|\.\.\. \d+ more|--> |\||= (?:note|help):|\^|~)|(?:note|help|hint):|(?:Expected|Received|expected|received|Difference)\b|\s*(?:left|right)\s*:|[+-] |[^\s:]+:\d+(?::\d+)?: note:|\s*\d+ \|)/;
const CARET_LINE = /^\s*[~^][~^\s]*$/;
const PYTHON_TRACEBACK = /^\s*Traceback \(most recent call last\)/;
const PYTHON_CHAIN =
  /^(?:During handling of the above exception|The above exception was the direct)/;

/**
 * Returns the end (exclusive) of the block an error or warning line opens: the lines that go on
 * with it, at most `cap` lines in all.
 */
export function continuationEnd(
  lines: readonly string[],
  kinds: readonly LineKind[],
  start: number,
  cap: number,
): number {
  const n = lines.length;
  const limit = Math.min(n, start + cap);
  const anchorIndent = indentOf(lines[start]!);
  let python = PYTHON_TRACEBACK.test(lines[start]!.slice(0, 200));
  let j = start + 1;
  while (j < limit) {
    const line = lines[j]!;
    const kind = kinds[j]!;
    if (kind === LineKind.Blank) {
      const next = j + 1;
      if (next < limit && continues(lines, kinds, next, anchorIndent, python)) {
        j++;
        continue;
      }
      break;
    }
    if (python) {
      if (indentOf(line) > 0 || PYTHON_CHAIN.test(line)) {
        j++;
        continue;
      }
      if (PYTHON_TRACEBACK.test(line)) {
        j++;
        continue;
      }
      // The exception line ends the traceback, unless a chained one follows.
      j++;
      if (j + 1 < limit && kinds[j] === LineKind.Blank && PYTHON_CHAIN.test(lines[j + 1]!))
        continue;
      python = false;
      break;
    }
    if (!continues(lines, kinds, j, anchorIndent, false)) {
      // A Python traceback may follow the message that announces it.
      if (PYTHON_TRACEBACK.test(line.slice(0, 200)) && j === start + 1) {
        python = true;
        j++;
        continue;
      }
      break;
    }
    j++;
  }
  return j;
}

function continues(
  lines: readonly string[],
  kinds: readonly LineKind[],
  j: number,
  anchorIndent: number,
  python: boolean,
): boolean {
  const kind = kinds[j]!;
  const line = lines[j]!;
  if (kind === LineKind.Blank) return false;
  if (python) return indentOf(line) > 0 || PYTHON_CHAIN.test(line) || PYTHON_TRACEBACK.test(line);
  if (kind === LineKind.Noise || kind === LineKind.Pass || kind === LineKind.Summary) return false;
  if (kind === LineKind.Trace) return true;
  const head = line.length > 300 ? line.slice(0, 300) : line;
  if (CONTINUATION.test(head)) return true;
  if (j + 1 < lines.length && CARET_LINE.test(lines[j + 1]!.slice(0, 300)) && head.trim() !== "") {
    return true;
  }
  if (CARET_LINE.test(head)) return true;
  return kind !== LineKind.Header && indentOf(line) > anchorIndent;
}

/** The width of a line's leading whitespace (a tab counts as one). */
export function indentOf(line: string): number {
  let i = 0;
  while (i < line.length) {
    const c = line.charCodeAt(i);
    if (c !== 32 && c !== 9) break;
    i++;
  }
  return i;
}
