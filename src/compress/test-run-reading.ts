/**
 * What a test runner's line is, as the readers of each runner tell it: kept, a passing test (with
 * its group, name and time), suite structure, or banner noise. Shared by every runner's reader.
 * @module
 */

/** What one line of a test run is, as far as collapsing passes goes. */
export const TestLine = {
  /** Kept as it is. */
  Keep: 0,
  /** A passing test: counted under its group. */
  Pass: 1,
  /** Opens or closes a suite, or is a passing test's metadata: folded into a run of passes. */
  Structure: 2,
  /** Runner banner noise (platform, plugins, cache dir): dropped. */
  Noise: 3,
  /**
   * Opens a suite or a test (a describe name, "# Subtest:"): folded into a run of passes, but
   * kept when it leads straight into a kept line, so a failure keeps its suite's name.
   */
  Open: 4,
  /** Repeats what the output prints again further on (node's failure details): dropped. */
  Repeat: 5,
} as const;

export type TestLine = (typeof TestLine)[keyof typeof TestLine];

/** One line's reading. */
export interface TestLineReading {
  readonly kind: TestLine;
  /** The file, suite or class a passing test belongs to ("" when it has none). */
  readonly group?: string;
  /** A passing test's name, for the slowest-tests note. */
  readonly name?: string;
  /** A passing test's duration in milliseconds, when the runner printed one. */
  readonly ms?: number | undefined;
  /** How many passing tests the line stands for (pytest's dot lines carry several). */
  readonly count?: number;
  /** What passed, when not tests: "test files" for runners that print a line per passing file. */
  readonly unit?: string;
}

/** A dialect's reader: fed every line in order, it keeps whatever state it needs. */
export interface TestLineReader {
  read(line: string): TestLineReading;
}

// The readings that carry nothing but their kind.
export const KEEP: TestLineReading = { kind: TestLine.Keep };
export const STRUCTURE: TestLineReading = { kind: TestLine.Structure };
export const OPEN: TestLineReading = { kind: TestLine.Open };
export const NOISE: TestLineReading = { kind: TestLine.Noise };

/** "12.5ms", "1.2s" or "12.5" (milliseconds) to milliseconds. */
export function toMs(value: string, unit: string | undefined): number {
  const n = Number(value);
  return unit === "s" ? n * 1000 : n;
}

/** A test's name under its suite, as bun prints it: "suite > test". */
export function qualified(group: string, name: string): string {
  return group === "" ? name : `${group} > ${name}`;
}

/** How many spaces a line starts with. */
export function leadingSpaces(line: string): number {
  let n = 0;
  while (n < line.length && line.charCodeAt(n) === 32) n++;
  return n;
}
