/**
 * `git log` in its default form (`commit`, `Author:`, `Date:`, indented message). Lossless: the
 * three header lines join into one and the blank separator lines go. Lossy: the newest commit
 * whole, then one line per commit (abbreviated hash, day, author name, subject), message bodies
 * only where they match the question, and long histories keep their newest and oldest commits
 * plus the matching ones.
 * @module
 */

import { COMMIT_LINE } from "./detect-git.ts";
import { formatCount, keepRows, renderKept } from "./git-rows.ts";
import { matchesTerms, queryTerms } from "./table-query.ts";
import type { CompressContext, CompressOutput } from "./types.ts";

/** Hex digits of a hash kept in lossy output: unambiguous in any repository of sane size. */
const SHORT_HASH = 10;
/** Commits kept in lossy output: newest, oldest, and matches in between. */
const BUDGET = { head: 120, tail: 20, matches: 50 };
/** Lossy output must be at most this fraction of the lossless one to be worth a marker. */
const LOSSY_GAIN = 0.8;
/** Body lines kept per commit when they match the question. */
const BODY_MATCHES = 6;

interface Commit {
  /** `commit <hash> (decorations)` without the `commit ` prefix. */
  readonly id: string;
  /** Other header lines (`Merge:`, `Commit:`, `AuthorDate:` ...). */
  readonly header: string[];
  author: string;
  date: string;
  /** Message lines without their four-space indent. */
  readonly message: string[];
  /** Unindented lines after the message (e.g. `--stat`). */
  readonly extra: string[];
}

interface ParsedLog {
  readonly before: string[];
  readonly commits: Commit[];
}

/** Splits the log into commits; undefined when a line fits no part of git's default form. */
function parseLog(lines: readonly string[]): ParsedLog | undefined {
  const before: string[] = [];
  const commits: Commit[] = [];
  let current: Commit | undefined;
  let inHeader = false;
  for (const line of lines) {
    if (COMMIT_LINE.test(line)) {
      current = { id: line.slice(7), header: [], author: "", date: "", message: [], extra: [] };
      commits.push(current);
      inHeader = true;
      continue;
    }
    if (!current) {
      before.push(line);
      continue;
    }
    if (inHeader) {
      if (line === "") {
        inHeader = false;
      } else if (line.startsWith("Author: ") && current.author === "") {
        current.author = line.slice(8);
      } else if (line.startsWith("Date:   ") && current.date === "") {
        current.date = line.slice(8);
      } else if (/^[A-Z][A-Za-z]*: /.test(line)) {
        current.header.push(line);
      } else return undefined;
      continue;
    }
    if (line.startsWith("    ") && current.extra.length === 0) current.message.push(line.slice(4));
    else if (line.trim() === "" && current.extra.length === 0) current.message.push("");
    else current.extra.push(line);
  }
  if (commits.length === 0 || commits.some((c) => c.author === "" || c.date === "")) {
    return undefined;
  }
  return { before, commits };
}

/** The message without trailing blank lines (git prints one between commits). */
function trimmedMessage(commit: Commit): string[] {
  let end = commit.message.length;
  while (end > 0 && commit.message[end - 1]!.trim() === "") end--;
  return commit.message.slice(0, end);
}

/** One commit with nothing left out: its three header lines joined, its message and extras. */
function wholeBlock(commit: Commit): string {
  const out = [`commit ${commit.id} | ${commit.author} | ${commit.date}`, ...commit.header];
  for (const line of trimmedMessage(commit)) out.push(line.trim() === "" ? "" : `    ${line}`);
  const extra = [...commit.extra];
  while (extra.length > 0 && extra[extra.length - 1]!.trim() === "") extra.pop();
  return [...out, ...extra].join("\n");
}

const MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

/** `Sat Aug 22 11:25:00 2026 +0530` or an ISO date becomes `2026-08-22`; others stay. */
function shortDate(date: string): string {
  const iso = /^(\d{4}-\d\d-\d\d)/.exec(date);
  if (iso) return iso[1]!;
  const parts = /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) (\d{1,2}) \d\d:\d\d:\d\d (\d{4})/.exec(date);
  if (!parts) return date;
  const month = MONTHS.indexOf(parts[1]!) / 3 + 1;
  if (month < 1 || !Number.isInteger(month)) return date;
  return `${parts[3]}-${String(month).padStart(2, "0")}-${parts[2]!.padStart(2, "0")}`;
}

/** `Name <email>` becomes `Name`. */
function authorName(author: string): string {
  const lt = author.lastIndexOf(" <");
  return lt > 0 && author.endsWith(">") ? author.slice(0, lt) : author;
}

/** One line per commit, plus the body lines that match the question. */
function summaryBlock(commit: Commit, terms: readonly string[]): string {
  const space = commit.id.indexOf(" ");
  const hash = space < 0 ? commit.id : commit.id.slice(0, space);
  const decorations = space < 0 ? "" : commit.id.slice(space);
  const message = trimmedMessage(commit);
  const subject = message.find((line) => line.trim() !== "")?.trim() ?? "";
  const merge = commit.header.some((line) => line.startsWith("Merge: ")) ? " (merge)" : "";
  const lines = [
    `${hash.slice(0, SHORT_HASH)}${decorations} ${shortDate(commit.date)} ${authorName(commit.author)}${merge}: ${subject}`,
  ];
  let kept = 0;
  for (const line of message.slice(message.indexOf(subject) + 1)) {
    if (kept >= BODY_MATCHES) break;
    if (line.trim() !== "" && matchesTerms(line, terms)) {
      lines.push(`    ${line.trim()}`);
      kept++;
    }
  }
  for (const line of commit.extra) {
    if (/ files? changed/.test(line) || (line.trim() !== "" && matchesTerms(line, terms))) {
      lines.push(`    ${line.trim()}`);
    }
  }
  return lines.join("\n");
}

/** Compresses a default-form `git log`; undefined when `lines` are not one. */
export function compressGitLog(
  lines: readonly string[],
  ctx: CompressContext,
): CompressOutput | undefined {
  const log = parseLog(lines);
  if (!log) return undefined;
  const losslessText = [...log.before, ...log.commits.map(wholeBlock)].join("\n");
  const lossless: CompressOutput = {
    text: losslessText,
    strategy: "git:log-compact",
    lossy: false,
  };
  if (!ctx.lossy) return lossless;
  const terms = queryTerms(ctx.query);
  // The newest commit is the one most often asked about: it stays whole.
  const blocks = log.commits.map((commit, i) =>
    i === 0 ? wholeBlock(commit) : summaryBlock(commit, terms),
  );
  const keep = keepRows(blocks, terms, BUDGET);
  const kept = renderKept(blocks, keep, (n) => `… ${formatCount(n)} commits omitted …`);
  const omitted = log.commits.length - keep.reduce((a, b) => a + b, 0);
  const dropped = omitted > 0 ? `, ${formatCount(omitted)} of them left out` : "";
  const summary = `git log of ${formatCount(log.commits.length)} commits, the newest whole, the others one line each (hash cut to ${SHORT_HASH} digits, day, author name, subject; message bodies, emails and times omitted${dropped})`;
  const text = [...log.before, ...kept, ctx.marker(summary)].join("\n");
  // A few short commits are not worth a marker.
  if (text.length > losslessText.length * LOSSY_GAIN) return lossless;
  return { text, strategy: "git:log-summary", lossy: true };
}
