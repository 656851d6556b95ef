/**
 * The test-run compressor (bun test, node --test in TAP or spec form, jest --verbose, vitest's
 * verbose reporter, mocha's spec reporter, python -m unittest -v, pytest, cargo test): every run
 * of passing-test lines becomes one line with the count per file, suite or class ("14 passed
 * (lossless JSON: 10, columns: 4)"); failures with their diffs and stacks, skips, todos, test
 * output and summaries stay exactly as printed, and the slowest passing tests are named with
 * their timings. Lossy (the passing tests' names go), so it runs only when the original can be
 * retrieved; otherwise the log compressor's lossless pass takes over.
 * @module
 */

import { terminalLines } from "./log-clean.ts";
import { countLine, slowestNote, type Timed } from "./test-run-counts.ts";
import { TEST_DIALECTS } from "./test-run-lines.ts";
import { leadingSpaces, TestLine, type TestLineReading } from "./test-run-reading.ts";
import { repeatedFailureDetails } from "./test-run-repeats.ts";
import type { CompressContext, CompressOutput, Compressor } from "./types.ts";

/** Lines longer than this are never test lines: they are kept unread (bounded regex work). */
const MAX_TEST_LINE = 2000;
/** Lines read to pick the dialect. */
const DIALECT_SAMPLE_LINES = 400;
/** Fewer passing tests than this are not worth a rewrite. */
const MIN_PASSES = 5;
/** Passes a dialect must find in the first lines to be chosen. */
const MIN_SAMPLE_PASSES = 3;
/**
 * Lines this reader folds must be at least this share of the non-blank lines: a build log with
 * a few test lines in it is better served by the log compressor.
 */
const MIN_FOLDED_SHARE = 0.2;
/** Compresses a test runner's output, or declines when it is not one. */
export const compressTestRun: Compressor = (input, ctx) => {
  try {
    return compress(input, ctx);
  } catch (error) {
    ctx.probe?.swallowed?.("test-run", error);
    return undefined;
  }
};

function compress(input: string, ctx: CompressContext): CompressOutput | undefined {
  if (!ctx.lossy || input.length === 0) return undefined;
  const lines = terminalLines(input);
  const dialect = pickDialect(lines);
  if (dialect === undefined) return undefined;
  const readings = readAll(lines, dialect);
  if (!foldsEnough(lines, readings)) return undefined;
  const repeats = repeatedFailureDetails(lines);
  for (const k of repeats) readings[k] = REPEAT;
  const rendered = render(lines, readings);
  if (rendered === undefined || rendered.passes < MIN_PASSES) return undefined;
  const { name, groupedBy } = TEST_DIALECTS[dialect]!;
  const summary = `${rendered.passes} passing ${rendered.units} shown as counts per ${groupedBy}${
    rendered.noise > 0 ? `, ${rendered.noise} banner lines dropped` : ""
  }${repeats.length > 0 ? `, ${repeats.length} lines of failure details printed again below dropped` : ""}`;
  const text = `${rendered.body}\n${ctx.marker(summary)}`;
  if (text.length >= input.length) return undefined;
  return { text, strategy: `test-run:${name}`, lossy: true };
}

/** The dialect whose reader finds the most passing tests in the first lines, if any finds some. */
function pickDialect(lines: readonly string[]): number | undefined {
  const limit = Math.min(lines.length, DIALECT_SAMPLE_LINES);
  let best: number | undefined;
  let bestPasses = 0;
  for (let d = 0; d < TEST_DIALECTS.length; d++) {
    const reader = TEST_DIALECTS[d]!.reader();
    let passes = 0;
    for (let i = 0; i < limit; i++) {
      const line = lines[i]!;
      if (line.length > MAX_TEST_LINE) continue;
      const reading = reader.read(line);
      if (reading.kind === TestLine.Pass) passes += reading.count ?? 1;
    }
    if (passes > bestPasses) {
      best = d;
      bestPasses = passes;
    }
  }
  return bestPasses >= MIN_SAMPLE_PASSES ? best : undefined;
}

const KEEP: TestLineReading = { kind: TestLine.Keep };
const REPEAT: TestLineReading = { kind: TestLine.Repeat };

function foldsEnough(lines: readonly string[], readings: readonly TestLineReading[]): boolean {
  let folded = 0;
  let nonBlank = 0;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() === "") continue;
    nonBlank++;
    if (readings[i]!.kind !== TestLine.Keep) folded++;
  }
  return folded >= nonBlank * MIN_FOLDED_SHARE;
}

function readAll(lines: readonly string[], dialect: number): TestLineReading[] {
  const reader = TEST_DIALECTS[dialect]!.reader();
  return lines.map((line) => (line.length <= MAX_TEST_LINE ? reader.read(line) : KEEP));
}

interface Rendered {
  readonly body: string;
  readonly passes: number;
  /** What the passes were: "tests", "test files", or both. */
  readonly units: string;
  readonly noise: number;
}

/**
 * Keeps every Keep line, drops Noise, and writes each maximal run of Pass and Structure lines as
 * one count line (a run with no pass in it, e.g. a lone suite header, stays as printed), then
 * the suites the next kept line sits in.
 */
function render(
  lines: readonly string[],
  readings: readonly TestLineReading[],
): Rendered | undefined {
  const out: string[] = [];
  const timed: Timed[] = [];
  const units = new Set<string>();
  let passes = 0;
  let noise = 0;
  let i = 0;
  while (i < lines.length) {
    const reading = readings[i]!;
    if (reading.kind === TestLine.Noise || reading.kind === TestLine.Repeat) {
      if (reading.kind === TestLine.Noise) noise++;
      i++;
      continue;
    }
    if (reading.kind === TestLine.Keep) {
      out.push(lines[i]!);
      i++;
      continue;
    }
    let end = i;
    const groups = new Map<string, number>();
    let runPasses = 0;
    let runUnit: string | undefined;
    let indent = -1;
    while (end < lines.length) {
      if (!isFoldable(readings[end]!)) {
        // Blank lines between foldable lines fold with them (mocha and jest space their suites);
        // the whole blank stretch is skipped at once, so a long one is read once.
        const next = afterBlanks(lines, end);
        if (next === end || next >= lines.length || !isFoldable(readings[next]!)) break;
        end = next;
      }
      const r = readings[end]!;
      if (r.kind === TestLine.Pass) {
        // One count line counts one kind of thing: files and tests are not summed.
        if (runPasses > 0 && r.unit !== runUnit) break;
        runUnit = r.unit;
        const n = r.count ?? 1;
        runPasses += n;
        groups.set(r.group ?? "", (groups.get(r.group ?? "") ?? 0) + n);
        if (indent < 0) indent = leadingSpaces(lines[end]!);
      }
      if (r.ms !== undefined && r.name) timed.push({ name: r.name, ms: r.ms });
      end++;
    }
    if (runPasses === 0) {
      for (let k = i; k < end; k++) out.push(lines[k]!);
    } else {
      out.push(
        `${" ".repeat(indent)}${countLine(runPasses, groups, runUnit ? `${runUnit} ` : "")}`,
      );
      units.add(runUnit ?? "tests");
      for (const k of openAncestors(lines, readings, i, end)) out.push(lines[k]!);
      passes += runPasses;
    }
    i = end;
  }
  if (passes === 0) return undefined;
  const slowest = slowestNote(timed);
  if (slowest) out.push(slowest);
  return { body: out.join("\n"), passes, units: [...units].join(" and "), noise };
}

/**
 * The suites a kept line after the run sits in: the run's openers (describe names, "▶ suite",
 * "# Subtest:") not closed by a later line as shallow, and shallower than that kept line, so a
 * skipped or failing test keeps its path ("strings", ".parse()", "when empty").
 */
function openAncestors(
  lines: readonly string[],
  readings: readonly TestLineReading[],
  start: number,
  end: number,
): number[] {
  if (end >= lines.length) return [];
  const stack: Array<{ at: number; indent: number }> = [];
  const popTo = (indent: number) => {
    while (stack.length > 0 && stack[stack.length - 1]!.indent >= indent) stack.pop();
  };
  for (let k = start; k < end; k++) {
    if (lines[k]!.trim() === "") continue;
    const indent = leadingSpaces(lines[k]!);
    popTo(indent);
    if (readings[k]!.kind === TestLine.Open) stack.push({ at: k, indent });
  }
  popTo(leadingSpaces(lines[end]!) + (lines[end]!.trim() === "" ? 0 : 1));
  return stack.map((entry) => entry.at);
}

/** The first non-blank line at or after `at` (lines.length when none). */
function afterBlanks(lines: readonly string[], at: number): number {
  let next = at;
  while (next < lines.length && lines[next]!.trim() === "") next++;
  return next;
}

function isFoldable(reading: TestLineReading): boolean {
  return (
    reading.kind === TestLine.Pass ||
    reading.kind === TestLine.Structure ||
    reading.kind === TestLine.Open
  );
}
