/**
 * Reads test runners' per-test lines: which lines report a passing test (and in which file, suite
 * or class, and how long it took), which only open or close a suite, and which are header noise.
 * Everything else (failures, skips, todos, output, summaries) is left for the caller to keep.
 * One reader per runner dialect; each is a small state machine over already clean lines (no
 * colour codes), using anchored regexes without nested quantifiers, so it stays linear.
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
  readonly ms?: number;
  /** How many passing tests the line stands for (pytest's dot lines carry several). */
  readonly count?: number;
}

/** A dialect's reader: fed every line in order, it keeps whatever state it needs. */
export interface TestLineReader {
  read(line: string): TestLineReading;
}

/** The runner dialects, each with a factory for a fresh reader. */
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
  { name: "jest", groupedBy: "describe block", reader: () => treeReader(JEST) },
  { name: "mocha", groupedBy: "describe block", reader: () => treeReader(MOCHA) },
  { name: "vitest", groupedBy: "file and describe block", reader: vitestReader },
  { name: "cargo", groupedBy: "module", reader: cargoReader },
];

const KEEP: TestLineReading = { kind: TestLine.Keep };
const STRUCTURE: TestLineReading = { kind: TestLine.Structure };
const OPEN: TestLineReading = { kind: TestLine.Open };
const NOISE: TestLineReading = { kind: TestLine.Noise };

/** "12.5ms", "1.2s" or "12.5" (milliseconds) to milliseconds. */
function toMs(value: string, unit: string | undefined): number {
  const n = Number(value);
  return unit === "s" ? n * 1000 : n;
}

/** A test's name under its suite, as bun prints it: "suite > test". */
function qualified(group: string, name: string): string {
  return group === "" ? name : `${group} > ${name}`;
}

// bun test: "(pass) suite > test [0.12ms]"; with colour "✓ suite > test [0.12ms]".
const BUN_PASS = /^(?:\(pass\)|✓) (.+?)(?: \[(\d+(?:\.\d+)?)(ms|s)\])?$/;

/** bun test: passes are grouped by their outermost describe (the file header line stays). */
function bunReader(): TestLineReader {
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

// node --test, spec reporter: "▶ suite", "  ✔ test (0.12ms)", "✔ suite (4.9ms)".
const SPEC_OPEN = /^( *)▶ (.+)$/;
const SPEC_PASS = /^( *)✔ (.+?) \((\d+(?:\.\d+)?)(ms|s)\)$/;

/** node --test's spec reporter; a suite's own closing line is structure, not a test. */
function nodeSpecReader(): TestLineReader {
  const open: Array<{ indent: number; name: string }> = [];
  return {
    read(line) {
      const opened = SPEC_OPEN.exec(line);
      if (opened) {
        const indent = opened[1]!.length;
        while (open.length > 0 && open[open.length - 1]!.indent >= indent) open.pop();
        open.push({ indent, name: opened[2]! });
        return OPEN;
      }
      const m = SPEC_PASS.exec(line);
      if (!m) return KEEP;
      const indent = m[1]!.length;
      const name = m[2]!;
      const top = open[open.length - 1];
      if (top && top.indent === indent && top.name === name) {
        open.pop();
        return STRUCTURE;
      }
      while (open.length > 0 && open[open.length - 1]!.indent >= indent) open.pop();
      const group = open.length > 0 ? open[open.length - 1]!.name : "";
      return { kind: TestLine.Pass, group, name: qualified(group, name), ms: toMs(m[3]!, m[4]) };
    },
  };
}

// TAP (node --test's default reporter off a terminal, tape, node-tap).
const TAP_SUBTEST = /^( *)# Subtest: (.+)$/;
const TAP_OK = /^( *)ok \d+(?: -)? ?(.*)$/;
const TAP_PLAN = /^ *1\.\.\d+$/;
const TAP_YAML_START = /^ *---$/;
const TAP_YAML_END = /^ *\.\.\.$/;
const TAP_DURATION = /^ *duration_ms: (\d+(?:\.\d+)?)$/;
const TAP_DIRECTIVE = /# (?:SKIP|TODO)\b/i;

/**
 * TAP: "# Subtest:" lines and plans are structure; "ok" lines pass unless they carry a SKIP or
 * TODO directive; the YAML block after a passing "ok" is folded too (its duration is kept for
 * the slowest tests), the one after "not ok" stays whole.
 */
function tapReader(): TestLineReader {
  const open: Array<{ indent: number; name: string; parent: boolean }> = [];
  let inYaml: "fold" | "keep" | undefined;
  let lastPass: { group: string; name: string } | undefined;
  return {
    read(line) {
      if (inYaml !== undefined) {
        const fold = inYaml === "fold";
        if (TAP_YAML_END.test(line)) inYaml = undefined;
        else if (fold && lastPass) {
          const d = TAP_DURATION.exec(line);
          if (d) return { kind: TestLine.Structure, ...lastPass, ms: Number(d[1]) };
        }
        return fold ? STRUCTURE : KEEP;
      }
      if (TAP_YAML_START.test(line)) {
        inYaml = lastPass ? "fold" : "keep";
        return lastPass ? STRUCTURE : KEEP;
      }
      lastPass = undefined;
      const sub = TAP_SUBTEST.exec(line);
      if (sub) {
        const indent = sub[1]!.length;
        while (open.length > 0 && open[open.length - 1]!.indent >= indent) open.pop();
        if (open.length > 0) open[open.length - 1]!.parent = true;
        open.push({ indent, name: sub[2]!, parent: false });
        return OPEN;
      }
      if (TAP_PLAN.test(line)) return STRUCTURE;
      const ok = TAP_OK.exec(line);
      if (!ok || TAP_DIRECTIVE.test(ok[2]!)) return KEEP;
      const indent = ok[1]!.length;
      while (open.length > 0 && open[open.length - 1]!.indent > indent) open.pop();
      const top = open[open.length - 1];
      const self = top && top.indent === indent ? open.pop() : undefined;
      const name = ok[2]!;
      const group = open.length > 0 ? open[open.length - 1]!.name : "";
      if (self?.parent) {
        lastPass = { group, name: "" };
        return STRUCTURE;
      }
      lastPass = { group, name: qualified(group, name) };
      return { kind: TestLine.Pass, group, name };
    },
  };
}

// unittest -v: "test_x (pkg.mod.Class.test_x) ... ok" (3.11+) or "test_x (pkg.mod.Class) ... ok";
// a test with a docstring prints "test_x (pkg.mod.Class.test_x)" and then "Its first line ... ok".
const UNITTEST_PASS = /^(\w+) \(([\w.]+)\)(?: \S.*?)? \.\.\. ok$/;
const UNITTEST_HEAD = /^(\w+) \(([\w.]*)\)$/;

/** python -m unittest -v: passes are grouped by their test class. */
function unittestReader(): TestLineReader {
  let head: { name: string; path: string } | undefined;
  const classOf = (name: string, path: string) =>
    path.endsWith(`.${name}`) ? path.slice(0, -name.length - 1) : path;
  return {
    read(line) {
      const pending = head;
      head = undefined;
      if (!line.endsWith(" ... ok")) {
        const h = UNITTEST_HEAD.exec(line);
        if (!h) return KEEP;
        head = { name: h[1]!, path: h[2]! };
        return OPEN;
      }
      const m = UNITTEST_PASS.exec(line);
      if (m) return { kind: TestLine.Pass, group: classOf(m[1]!, m[2]!), name: m[1]! };
      if (!pending) return KEEP;
      const group = classOf(pending.name, pending.path);
      return { kind: TestLine.Pass, group, name: pending.name };
    },
  };
}

// pytest -v: "tests/test_x.py::Class::test_y PASSED   [ 12%]"; plain: "tests/test_x.py ....  [ 58%]".
const PYTEST_VERBOSE_PASS = /^(\S+)::(\S+) PASSED(?: +\[ *\d+%\])?$/;
const PYTEST_DOTS = /^(?:(\S+\.py) )?(\.+) *(?:\[ *\d+%\])?$/;
const PYTEST_BANNER =
  /^(?:platform \w+ -- Python|cachedir: |hypothesis profile |benchmark: |plugins: |Using --randomly-seed=|configfile: |testpaths: |django: |asyncio: |timeout: )/;

/** pytest, verbose or not: passes are grouped by file (and class, when verbose). */
function pytestReader(): TestLineReader {
  let file = "";
  return {
    read(line) {
      if (PYTEST_BANNER.test(line)) return NOISE;
      const v = PYTEST_VERBOSE_PASS.exec(line);
      if (v) {
        const id = v[2]!;
        const cut = id.lastIndexOf("::");
        const group = cut >= 0 ? `${v[1]}::${id.slice(0, cut)}` : v[1]!;
        return { kind: TestLine.Pass, group, name: `${v[1]}::${id}` };
      }
      const d = PYTEST_DOTS.exec(line);
      if (!d) {
        const space = line.indexOf(" ");
        if (space > 0 && line.slice(0, space).endsWith(".py")) file = line.slice(0, space);
        return KEEP;
      }
      if (d[1]) file = d[1];
      return { kind: TestLine.Pass, group: file, count: d[2]!.length };
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
const JEST: TreeDialect = {
  fileHeader: /^(?:PASS|FAIL) \S/,
  pass: /^( +)✓ (.+?)(?: \((\d+(?:\.\d+)?) ?(ms|s)\))?$/,
  notPass: /^ +(?:✕|○|✎) /,
  details: /^ +● /,
};

// mocha's spec reporter: describe names indented, "    ✔ test (45ms)", "    1) failing test",
// "    - pending test"; the failures' details come after the "N passing" summary.
const MOCHA: TreeDialect = {
  pass: /^( +)✔ (.+?)(?: \((\d+)(ms)\))?$/,
  notPass: /^ +(?:\d+\) |- )/,
  details: /^ +\d+ passing\b/,
  // node --test's spec reporter prints fractional timings and "# TODO" on its ✔ lines.
  foreign: /\(\d+\.\d+ms\)(?: # \w+)?$/,
};

/** A tree reporter: passes are grouped by their innermost describe block. */
function treeReader(dialect: TreeDialect): TestLineReader {
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
      const group = open.length > 0 ? open[open.length - 1]!.name : "";
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

// vitest --reporter=verbose: " ✓ path > suite > test 3ms" (the default reporter's per-file lines
// are short already and stay).
const VITEST_PASS = /^ ✓ (\S+) > (.+?)(?: (\d+)ms)?$/;

/** vitest's verbose reporter: passes are grouped by file and outermost describe. */
function vitestReader(): TestLineReader {
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

/** How many spaces a line starts with. */
export function leadingSpaces(line: string): number {
  let n = 0;
  while (n < line.length && line.charCodeAt(n) === 32) n++;
  return n;
}

// cargo test (libtest): "test module::name ... ok"; doc tests: "test src/lib.rs - f (line 5) ... ok".
const CARGO_PASS = /^test (\S.*) \.\.\. ok$/;

/** cargo test: passes are grouped by their module path (doc tests by their file). */
function cargoReader(): TestLineReader {
  return {
    read(line) {
      if (!line.startsWith("test ") || !line.endsWith(" ... ok")) return KEEP;
      const m = CARGO_PASS.exec(line);
      if (!m) return KEEP;
      const name = m[1]!;
      const doc = name.indexOf(" - ");
      const cut = name.lastIndexOf("::");
      const group = doc >= 0 ? name.slice(0, doc) : cut >= 0 ? name.slice(0, cut) : "";
      return { kind: TestLine.Pass, group, name };
    },
  };
}
