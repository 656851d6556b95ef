/**
 * Recognises test runs (bun, node --test, TAP, unittest, pytest, jest, vitest, mocha, cargo)
 * and compiler or linter diagnostics (tsc, eslint, biome, gcc, rustc, mypy, flake8) in the sample, so they reach
 * the log compressors even when they hold no error at all (an all-pass run reads like prose to
 * the line tally) or look like grep hits (eslint's unix format). Each pattern is anchored or
 * bounded by a fixed word; colour codes are removed first, since these tools colour their output
 * on a terminal.
 * @module
 */

import type { Sample } from "./detect-sample.ts";

/** Lines that only test runners print, passing or not. */
const TEST_LINE =
  /^(?:\((?:pass|fail|skip|todo)\) .|[✓✗] .+ \[\d+(?:\.\d+)?m?s\]$| *[✔✖﹣] .+ \(\d+(?:\.\d+)?m?s\)(?: # \w+)?$| *(?:not )?ok \d+ - | *# Subtest: |\w+ \([\w.]+\)(?: \S.*)? \.\.\. (?:ok|FAIL|ERROR|skipped\b|expected failure)|\S+::\S+ (?:PASSED|FAILED|SKIPPED|ERROR|XFAIL|XPASS)\b|\S+\.py [.FEsxX]{3,}|(?:FAILED|ERROR) \S+::\S|_{3,} \S+ _{3,}$| +[✓✕○✎✔] \S| [✓×↓] \S+ > | [✓×] \S+ \(\d+ tests?\b|test \S.* \.\.\. (?:ok|FAILED|ignored)$)/;

/** A runner's opening or closing line: with it, a failure-heavy run is still a test run. */
const RUNNER_BANNER =
  /^(?:=+ test session starts =+$|bun test v\d|TAP version \d|Ran \d+ tests? in |(?:PASS|FAIL) \S+\.\w+(?: \([\d.]+ ?m?s\))?$| RUN {2}v\d)/;

/** Diagnostic lines of tsc (plain, --pretty), eslint (unix, stylish), biome, gcc, rustc, mypy, flake8. */
const DIAGNOSTIC_LINE =
  /^(?:\S+\(\d+,\d+\): (?:error|warning) TS\d+: |\S+:\d+:\d+ - (?:error|warning) TS\d+: |\S+:\d+:\d+: [^[]*\[(?:Error|Warning)\/[^\]\s]+\]$| +\d+:\d+ +(?:error|warning) {2}|\S+:\d+(?::\d+)?: (?:warning|error|fatal error): |\S+:\d+:\d+: [A-Z]{1,3}\d{2,4} | *--> \S+:\d+:\d+$|\S+ [a-zA-Z][\w/-]*(?: {2}FIXABLE)? {1,2}━{3,})/;

// Colour and cursor codes, and hyperlinks (biome links each rule name to its documentation).
// biome-ignore lint/suspicious/noControlCharactersInRegex: escape codes are what is removed
const ESCAPES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?/g;

/** How many sampled lines must be test or diagnostic lines. */
const MIN_LINES = 3;

/** Whether the sample is mostly a test run, or carries a run of compiler or linter diagnostics. */
export function looksLikeTestsOrDiagnostics(sample: Sample): boolean {
  let tests = 0;
  let diagnostics = 0;
  let banner = false;
  for (const raw of sample.lines) {
    if (raw.length < 6) continue;
    const line = raw.includes("\u001b") ? raw.replace(ESCAPES, "") : raw;
    if (TEST_LINE.test(line)) tests++;
    else if (RUNNER_BANNER.test(line)) {
      banner = true;
      tests++;
    } else if (DIAGNOSTIC_LINE.test(line)) diagnostics++;
  }
  // Test lines must dominate (a log may mention "ok 1 - "); diagnostics are few among frames.
  if (tests >= MIN_LINES && (banner || tests >= sample.nonEmpty * 0.2)) return true;
  return diagnostics >= MIN_LINES;
}
