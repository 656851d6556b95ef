// The original Headroom's recorded LogCompressor cases: on each, we must save at least as many
// tokens as it did while keeping every critical fact.
import { describe, expect, test } from "bun:test";
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { compressLog } from "../../src/compress/log.ts";
import { markerHashes, originalHash } from "../../src/compress/marker.ts";
import { contextFor } from "../helpers/compress-context.ts";
import { parityCases } from "../helpers/parity.ts";

// Lines that carry a verdict: errors, failures, assertions, tracebacks, npm errors, summaries.
const CRITICAL =
  /ERROR|[Ee]rror|FAIL|Traceback|assert|npm ERR!|npm WARN|\d+ (?:passed|failed)|WARN/;

const cases = parityCases("log_compressor");

describe("log_compressor parity fixtures", () => {
  test("all 20 recorded cases are present", () => {
    expect(cases.length).toBe(20);
  });

  for (const c of cases) {
    const input = c.input as string;
    const recorded = (c.output as { compressed: string }).compressed;
    test(`${c.file}: at least the original's savings, every critical line kept`, () => {
      const result = compressLog(input, contextFor(input, { lossy: true }));
      const ours = result?.text ?? input;
      expect(countTokens(ours)).toBeLessThanOrEqual(countTokens(recorded));
      for (const line of input.split("\n")) {
        if (CRITICAL.test(line)) expect(ours).toContain(line);
      }
      // The last line of the log (its verdict or trailer) survives too.
      expect(ours).toContain(input.split("\n").at(-1)!);
      if (result?.lossy) expect(markerHashes(ours)).toEqual([originalHash(input)]);
      else expect(ours).not.toContain("hash=");
    });
  }

  test("the 305-line case keeps the error, its traceback and the shape of what was dropped", () => {
    const c = cases.find((x) => (x.input as string).split("\n").length > 300)!;
    const input = c.input as string;
    const text = compressLog(input, contextFor(input, { lossy: true }))!.text;
    expect(text).toContain("line 0: INFO processing request");
    expect(text).toContain("ERROR something broke at step 42\nTraceback (most recent call last):");
    expect(text).toContain('  File "a.py", line 5\nRuntimeError: boom');
    expect(text).toMatch(/\[… 299 info lines omitted\]/);
  });

  test("in lossless mode nothing is dropped from any case", () => {
    for (const c of cases) {
      const input = c.input as string;
      const result = compressLog(input, contextFor(input, { lossy: false }));
      if (result) {
        expect(result.lossy).toBe(false);
        for (const line of new Set(input.split("\n"))) expect(result.text).toContain(line);
      }
    }
  });
});
