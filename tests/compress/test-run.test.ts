// Test runs captured from the real runners on this machine (tests/fixtures/outputs/testrun): bun
// test on this repository; node --test (TAP and spec), jest 29 and vitest 3 (verbose and
// default) and mocha 10 on one scratch suite, mocha 6 on nested describe blocks; python's unittest and pytest on a scratch package; cargo test on a scratch
// crate; some with failing tests. The rewrite must keep every failure, skip and summary, and
// its pass counts must add up to what the runner reported.
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { compressText } from "../../src/compress/compress-text.ts";
import { detectContent } from "../../src/compress/detect.ts";
import { terminalLines } from "../../src/compress/log-clean.ts";
import { originalHash } from "../../src/compress/marker.ts";
import { compressTestRun } from "../../src/compress/test-run.ts";
import { contextFor } from "../helpers/compress-context.ts";

const dir = join(import.meta.dir, "..", "fixtures", "outputs", "testrun");
const FIXTURES = readdirSync(dir)
  .filter((name) => name.endsWith(".txt"))
  .sort()
  .map((name) => ({ name, text: readFileSync(join(dir, name), "utf8") }));

function lossy(text: string) {
  return compressText(text, { query: "", lossy: true, hash: () => originalHash(text) });
}

/** The clean lines of an output (what a terminal shows). */
function clean(text: string): string[] {
  return terminalLines(text);
}

/** Lines that name a failing or skipped test, or summarise the run, in each runner's words. */
const MUST_KEEP =
  /^(?:test .* \.\.\. (?:FAILED|ignored)$|test result: |---- \S+ stdout ----|thread '|\s+[✕○✎] | [×↓] | {4,}(?:\d+\)|-) \S| {2}\d+ (?:passing|pending|failing)\b|FAIL {1,2}\S|(?:Tests|Test Suites|Test Files):? |\(fail\)|✗ |\s*✖ |\s*﹣ |.* # (?:SKIP|TODO)$|\s*not ok \d+|FAIL: |ERROR: |.* \.\.\. (?:FAIL|ERROR|skipped)|\S+::\S+ (?:FAILED|SKIPPED|ERROR)|FAILED \S+::|=+ .*\b(?:passed|failed)\b.* =+$| \d+ (?:pass|fail)$|Ran \d+ tests?|ℹ (?:tests|pass|fail|skipped|todo) \d+|# (?:tests|pass|fail|skipped|todo) \d+|OK|FAILED \()/;

/** How many tests passed, as the runner's own summary says. */
function reportedPasses(lines: readonly string[]): number | undefined {
  const text = lines.join("\n");
  const patterns = [
    /^ (\d+) pass$/m, // bun
    /^ℹ pass (\d+)$/m, // node spec
    /^# pass (\d+)$/m, // TAP
    /\b(\d+) passed\b.* in [\d.]+s/m, // pytest
    /^Tests: .*\b(\d+) passed\b/m, // jest
    /^ +Tests +.*\b(\d+) passed\b/m, // vitest
    /^ {2}(\d+) passing\b/m, // mocha
    /^test result: \w+\. (\d+) passed;/m, // cargo
  ];
  for (const p of patterns) {
    const m = p.exec(text);
    if (m) return Number(m[1]);
  }
  const ran = /^Ran (\d+) tests? in /m.exec(text); // unittest: ran minus failures and skips
  if (!ran) return undefined;
  const bad = /^(?:OK|FAILED) \((.*)\)$/m.exec(text)?.[1] ?? "";
  let passes = Number(ran[1]);
  for (const m of bad.matchAll(/\w+=(\d+)/g)) passes -= Number(m[1]);
  return passes;
}

/** The sum of every "N passed" count line the rewrite wrote. */
function countedPasses(output: string): number {
  let total = 0;
  for (const m of output.matchAll(/^ *(\d+) passed(?: in \S+)?(?: \(.*\))?$/gm))
    total += Number(m[1]);
  return total;
}

/** Runs whose pass lines are few beside their failures' details (pytest prints passes as dots). */
const FAILURE_DOMINATED = new Set(["pytest-fail.txt", "pytest-color-fail.txt"]);

describe("test runs, as the runners printed them", () => {
  test("runs that are mostly failure details are left to the log compressor", () => {
    for (const name of FAILURE_DOMINATED) {
      const text = FIXTURES.find((f) => f.name === name)!.text;
      expect(detectContent(text)).toBe("log");
      expect(compressTestRun(text, contextFor(text))).toBeUndefined();
      const result = lossy(text);
      // Whatever the log compressor makes of it, every failure and the summary are still there.
      const out = result?.text ?? text;
      for (const line of clean(text)) if (MUST_KEEP.test(line)) expect(out).toContain(line);
    }
  });

  for (const { name, text } of FIXTURES) {
    if (FAILURE_DOMINATED.has(name)) continue;
    test(`${name}: a test run, every failure, skip and summary kept, passes counted`, () => {
      expect(detectContent(text)).toBe("log");
      const result = lossy(text);
      expect(result).toBeDefined();
      const out = result!.text;
      expect(result!.strategy).toContain("test-run:");
      expect(result!.lossy).toBe(true);
      expect(out).toContain(`hash=${originalHash(text)}`);
      const outLines = new Set(out.split("\n"));
      for (const line of clean(text)) {
        if (MUST_KEEP.test(line)) expect(outLines.has(line)).toBe(true);
      }
      const reported = reportedPasses(clean(text));
      expect(reported).toBeDefined();
      // Passes on a kept line (pytest's "..F.s" rows) are not counted, so never more than reported;
      // where each test has its own line, nearly all of them are counted.
      expect(countedPasses(out)).toBeLessThanOrEqual(reported!);
      // jest's and vitest's default reporters print a line per file: files are counted instead.
      const ownLines =
        (!name.startsWith("pytest-") || name.includes("-v-")) && !name.includes("-default-");
      if (ownLines) expect(countedPasses(out)).toBeGreaterThanOrEqual(reported! * 0.9);
    });
  }

  test("runs that all pass shrink by far more than half", () => {
    for (const name of [
      "bun-pass.txt",
      "node-tap-pass.txt",
      "node-spec-pass.txt",
      "unittest-v-pass.txt",
      "pytest-v-pass.txt",
      "pytest-v-color-pass.txt",
    ]) {
      const text = FIXTURES.find((f) => f.name === name)!.text;
      const out = lossy(text)!.text;
      expect({ name, ratio: out.length / text.length < 0.25 }).toEqual({ name, ratio: true });
    }
  });

  test("one failure among 560 tests stays whole, in place, with its diff and location", () => {
    const text = FIXTURES.find((f) => f.name === "bun-one-fail.txt")!.text;
    const lines = clean(text);
    const failAt = lines.findIndex((line) => line.startsWith("(fail) "));
    // bun prints a failure's frame, diff and stack before its "(fail)" line.
    let start = failAt;
    while (start > 0 && !lines[start - 1]!.startsWith("(pass) ")) start--;
    const block = lines.slice(start, failAt + 1).join("\n");
    expect(block).toContain("error: expect(received).toBe(expected)");
    const out = lossy(text)!.text;
    expect(out).toContain(block);
    expect(out).toContain("listing.test.ts:155:22");
    expect(out).toContain("1 passed (compressListing lossless)");
    expect(countedPasses(out)).toBe(559);
  });

  test("nine failures: each failure's error block is kept", () => {
    const text = FIXTURES.find((f) => f.name === "bun-nine-fail.txt")!.text;
    const out = lossy(text)!.text;
    const fails = clean(text).filter((line) => line.startsWith("(fail) "));
    expect(new Set(fails).size).toBe(9);
    for (const fail of fails) expect(out).toContain(fail);
    const errors = clean(text).filter((line) => line.startsWith("error: "));
    expect(out.split("\n").filter((line) => line.startsWith("error: "))).toEqual(errors);
  });

  test("pass counts are per file and per describe block", () => {
    const out = lossy(FIXTURES.find((f) => f.name === "bun-pass.txt")!.text)!.text;
    expect(out).toContain(
      "tests/compress/json-lossless.test.ts:\n14 passed (lossless JSON: 10, columns with one value in every row: 4)",
    );
  });

  test("the slowest passing tests are named with their timings", () => {
    const out = lossy(FIXTURES.find((f) => f.name === "node-spec-pass.txt")!.text)!.text;
    const note = out.split("\n").find((line) => line.startsWith("slowest passing: "));
    expect(note).toBe(
      'slowest passing: slugify > turns "Hello World" into "hello-world" [2.46ms]; slugify copy 1 > turns "Hello World" into "hello-world" [2.28ms]; slugify copy 3 > turns "Hello World" into "hello-world" [1.87ms]',
    );
  });

  test("TAP: a failing test's YAML block stays whole; passing ones fold", () => {
    const text = FIXTURES.find((f) => f.name === "node-tap-fail.txt")!.text;
    const out = lossy(text)!.text;
    expect(out).toContain(
      "    not ok 11 - parses config objects\n      ---\n      duration_ms: 2.095859",
    );
    expect(out).toContain("        -   retries: 4,");
    expect(out).toContain("    9 passed (parseDuration)");
    expect(out).not.toContain("# Subtest: turns");
  });

  test("a skipped or failing test keeps the path of suites it sits in", () => {
    const out = lossy(FIXTURES.find((f) => f.name === "mocha6-nested-fail.txt")!.text)!.text;
    expect(out).toContain(
      "      13 passed (strings)\n    .format()\n      when empty\n        - keeps whitespace\n",
    );
    expect(out).toContain("  edge cases\n    1) handles unicode\n");
    const spec = lossy(FIXTURES.find((f) => f.name === "node-spec-fail.txt")!.text)!.text;
    expect(spec).toContain("▶ parseDuration\n  ✖ parses fractional seconds (0.401438ms)\n");
  });

  test("reporters that print a line per file: passing files counted per folder", () => {
    const jest = lossy(FIXTURES.find((f) => f.name === "jest-default-pass.txt")!.text)!.text;
    expect(jest).toStartWith("23 test files passed (jt2/components: 14, jt2/utils: 9)\n");
    const vitest = lossy(FIXTURES.find((f) => f.name === "vitest-default-fail.txt")!.text)!.text;
    // The failing file's line and failed tests stay; its passing tests are counted under it.
    expect(vitest).toContain(
      " ❯ test/parse.spec.mjs (11 tests | 2 failed) 16ms\n   9 passed (test/parse.spec.mjs)\n   × parseDuration > parses fractional seconds 5ms\n",
    );
    expect(vitest).toContain("\n 24 test files passed (test)\n");
  });

  test("node's spec reporter: a failure's details printed twice are kept once, at the end", () => {
    const text = FIXTURES.find((f) => f.name === "node-spec-fail.txt")!.text;
    const out = lossy(text)!.text;
    expect(text.split("RangeError [Error]: bad duration: 1.5s").length - 1).toBe(2);
    expect(out.split("RangeError [Error]: bad duration: 1.5s").length - 1).toBe(1);
    expect(out).toContain(
      "✖ failing tests:\n\ntest at test/parse.test.mjs:7:3\n✖ parses fractional seconds (0.401438ms)\n  RangeError [Error]: bad duration: 1.5s\n",
    );
    expect(out).toContain("  -   retries: 4,\n");
    expect(out).toContain("lines of failure details printed again below dropped");
  });

  test("pytest -v: passes counted per file; a test's bare id before its subtests folds too", () => {
    const out = lossy(FIXTURES.find((f) => f.name === "pytest-v-subtests.txt")!.text)!.text;
    expect(out).toContain("7 passed (tests/test_sub.py: 2, tests/test_inventory.py: 5)\n");
    expect(out).not.toContain("tests/test_sub.py::TestSubtests::test_names \n");
  });

  test("colour codes do not hide passes: coloured and plain runs give the same counts", () => {
    const plain = lossy(FIXTURES.find((f) => f.name === "pytest-v-pass.txt")!.text)!.text;
    const coloured = lossy(FIXTURES.find((f) => f.name === "pytest-v-color-pass.txt")!.text)!.text;
    const counts = (s: string) => s.split("\n").filter((line) => / passed \(/.test(line));
    expect(counts(coloured)).toEqual(counts(plain));
    expect(coloured).not.toContain("\u001b");
  });
});

describe("compressTestRun declines", () => {
  const bun = FIXTURES.find((f) => f.name === "bun-pass.txt")!.text;

  test("without a way to retrieve the original (lossless mode)", () => {
    expect(compressTestRun(bun, contextFor(bun, { lossy: false }))).toBeUndefined();
  });

  test("output that is not a test run", () => {
    const text = readFileSync(
      join(import.meta.dir, "..", "fixtures", "outputs", "diagnostics", "tsc-plain.txt"),
      "utf8",
    );
    expect(compressTestRun(text, contextFor(text))).toBeUndefined();
  });

  test("a run with only a handful of passing tests", () => {
    const lines = clean(bun);
    const header = lines.findIndex((line) => line.endsWith(".test.ts:"));
    const few = lines.slice(header, header + 4).join("\n");
    expect(compressTestRun(few, contextFor(few))).toBeUndefined();
  });

  test("is deterministic and never longer than its input, on every cut of a run", () => {
    for (const { text } of FIXTURES) {
      for (const share of [0.1, 0.37, 0.5, 0.81]) {
        const cut = text.slice(0, Math.floor(text.length * share));
        const a = compressTestRun(cut, contextFor(cut));
        const b = compressTestRun(cut, contextFor(cut));
        expect(a).toEqual(b);
        if (a) expect(a.text.length).toBeLessThan(cut.length);
      }
    }
  });
});
