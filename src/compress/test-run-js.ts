/**
 * Readers of the JavaScript runners that print one line per test: bun test, vitest's verbose
 * reporter, and the tree reporters of jest (--verbose) and mocha (spec).
 * @module
 */

import {
  KEEP,
  leadingSpaces,
  OPEN,
  qualified,
  TestLine,
  type TestLineReader,
  toMs,
} from "./test-run-reading.ts";

// bun test: "(pass) suite > test [0.12ms]"; with colour "✓ suite > test [0.12ms]".
const BUN_PASS = /^(?:\(pass\)|✓) (.+?)(?: \[(\d+(?:\.\d+)?)(ms|s)\])?$/;

/** bun test: passes are grouped by their outermost describe (the file header line stays). */
export function bunReader(): TestLineReader {
  return {
    read(line) {
      const c = line.charCodeAt(0);
      if (c !== 40 && c !== 0x2713) return KEEP; // "(" or "✓"
      const m = BUN_PASS.exec(line);
      if (!m) return KEEP;
      const name = m[1]!;
      const cut = name.indexOf(" > ");
      const group = cut >= 0 ? name.slice(0, cut) : "";
      return { kind: TestLine.Pass, group, name, ms: m[2] ? toMs(m[2], m[3]) : undefined };
    },
  };
}

// vitest --reporter=verbose: " ✓ path > suite > test 3ms" (the default reporter's per-file lines
// are short already and stay).
const VITEST_PASS = /^ ✓ (\S+) > (.+?)(?: (\d+)ms)?$/;

/** vitest's verbose reporter: passes are grouped by file and outermost describe. */
export function vitestReader(): TestLineReader {
  return {
    read(line) {
      if (!line.startsWith(" ✓ ")) return KEEP;
      const m = VITEST_PASS.exec(line);
      if (!m) return KEEP;
      const rest = m[2]!;
      const cut = rest.indexOf(" > ");
      const group = cut >= 0 ? `${m[1]} > ${rest.slice(0, cut)}` : m[1]!;
      const ms = m[3] ? Number(m[3]) : undefined;
      return { kind: TestLine.Pass, group, name: `${m[1]} > ${rest}`, ms };
    },
  };
}

/** Runners that print a tree: describe names indented, then their tests, one glyph each. */
interface TreeDialect {
  /** A file's header line ("PASS path"): starts a new tree. Without one, the tree starts at once. */
  readonly fileHeader?: RegExp;
  /** A passing test: indent, name, and optionally its duration and unit. */
  readonly pass: RegExp;
  /** A test line that did not pass (failed, skipped, todo): kept. */
  readonly notPass: RegExp;
  /** Where the failures' details begin: from there on every line is kept. */
  readonly details: RegExp;
  /** Lines that look like passes but belong to another runner: never read as passes. */
  readonly foreign?: RegExp;
}

// jest --verbose: "PASS path", describe names indented, "    ✓ test (3 ms)"; failures' details
// follow a file's tests, each opened by "  ● suite › test".
export const JEST: TreeDialect = {
  fileHeader: /^(?:PASS|FAIL) \S/,
  pass: /^( +)✓ (.+?)(?: \((\d+(?:\.\d+)?) ?(ms|s)\))?$/,
  notPass: /^ +(?:✕|○|✎) /,
  details: /^ +● /,
};

// mocha's spec reporter: describe names indented, "    ✔ test (45ms)", "    1) failing test",
// "    - pending test"; the failures' details come after the "N passing" summary.
export const MOCHA: TreeDialect = {
  pass: /^( +)[✓✔] (.+?)(?: \((\d+)(ms)\))?$/,
  notPass: /^ +(?:\d+\) |- )/,
  details: /^ +\d+ passing\b/,
  // node --test's spec reporter prints fractional timings and "# TODO" on its ✔ lines; vitest
  // starts its lines with one space and a path.
  foreign: /\(\d+\.\d+ms\)(?: # \w+)?$|^ [✓×↓] \S+ (?:> |\(\d+ tests?\b)/,
};

/** A tree reporter: passes are grouped by their outermost describe block. */
export function treeReader(dialect: TreeDialect): TestLineReader {
  const open: Array<{ indent: number; name: string }> = [];
  let inTests = dialect.fileHeader === undefined;
  return {
    read(line) {
      if (dialect.fileHeader?.test(line)) {
        open.length = 0;
        inTests = true;
        return KEEP;
      }
      if (!inTests || line.trim() === "") return KEEP;
      if (dialect.details.test(line)) {
        inTests = false;
        return KEEP;
      }
      const indent = leadingSpaces(line);
      while (open.length > 0 && open[open.length - 1]!.indent >= indent) open.pop();
      const m = dialect.foreign?.test(line) ? null : dialect.pass.exec(line);
      const group = open.length > 0 ? open[0]!.name : "";
      if (m) {
        const name = m[2]!;
        const ms = m[3] ? toMs(m[3], m[4]) : undefined;
        return { kind: TestLine.Pass, group, name: qualified(group, name), ms };
      }
      if (dialect.notPass.test(line) || indent === 0) return KEEP;
      open.push({ indent, name: line.trim() });
      return OPEN;
    },
  };
}

/** The folder of a test file ("" for one at the top): what a file-per-line run is grouped by. */
function folderOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash > 0 ? path.slice(0, slash) : "";
}

// jest without --verbose: one "PASS path" line per passing file ("PASS path (5.2 s)" when slow).
const JEST_FILE_PASS = /^PASS (\S+)(?: \((\d+(?:\.\d+)?) ?(ms|s)\))?$/;
const FILES = "test files";

/** jest's default reporter: passing files are counted per folder; failing files stay whole. */
export function jestFilesReader(): TestLineReader {
  return {
    read(line) {
      if (!line.startsWith("PASS ")) return KEEP;
      const m = JEST_FILE_PASS.exec(line);
      if (!m) return KEEP;
      const ms = m[2] ? toMs(m[2], m[3]) : undefined;
      return { kind: TestLine.Pass, group: folderOf(m[1]!), name: m[1]!, ms, unit: FILES };
    },
  };
}

// vitest's default reporter: " ✓ path (32 tests | 2 skipped) 4ms" per passing file; a failing
// file's line (" ❯ path (11 tests | 2 failed) 16ms") is followed by its tests ("   ✓ a > b 1ms").
const VITEST_FILE_PASS = /^ ✓ (\S+) \((\d+) tests?(?: \| [\w |]+)?\) (\d+)ms$/;
const VITEST_FILE_FAIL = /^ ❯ (\S+) \(/;
const VITEST_NESTED_PASS = /^ {3}✓ (.+?)(?: (\d+)ms)?$/;

/**
 * vitest's default reporter: passing files are counted per folder, a failing file's passing
 * tests per that file; the failing file's line and its failed tests stay.
 */
export function vitestFilesReader(): TestLineReader {
  let failing = "";
  return {
    read(line) {
      const file = VITEST_FILE_FAIL.exec(line);
      if (file) {
        failing = file[1]!;
        return KEEP;
      }
      const nested = failing === "" ? null : VITEST_NESTED_PASS.exec(line);
      if (nested) {
        const ms = nested[2] ? Number(nested[2]) : undefined;
        return { kind: TestLine.Pass, group: failing, name: `${failing} > ${nested[1]}`, ms };
      }
      if (!line.startsWith("   ")) failing = "";
      if (!line.startsWith(" ✓ ")) return KEEP;
      const m = VITEST_FILE_PASS.exec(line);
      if (!m) return KEEP;
      return {
        kind: TestLine.Pass,
        group: folderOf(m[1]!),
        name: m[1]!,
        ms: Number(m[3]),
        unit: FILES,
      };
    },
  };
}
