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
  // node --test's spec reporter prints fractional timings and "# TODO" on its ✔ lines.
  foreign: /\(\d+\.\d+ms\)(?: # \w+)?$/,
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
