import { describe, expect, test } from "bun:test";
import {
  LINE_CAP,
  SAMPLE_LINES,
  sampleLines,
  TAIL_CHARS,
  TAIL_LINES,
} from "../../src/compress/detect-sample.ts";
import { mulberry32 } from "../helpers/random.ts";

const numbered = (n: number) => Array.from({ length: n }, (_, i) => `line ${i}`).join("\n");

describe("sampleLines", () => {
  test("a short text is read whole, with no tail", () => {
    const sample = sampleLines("a\n\nb\r\nc");
    expect(sample.lines).toEqual(["a", "", "b", "c"]);
    expect(sample.headLines).toBe(4);
    expect(sample.nonEmpty).toBe(3);
  });

  test("a long text gives the head, a gap line, then its last lines", () => {
    const sample = sampleLines(`${numbered(1000)}\n\n`);
    expect(sample.headLines).toBe(SAMPLE_LINES);
    expect(sample.lines[0]).toBe("line 0");
    expect(sample.lines[SAMPLE_LINES - 1]).toBe(`line ${SAMPLE_LINES - 1}`);
    expect(sample.lines[SAMPLE_LINES]).toBe("");
    const tail = sample.lines.slice(SAMPLE_LINES + 1);
    expect(tail.length).toBe(TAIL_LINES);
    expect(tail[0]).toBe(`line ${1000 - TAIL_LINES}`);
    expect(tail.at(-1)).toBe("line 999");
    expect(sample.nonEmpty).toBe(SAMPLE_LINES + TAIL_LINES);
  });

  test("the tail never repeats a head line", () => {
    const sample = sampleLines(numbered(SAMPLE_LINES + 3));
    expect(sample.lines.slice(SAMPLE_LINES + 1)).toEqual([
      `line ${SAMPLE_LINES}`,
      `line ${SAMPLE_LINES + 1}`,
      `line ${SAMPLE_LINES + 2}`,
    ]);
  });

  test("the tail starts at a line start within the last characters", () => {
    const long = "y".repeat(TAIL_CHARS * 2);
    const sample = sampleLines(`${numbered(300)}\n${long}\nlast one\n`);
    // The long line is not wholly inside the window, so only the line after it is taken.
    expect(sample.lines.slice(sample.headLines + 1)).toEqual(["last one"]);
  });

  test("a 10 MB single line gives one capped line and no tail", () => {
    const sample = sampleLines("z".repeat(10_000_000));
    expect(sample.lines.length).toBe(1);
    expect(sample.lines[0]!.length).toBe(LINE_CAP);
  });

  test("reading from an offset skips what comes before it", () => {
    const text = "Exit code: 0\nOutput:\nsrc/a.ts\nsrc/b.ts";
    expect(sampleLines(text, text.indexOf("src/")).lines).toEqual(["src/a.ts", "src/b.ts"]);
  });

  test("random texts: bounded, deterministic, never throws", () => {
    const random = mulberry32(99);
    const alphabet = "ab \n\n\r\t,:/x";
    for (let round = 0; round < 300; round++) {
      const length = Math.floor(random() * 60_000);
      let text = "";
      while (text.length < length) {
        text += alphabet[Math.floor(random() * alphabet.length)]!.repeat(
          1 + Math.floor(random() * 400),
        );
      }
      const sample = sampleLines(text);
      expect(sample.lines.length).toBeLessThanOrEqual(SAMPLE_LINES + 1 + TAIL_LINES);
      for (const line of sample.lines) expect(line.length).toBeLessThanOrEqual(LINE_CAP);
      expect(sampleLines(text)).toEqual(sample);
    }
  });
});
