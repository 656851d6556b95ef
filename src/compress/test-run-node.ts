/**
 * Readers of node --test's two reporters: spec ("▶ suite", "✔ test (1.2ms)") and TAP (also what
 * tape and node-tap print).
 * @module
 */

import {
  KEEP,
  OPEN,
  qualified,
  STRUCTURE,
  TestLine,
  type TestLineReader,
  toMs,
} from "./test-run-reading.ts";

// node --test, spec reporter: "▶ suite", "  ✔ test (0.12ms)", "✔ suite (4.9ms)".
const SPEC_OPEN = /^( *)▶ (.+)$/;
const SPEC_PASS = /^( *)✔ (.+?) \((\d+(?:\.\d+)?)(ms|s)\)$/;

/** node --test's spec reporter; a suite's own closing line is structure, not a test. */
export function nodeSpecReader(): TestLineReader {
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
      const group = open.length > 0 ? open[0]!.name : "";
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
export function tapReader(): TestLineReader {
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
      const group = open.length > 0 ? open[0]!.name : "";
      if (self?.parent) {
        lastPass = { group, name: "" };
        return STRUCTURE;
      }
      lastPass = { group, name: qualified(group, name) };
      return { kind: TestLine.Pass, group, name };
    },
  };
}
