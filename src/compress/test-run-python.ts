/**
 * Readers of Python's runners: unittest -v and pytest (verbose or not), and of cargo test, whose
 * libtest lines ("test module::name ... ok") are read the same way.
 * @module
 */

import { KEEP, NOISE, OPEN, STRUCTURE, TestLine, type TestLineReader } from "./test-run-reading.ts";

// unittest -v: "test_x (pkg.mod.Class.test_x) ... ok" (3.11+) or "test_x (pkg.mod.Class) ... ok";
// a test with a docstring prints "test_x (pkg.mod.Class.test_x)" and then "Its first line ... ok".
const UNITTEST_PASS = /^(\w+) \(([\w.]+)\)(?: \S.*?)? \.\.\. ok$/;
const UNITTEST_HEAD = /^(\w+) \(([\w.]*)\)$/;

/** python -m unittest -v: passes are grouped by their test class. */
export function unittestReader(): TestLineReader {
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
const PYTEST_VERBOSE_TAIL = /^ PASSED(?: +\[ *\d+%\])?$/;
const PYTEST_DOTS = /^(?:(\S+\.py) )?(\.+) *(?:\[ *\d+%\])?$/;
const PYTEST_BANNER =
  /^(?:platform \w+ -- Python|cachedir: |hypothesis profile |benchmark: |plugins: |Using --randomly-seed=|configfile: |testpaths: |django: |asyncio: |timeout: )/;

/** pytest, verbose or not: passes are grouped by file. */
export function pytestReader(): TestLineReader {
  let file = "";
  return {
    read(line) {
      if (PYTEST_BANNER.test(line)) return NOISE;
      // The test id runs to the first space; its file ends at the first "::" (found by position,
      // so a line full of "::" costs one pass).
      const space = line.indexOf(" ");
      const id = space > 0 ? line.slice(0, space) : "";
      const fileEnd = id.indexOf("::");
      if (fileEnd > 0) {
        if (PYTEST_VERBOSE_TAIL.test(line.slice(space))) {
          return { kind: TestLine.Pass, group: id.slice(0, fileEnd), name: id };
        }
        // A test with subtests is announced by its bare id before its verdict line.
        if (space === line.length - 1) return STRUCTURE;
      }
      const d = PYTEST_DOTS.exec(line);
      if (!d) {
        if (id.endsWith(".py")) file = id;
        return KEEP;
      }
      if (d[1]) file = d[1];
      return { kind: TestLine.Pass, group: file, count: d[2]!.length };
    },
  };
}

// cargo test (libtest): "test module::name ... ok"; doc tests: "test src/lib.rs - f (line 5) ... ok".
const CARGO_PASS = /^test (\S.*) \.\.\. ok$/;

/** cargo test: passes are grouped by their module path (doc tests by their file). */
export function cargoReader(): TestLineReader {
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
