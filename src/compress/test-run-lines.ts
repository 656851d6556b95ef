/**
 * The test runners whose per-test lines are read: which lines report a passing test (and in
 * which file, suite or class, and how long it took), which only open or close a suite, and which
 * are header noise; everything else (failures, skips, todos, output, summaries) is kept. One
 * reader per runner, each a small state machine over clean lines (no colour codes) with anchored
 * regexes, so it stays linear; they live with their kin in test-run-js.ts, test-run-node.ts and
 * test-run-python.ts.
 * @module
 */

import {
  bunReader,
  JEST,
  jestFilesReader,
  MOCHA,
  treeReader,
  vitestFilesReader,
  vitestReader,
} from "./test-run-js.ts";
import { nodeSpecReader, tapReader } from "./test-run-node.ts";
import { cargoReader, pytestReader, unittestReader } from "./test-run-python.ts";
import type { TestLineReader } from "./test-run-reading.ts";

/**
 * The runner dialects, each with a factory for a fresh reader. The one that finds the most passes
 * in the first lines reads the output; on a tie the earlier wins (vitest's " ✓ file > test" also
 * reads as a mocha line).
 */
export const TEST_DIALECTS: ReadonlyArray<{
  readonly name: string;
  /** What a pass's group is called in the marker's summary. */
  readonly groupedBy: string;
  readonly reader: () => TestLineReader;
}> = [
  { name: "bun", groupedBy: "describe block", reader: bunReader },
  { name: "node-spec", groupedBy: "suite", reader: nodeSpecReader },
  { name: "tap", groupedBy: "suite", reader: tapReader },
  { name: "unittest", groupedBy: "class", reader: unittestReader },
  { name: "pytest", groupedBy: "file", reader: pytestReader },
  { name: "vitest", groupedBy: "file and describe block", reader: vitestReader },
  { name: "jest", groupedBy: "describe block", reader: () => treeReader(JEST) },
  { name: "mocha", groupedBy: "describe block", reader: () => treeReader(MOCHA) },
  { name: "cargo", groupedBy: "module", reader: cargoReader },
  { name: "jest-files", groupedBy: "folder", reader: jestFilesReader },
  { name: "vitest-files", groupedBy: "folder or file", reader: vitestFilesReader },
];
