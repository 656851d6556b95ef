/**
 * Per-line evidence for the line-oriented kinds (search results, logs, listings, source code),
 * tallied over the sample. The regexes are anchored or flat alternations with no nested
 * quantifiers that could backtrack, and run on lines of at most LINE_CAP characters.
 * @module
 */

import { isBuildLine } from "./detect-build.ts";
import { isBlank, type Sample } from "./detect-sample.ts";

/** How many non-blank sample lines carry each kind of evidence. */
export interface LineTally {
  readonly nonEmpty: number;
  /** grep/rg lines "path:line:text" or "path:line:col:text". */
  readonly grepMatches: number;
  /** grep -C context lines "path-line-text" and "--" group separators. */
  readonly grepContext: number;
  /** rg --heading style: a bare path line followed by "line:text" lines. */
  readonly headings: number;
  readonly numbered: number;
  /** Lines with build, test or application log evidence (build lines included). */
  readonly logLines: number;
  /** Compiler and build-tool command lines and build progress lines ("  CC      foo.o"). */
  readonly buildLines: number;
  /** Lines that only logs have (stack frames, tracebacks, test verdicts, npm ERR!, ...). */
  readonly strongLog: number;
  /** ls -l rows, "total N", ls -R directory headers, tree branches, du rows, bare paths. */
  readonly lsLong: number;
  readonly dirHeaders: number;
  readonly treeLines: number;
  readonly duLines: number;
  readonly pathLines: number;
  readonly bareNames: number;
  /** Lines that start with a language keyword or declaration. */
  readonly codeKeywords: number;
  /** Lines with a keyword or code shape (statement ends, assignments, calls, brackets). */
  readonly codeLines: number;
  /** Markdown code fences: source code inside documentation is documentation. */
  readonly fences: number;
}

/** Tallies the evidence of every non-blank sample line. */
export function tallyLines(sample: Sample): LineTally {
  const t = {
    nonEmpty: 0,
    grepMatches: 0,
    grepContext: 0,
    headings: 0,
    numbered: 0,
    logLines: 0,
    buildLines: 0,
    strongLog: 0,
    lsLong: 0,
    dirHeaders: 0,
    treeLines: 0,
    duLines: 0,
    pathLines: 0,
    bareNames: 0,
    codeKeywords: 0,
    codeLines: 0,
    fences: 0,
  };
  const { lines } = sample;
  let previousBlank = true;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (isBlank(line)) {
      previousBlank = true;
      continue;
    }
    t.nonEmpty++;
    const grep = grepMatch(line);
    if (grep === "match") t.grepMatches++;
    else if (grep === "diagnostic") t.logLines++;
    if (grep !== "match" && (line === "--" || isGrepContext(line))) t.grepContext++;
    if (NUMBERED.test(line)) t.numbered++;
    else if (previousBlank && isPathLine(line) && NUMBERED.test(lines[i + 1] ?? "")) t.headings++;
    const log = logEvidence(line);
    const build = log === 0 && grep === undefined && isBuildLine(line);
    if (build) t.buildLines++;
    if ((log > 0 || build) && grep !== "diagnostic") t.logLines++;
    if (log > 1) t.strongLog++;
    if (LS_LONG.test(line) || /^total \d+$/.test(line)) t.lsLong++;
    if (line.endsWith(":") && DIR_HEADER.test(line)) t.dirHeaders++;
    if (TREE.test(line) || TREE_SUMMARY.test(line)) t.treeLines++;
    if (DU.test(line)) t.duLines++;
    if (isPathLine(line)) t.pathLines++;
    else if (BARE_NAME.test(line)) t.bareNames++;
    const code = stripLineNumber(line).trimStart();
    const keyword = CODE_KEYWORD.test(code);
    if (keyword) t.codeKeywords++;
    if (keyword || hasCodeShape(code, line)) t.codeLines++;
    if (code.startsWith("```") || code.startsWith("~~~")) t.fences++;
    previousBlank = false;
  }
  return t;
}

// ---------------------------------------------------------------------------------------------
// Search results

const GREP = /^((?:[A-Za-z]:[\\/])?[^\s:]+):(\d+):(?:\d+:)?(.{0,16})/;
/** "12:text" or "12-text" (rg --heading, grep -n on one file); "12:30:45" is a time, not this. */
const NUMBERED = /^\d+[:-](?!\d)/;
const DATE_START = /^\d{4}-\d{2}-\d{2}/;
const COMPILER_DIAGNOSTIC = /^ ?(?:fatal error|error|warning|note|remark)\b/i;

/**
 * "match" for a grep/rg result line; "diagnostic" for a compiler message in the same shape
 * (gcc, clang, go vet: "file:line:col: error: ..."), which is log evidence instead.
 */
function grepMatch(line: string): "match" | "diagnostic" | undefined {
  const m = GREP.exec(line);
  if (!m) return undefined;
  const path = m[1] ?? "";
  if (/^\d+$/.test(path) || DATE_START.test(path)) return undefined;
  return COMPILER_DIAGNOSTIC.test(m[3] ?? "") ? "diagnostic" : "match";
}

/** grep -C context lines "path-12-text": the path part holds a dot or a slash. */
function isGrepContext(line: string): boolean {
  const space = line.search(/\s/);
  const token = space < 0 ? line : line.slice(0, space);
  const m = /-\d+-/.exec(token);
  if (!m || m.index === 0) return false;
  const path = token.slice(0, m.index);
  return !path.includes(":") && (path.includes(".") || path.includes("/"));
}

/**
 * A line that is nothing but a path: no blanks, and a slash or a dotted file name. Two or more
 * commas make it a delimited record ("2026-10-01,SKU-100,72,900.00"), not a path.
 */
function isPathLine(line: string): boolean {
  // A colon or a space rules PATH out at once; the regex would backtrack through the line first.
  if (line.length > 300 || line.includes(":") || line.includes(" ") || !PATH.test(line)) {
    return false;
  }
  const comma = line.indexOf(",");
  if (comma >= 0 && line.indexOf(",", comma + 1) >= 0) return false;
  return line.includes("/") || line.includes("\\") || FILE_NAME.test(line);
}

const PATH = /^[\w@+~.,=#%-]*(?:[/\\][\w@+~.,=#%-]*)*$/;
const FILE_NAME = /\.[A-Za-z0-9]{1,8}$/;
const BARE_NAME = /^[\w@+~.-]+$/;

// ---------------------------------------------------------------------------------------------
// Logs

/** Evidence any log line may show: a level, a timestamp, a build tool's progress line. */
const LOG_WEAK = new RegExp(
  [
    String.raw`\b(?:ERROR|ERR|WARN|WARNING|INFO|DEBUG|TRACE|FATAL|CRITICAL|SEVERE|NOTICE|PANIC)\b`,
    String.raw`\[(?:error|warn|warning|info|debug|trace|notice)\]`,
    String.raw`\blevel=(?:error|warn|warning|info|debug|trace)\b`,
    String.raw`^\s*\[?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}`,
    String.raw`^\s*\[?\d{2}:\d{2}:\d{2}`,
    String.raw`\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}`,
    String.raw`^[A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} `,
    "^={3,}|^-{5,}|^_{5,}",
    String.raw`^\s*(?:Compiling|Finished|Running|Downloading|Downloaded|Checking|Building|Fresh|Updating|Installing|Installed|Locking|Resolving|Fetching|Linking|Bundling|Collecting|Successfully)\s`,
    String.raw`^\s*(?:Tests|Test Suites|Snapshots|Time|Ran all test suites)[:.]`,
    String.raw`^(?:added|removed|changed|audited|up to date)\b.* packages?\b`,
    String.raw`^\[\d+/\d+\] `,
    String.raw`^(?:Step \d+/\d+ :|#\d+ (?:\[|DONE|CACHED|ERROR|\d+\.\d+ ))`,
    String.raw`^\s*--> \S+:\d+:\d+`,
    String.raw`^make(?:\[\d+\])?: `,
    String.raw`^\s+\d+:\d+\s+(?:error|warning)\s`,
    String.raw`^collected \d+ items?`,
    String.raw`^\s*(?:✓|✔|✗|✕|×|√|●|○)\s`,
    String.raw`^(?:webpack \d+\.\d+\.\d+ compiled|vite v\d+\.\d+\.\d+ building|asset \S+ [\d.]+ (?:bytes|[KMG]iB) )`,
  ].join("|"),
);

/** Evidence only logs show: test verdicts, stack frames, tracebacks, tool failures. */
const LOG_STRONG = new RegExp(
  [
    String.raw`^\s*(?:PASS|FAIL|PASSED|FAILED|SKIPPED|XFAIL|XPASS)\b`,
    String.raw`^(?:=== (?:RUN|PAUSE|CONT|NAME)|--- (?:PASS|FAIL|SKIP):|ok\s+\S+\s+(?:[\d.]+s|\(cached\)))`,
    String.raw`^test \S+ \.\.\. (?:ok|FAILED|ignored)`,
    String.raw`^\s+at\s+(?:async\s+)?[\w$.<>\[\]/\\-]+(?:\s+\(|\(|$)`,
    String.raw`^Traceback \(most recent call last\)`,
    String.raw`^\s+File "[^"]*", line \d+`,
    String.raw`^(?:[\w$]+\.)*[A-Z]\w*(?:Error|Exception)(?::|$)`,
    String.raw`^\s*Caused by: `,
    String.raw`^\s*\.\.\. \d+ more`,
    String.raw`^goroutine \d+ \[`,
    "^panic: ",
    "panicked at ",
    "^Exception in thread ",
    "^(?:npm (?:ERR!|WARN|error|warn|notice|http)|yarn (?:error|warn)|pnpm ERR)",
    String.raw`^(?:error|warning)(?:\[\w+\])?: `,
    String.raw`\b(?:error|warning) TS\d+:`,
    "^> Task :|^BUILD (?:SUCCESSFUL|FAILED)",
    String.raw`^\[(?:INFO|WARNING|ERROR)\] `,
    String.raw`^\d+ (?:passed|failed)|\b\d+ passed\b.* in [\d.]+s`,
  ].join("|"),
);

/** pytest -v verdicts after a test id ("tests/test_a.py::test_x PASSED"). */
const PYTEST_VERDICT = / (?:PASSED|FAILED|SKIPPED|ERROR|XFAIL|XPASS)\b/;

/** 0: none, 1: weak evidence, 2: strong evidence. */
function logEvidence(line: string): number {
  if (LOG_STRONG.test(line)) return 2;
  if (line.includes("::") && PYTEST_VERDICT.test(line)) return 2;
  return LOG_WEAK.test(line) ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// Listings

const LS_LONG = /^[-dlcbpsD][-rwxsStTl]{9}[.+@]?\s+\d+\s+\S/;
/** ls -R headers "./src/app:"; a slash or a leading dot tells them from "key:" lines. */
const DIR_HEADER = /^(?:\.{1,2}(?:\/[^\s:]*)?|[^\s:/]*\/[^\s:]*):$/;
const TREE = /(?:├──|└──|│ {2,3}|\|-- |`-- )/;
const TREE_SUMMARY = /^\d+ director(?:y|ies)(?:, \d+ files?)?$/;
const DU = /^\d+(?:[.,]\d+)?[KMGTPkB]?\t\S/;

// ---------------------------------------------------------------------------------------------
// Source code

/** Strips the line numbers that file viewers add ("    12→code", "   12\tcode"). */
function stripLineNumber(line: string): string {
  const m = /^\s*\d+(?:→|\t)/.exec(line);
  return m ? line.slice(m[0].length) : line;
}

/** Declarations and statements that start a line in common languages (applied after trimStart). */
const CODE_KEYWORD = new RegExp(
  [
    String.raw`^(?:export\s+)?(?:default\s+)?(?:async\s+)?function\b`,
    String.raw`^(?:export\s+)?(?:const|let|var)\s+[\w$\{\[]`,
    String.raw`^(?:export\s+)?(?:abstract\s+)?class\s+\w`,
    String.raw`^(?:export\s+)?(?:interface|enum|namespace)\s+\w`,
    String.raw`^(?:export\s+)?type\s+\w+(?:<[^<>]*>)?\s*=`,
    String.raw`^import\s+(?:[\w*{"'$]|type\s)`,
    String.raw`^export\s+(?:\{|\*|default\b)`,
    String.raw`^from\s+[\w.]+\s+import\s`,
    String.raw`^module\.exports\b|^(?:const|let|var)\s+\w+\s*=\s*require\(`,
    String.raw`^(?:async\s+)?def\s+\w+\s*\(`,
    String.raw`^if\s+__name__\s*==`,
    String.raw`^@\w+`,
    String.raw`^return\b`,
    String.raw`^package\s+[\w.]+;?$`,
    String.raw`^func\s+(?:\(|\w)`,
    String.raw`^(?:pub(?:\([\w:]+\))?\s+)?(?:async\s+)?(?:unsafe\s+)?fn\s+\w`,
    String.raw`^pub(?:\([\w:]+\))?\s+(?:struct|enum|trait|mod|use|const|static|type)\s`,
    String.raw`^impl\b`,
    String.raw`^use\s+[\w:{}, *]+;`,
    String.raw`^(?:struct|trait|mod)\s+\w+\s*[{;<(]`,
    String.raw`^#\[|^#include\s|^#define\s|^#!\/`,
    String.raw`^(?:public|private|protected|internal)\s+(?:(?:static|final|abstract|async|override|readonly|sealed|virtual)\s+)*(?:class|interface|enum|record|struct|void|[\w<>\[\],.?]+\s+\w+\s*[({=;])`,
    String.raw`^using\s+[\w.]+;`,
    String.raw`^(?:elif\b.*|else|try|finally|except\b[^:]*):$`,
    String.raw`^(?:\}\s*)?else\b\s*(?:if\b|\{)`,
    String.raw`^(?:for|while|switch|catch)\s*\(`,
    String.raw`^(?:if|for|while)\s+[^\s].*:$`,
    String.raw`^throw\s+new\s`,
    String.raw`^raise\s+\w+(?:\(|$)`,
    String.raw`^\w+\s*:=\s`,
    String.raw`^<\?php`,
  ].join("|"),
);

/** Ends like a statement or opens a block, or is a lone closing bracket. */
const CODE_SHAPE = /(?:[{;([]|=>)$|^[}\])]+[;,)]*$/;
/** An assignment at the start of a statement: "x = 1", "self.items += [a]", "cfg.x ??= y". */
const ASSIGNMENT = /^[\w$.[\]'"]+\s*(?:[-+*/%|&^?]{1,2})?=(?!=)\s*\S/;
const CALL = /[\w$]\(/;

/**
 * Code-shaped lines: statement and block ends, assignments, calls ending a line ("foo(x)"),
 * indented continuation lines ending with a comma, docstring quotes, block-comment lines.
 */
function hasCodeShape(code: string, line: string): boolean {
  if (CODE_SHAPE.test(code) || ASSIGNMENT.test(code)) return true;
  const last = code.charCodeAt(code.length - 1);
  if (last === 41 && CALL.test(code)) return true; // ")"
  if (last === 44 && (line.charCodeAt(0) === 32 || line.charCodeAt(0) === 9)) return true; // ","
  return /^(?:"""|'''|\/\*|\*)/.test(code);
}
