// Property tests on random and mutated logs (seeded, so every run checks the same cases).
import { describe, expect, test } from "bun:test";
import { compressLog } from "../../src/compress/log.ts";
import { classifyLines } from "../../src/compress/log-classify.ts";
import { terminalLines } from "../../src/compress/log-clean.ts";
import { renderSelection } from "../../src/compress/log-render.ts";
import { selectLogLines } from "../../src/compress/log-select.ts";
import { markerHashes, originalHash } from "../../src/compress/marker.ts";
import { contextFor } from "../helpers/compress-context.ts";
import { expandRepeats, LOG_SAMPLES } from "../helpers/log-samples.ts";
import { mulberry32 } from "../helpers/random.ts";

const FRAGMENTS = [
  "INFO request handled",
  "ERROR database connection failed",
  "WARN slow query took 1200ms",
  "DEBUG cache miss",
  "   Compiling serde v1.0.197",
  "error[E0425]: cannot find value `x` in this scope",
  "  --> src/main.rs:3:5",
  "   |",
  "Traceback (most recent call last):",
  '  File "app.py", line 3, in <module>',
  "ValueError: bad value",
  "\tat com.acme.Main.run(Main.java:10)",
  "tests/test_a.py::test_one PASSED [ 50%]",
  "FAILED tests/test_a.py::test_two - assert 1 == 2",
  "=== RUN   TestX",
  "--- FAIL: TestX (0.00s)",
  "=================================== FAILURES ===================================",
  "_____ test_two _____",
  "E       assert 1 == 2",
  "  ● suite › case",
  "Tests:       1 failed, 3 passed, 4 total",
  "npm ERR! code E404",
  "npm WARN deprecated x@1.0.0",
  "failures:",
  "test result: FAILED. 1 passed; 1 failed",
  "",
  "   ",
  "ünïcödé ✓ ✕ ● ⎯⎯⎯ Failed Tests 1 ⎯⎯⎯",
  "😀 emoji line 🚀",
  '{"level":"error","msg":"boom"}',
  "2024-05-01T10:00:00Z INFO started",
  "[INFO] Building shop 1.0",
  "#8 [5/6] RUN npm ci",
];

const NOISE_CHARS = [
  "\u001b[31m",
  "\u001b[0m",
  "\r",
  "\b",
  "\t",
  "\u0000",
  "\u001b]8;;x\u0007",
  "\ud800",
  "%",
  "█",
];

function randomLine(random: () => number): string {
  const roll = random();
  if (roll < 0.6) return FRAGMENTS[Math.floor(random() * FRAGMENTS.length)]!;
  if (roll < 0.99) {
    let line = "";
    const length = Math.floor(random() * 80);
    for (let i = 0; i < length; i++) {
      const r = random();
      if (r < 0.1) line += NOISE_CHARS[Math.floor(random() * NOISE_CHARS.length)]!;
      else line += String.fromCharCode(32 + Math.floor(random() * 95));
    }
    return line;
  }
  return "z".repeat(1000 + Math.floor(random() * 8_000));
}

function randomLog(random: () => number): string {
  const count = Math.floor(random() * 300);
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const line = randomLine(random);
    const repeat = random() < 0.1 ? 1 + Math.floor(random() * 30) : 1;
    for (let r = 0; r < repeat; r++) lines.push(line);
  }
  return lines.join(random() < 0.2 ? "\r\n" : "\n");
}

function mutate(text: string, random: () => number): string {
  const lines = text.split("\n");
  const edits = 1 + Math.floor(random() * 20);
  for (let e = 0; e < edits && lines.length > 0; e++) {
    const at = Math.floor(random() * lines.length);
    const roll = random();
    if (roll < 0.3) lines.splice(at, 1);
    else if (roll < 0.6) lines.splice(at, 0, lines[at]!, lines[at]!);
    else if (roll < 0.8) lines[at] = lines[at]!.slice(0, Math.floor(random() * lines[at]!.length));
    else lines[at] = `\u001b[1m${lines[at]}\u001b[0m\r`;
  }
  return lines.join("\n");
}

function cases(): string[] {
  const random = mulberry32(20240501);
  const inputs: string[] = [];
  for (let i = 0; i < 250; i++) inputs.push(randomLog(random));
  for (let i = 0; i < 100; i++) {
    inputs.push(mutate(LOG_SAMPLES[i % LOG_SAMPLES.length]!.text, random));
  }
  return inputs;
}

const NOTE = /^\[(?:… |×\d+: |headroom: )/;

describe("compressLog properties", () => {
  const inputs = cases();

  test("never throws (nor do its stages), never grows, is deterministic", () => {
    for (const input of inputs) {
      const lines = terminalLines(input);
      const kinds = classifyLines(lines);
      renderSelection(lines, kinds, selectLogLines(lines, kinds, "error in main"));
      for (const lossy of [false, true]) {
        const ctx = contextFor(input, { lossy, query: "error in main" });
        const a = compressLog(input, ctx);
        const b = compressLog(input, ctx);
        expect(a).toEqual(b);
        if (a) expect(a.text.length).toBeLessThanOrEqual(input.length);
      }
    }
  });

  test("lossless rewrites expand back to exactly the displayed lines", () => {
    for (const input of inputs) {
      const result = compressLog(input, contextFor(input, { lossy: false }));
      if (!result) continue;
      expect(result.lossy).toBe(false);
      expect(markerHashes(result.text)).toEqual([]);
      expect(expandRepeats(result.text)).toEqual(terminalLines(input));
    }
  });

  test("lossy rewrites carry the original's hash and invent no line", () => {
    let lossyCount = 0;
    for (const input of inputs) {
      const result = compressLog(input, contextFor(input, { lossy: true }));
      if (!result?.lossy) continue;
      lossyCount++;
      expect(markerHashes(result.text)).toEqual([originalHash(input)]);
      const displayed = new Set(terminalLines(input));
      for (const line of result.text.split("\n")) {
        if (NOTE.test(line) || line === "" || line.includes(" chars…] ")) continue;
        expect(displayed.has(line.replace(/ \[×\d+\]$/, ""))).toBe(true);
      }
    }
    expect(lossyCount).toBeGreaterThan(50);
  });
});
