/**
 * Content detection: decides which compressor a tool output goes to. It runs on every candidate,
 * so it is cheap by construction: JSON is validated over at most a 64 K prefix (plus a check of
 * the closing character), HTML over 8 K, and everything else over the first 200 lines of the
 * first 32 K characters plus the last 50 lines of the last 8 K (a build's error comes last); no
 * regex can backtrack badly, so a 10 MB single line costs the same as 32 KB.
 *
 * Differences from the original Headroom's regex detector, on purpose:
 * - JSON objects are json (theirs only counted top-level arrays), and so is JSON Lines.
 * - "listing" is a kind of its own (ls -l, ls -R, find, tree, du); theirs has none.
 * - Command tables (ps aux, docker ps, kubectl get, df) are tables; theirs saw only delimiters.
 * - Build/test logs need log-only evidence or a high share of log lines, so prose that merely
 *   mentions "error" stays text; compiler and build-tool command lines count as log lines.
 * - CSV with a header row is a table even when its rows would pass for paths or log lines.
 * @module
 */

import { looksLikeDiff } from "./detect-diff.ts";
import { detectGitForm } from "./detect-git.ts";
import { looksLikeHtml } from "./detect-html.ts";
import { scanJson } from "./detect-json.ts";
import { type LineTally, tallyLines } from "./detect-lines.ts";
import { sampleLines } from "./detect-sample.ts";
import { looksLikeHeadedTable, looksLikeTable } from "./detect-table.ts";
import { looksLikeTestsOrDiagnostics } from "./detect-tests.ts";
import { looksLikeInstallLog } from "./install.ts";
import type { CompressProbe } from "./probe.ts";
import { looksLikeSystemTable } from "./table-system.ts";
import type { ContentKind } from "./types.ts";

/** JSON is validated up to this many characters; beyond it only the closing character is checked. */
const JSON_SCAN_LIMIT = 64 * 1024;

/**
 * Classifies a tool output; never throws (an error is told to `probe` and reads as "text"), and
 * is linear in min(text length, a fixed sample).
 */
export function detectContent(text: string, probe?: CompressProbe): ContentKind {
  try {
    return detect(text);
  } catch (error) {
    probe?.swallowed?.("detect", error);
    return "text";
  }
}

/**
 * Whether detectContent would call `text` an install log: the same checks in the same order, but
 * none of the costlier ones that could only follow (for a caller that needs no other answer).
 */
export function detectsAsInstall(text: string, probe?: CompressProbe): boolean {
  try {
    return detect(text, true) === "install";
  } catch (error) {
    probe?.swallowed?.("detect", error);
    return false;
  }
}

function detect(text: string, installOnly = false): ContentKind {
  const start = firstNonSpace(text);
  if (start < 0) return "text";
  const end = lastNonSpace(text) + 1;
  if (isJson(text, start, end)) return "json";
  // Blank leading lines are skipped, but the first line keeps its indentation (column tables).
  const lineStart = skipExecHeader(text, text.lastIndexOf("\n", start) + 1);
  const sample = sampleLines(text, lineStart);
  // The checks before the install one only matter when it passes, and most texts fail it.
  if (installOnly && !looksLikeInstallLog(sample)) return "text";
  if (looksLikeDiff(sample)) return "diff";
  if (detectGitForm(sample)) return "git";
  if (looksLikeSystemTable(sample)) return "table";
  if (looksLikeInstallLog(sample)) return "install";
  if (installOnly) return "text";
  if (looksLikeHtml(text, start)) return "html";
  // Before the line tally: an all-pass test run reads like prose, eslint -f unix like grep hits.
  if (looksLikeTestsOrDiagnostics(sample)) return "log";
  const tally = tallyLines(sample);
  if (tally.nonEmpty === 0) return "text";
  if (isSearch(tally)) return "search";
  // Before listings and logs: CSV rows can pass for bare paths, and timestamps for log lines.
  if (looksLikeHeadedTable(sample)) return "table";
  if (isListing(tally)) return "listing";
  if (isClearLog(tally)) return "log";
  if (looksLikeTable(sample)) return "table";
  if (isCode(tally)) return "code";
  if (isFaintLog(tally)) return "log";
  return "text";
}

/**
 * An object or array (validated up to JSON_SCAN_LIMIT, then ending with the matching closer), or
 * JSON Lines: objects, one per line. Cost: one pass over at most 64 K characters, no allocation
 * per value; the JSON compressor does the only full parse.
 */
function isJson(text: string, start: number, end: number): boolean {
  const open = text.charCodeAt(start);
  if (open !== 123 && open !== 91) return false;
  const close = text.charCodeAt(end - 1);
  if (close !== 125 && close !== 93) return false;
  const stop = Math.min(end, start + JSON_SCAN_LIMIT);
  const scan = scanJson(text, start, stop, end);
  if (scan.result === "invalid") return false;
  if (scan.values > 1) return scan.lineObjects && close === 125;
  return close === open + 2;
}

/** grep/rg output: most lines are matches, context lines or rg --heading blocks. */
function isSearch(t: LineTally): boolean {
  const hits = t.grepMatches + (t.headings > 0 || t.numbered >= t.nonEmpty * 0.6 ? t.numbered : 0);
  if (hits < Math.min(2, t.nonEmpty)) return false;
  const context = t.grepMatches > 0 ? t.grepContext : 0;
  return hits + context + t.headings >= t.nonEmpty * 0.5;
}

/** ls -l / ls -la, ls -R, find, tree, du, or a plain list of paths. */
function isListing(t: LineTally): boolean {
  const n = t.nonEmpty;
  if (t.lsLong >= n * 0.5 || t.treeLines >= n * 0.4 || t.duLines >= n * 0.6) return true;
  if (t.dirHeaders > 0 && t.dirHeaders + t.pathLines + t.bareNames + t.lsLong >= n * 0.8) {
    return true;
  }
  return n >= 3 && t.pathLines >= n * 0.7 && t.codeKeywords === 0;
}

/** Mostly log lines, or a fair share of them with evidence only logs have. */
function isClearLog(t: LineTally): boolean {
  if (t.logLines >= t.nonEmpty * 0.4 && t.logLines >= Math.min(2, t.nonEmpty)) return true;
  return t.strongLog >= 2 && t.logLines >= t.nonEmpty * 0.2;
}

/** Code after tables: some log lines in a program's output must not make it "code". */
function isCode(t: LineTally): boolean {
  const n = t.nonEmpty;
  const needed = n <= 4 ? 2 : 3;
  if (t.codeKeywords < needed || t.fences >= 2) return false;
  return t.codeLines >= n * 0.45;
}

/**
 * A weaker log signal, consulted only when nothing else matched. Build command lines do not
 * count here: a few of them among prose are instructions in a document, not a build's output.
 */
function isFaintLog(t: LineTally): boolean {
  const logLines = t.logLines - t.buildLines;
  return t.strongLog >= 1 || (logLines >= 2 && logLines >= t.nonEmpty * 0.15);
}

/** The header Codex puts before a command's output ("Exit code: 0", "Wall time: ...", "Output:"). */
const EXEC_HEADER =
  /^(?:Exit code: -?\d+|Wall time: [\d.]+ seconds?|Total output lines: \d+|Output:)\r?$/;

/**
 * Skips an exec header so the command's own output is what gets classified (line-based kinds
 * only: such a text is never called json, since it would not parse).
 */
function skipExecHeader(text: string, from: number): number {
  let pos = from;
  for (let k = 0; k < 4; k++) {
    const head = text.slice(pos, pos + 48);
    const nl = head.indexOf("\n");
    if (nl < 0 || !EXEC_HEADER.test(head.slice(0, nl))) break;
    pos += nl + 1;
  }
  return pos;
}

function firstNonSpace(text: string): number {
  for (let i = 0; i < text.length; i++) {
    if (!isSpace(text.charCodeAt(i))) return i;
  }
  return -1;
}

function lastNonSpace(text: string): number {
  for (let i = text.length - 1; i >= 0; i--) {
    if (!isSpace(text.charCodeAt(i))) return i;
  }
  return -1;
}

/** JSON whitespace plus the byte-order mark, vertical tab and form feed. */
function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 0xfeff || c === 11 || c === 12;
}
