/**
 * `npm run check:commits [-- RANGE]`: lists the commits in RANGE (default `main..HEAD`) whose
 * subject is longer than 72 columns, and exits 1 when there is one. `--message-file FILE` checks
 * one message instead; `.githooks/commit-msg` runs it that way (README, "Tests"). History is
 * never rewritten: older commits on main are over the limit and stay so.
 */

import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

/** The longest subject allowed, in columns (characters; git's own tools assume as much). */
export const MAX_SUBJECT_COLUMNS = 72;

/** A commit message's subject as git shows it: its first paragraph, lines joined by spaces. */
export function subjectOf(message: string): string {
  const lines = message.split("\n").filter((line) => !line.startsWith("#"));
  const start = lines.findIndex((line) => line.trim() !== "");
  if (start < 0) return "";
  const end = lines.findIndex((line, i) => i > start && line.trim() === "");
  return lines
    .slice(start, end < 0 ? undefined : end)
    .map((line) => line.trim())
    .join(" ");
}

/** How many columns `subject` takes (code points, so one accented letter is one column). */
export function subjectColumns(subject: string): number {
  return [...subject].length;
}

/** One commit and its subject. */
export interface CommitSubject {
  readonly commit: string;
  readonly subject: string;
}

/** The commits in `range` whose subject is too long, newest first. */
export function overlongSubjects(range: string, cwd = process.cwd()): CommitSubject[] {
  const log = Bun.spawnSync(["git", "log", "--format=%h%x00%s%x00", range], { cwd });
  if (log.exitCode !== 0) throw new Error(`git log ${range}: ${log.stderr.toString().trim()}`);
  const fields = log.stdout.toString().split("\0");
  const found: CommitSubject[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const commit = fields[i]!.trim();
    const subject = fields[i + 1]!;
    if (subjectColumns(subject) > MAX_SUBJECT_COLUMNS) found.push({ commit, subject });
  }
  return found;
}

function report(subject: string, where: string): string {
  return `${where}: subject is ${subjectColumns(subject)} columns (at most ${MAX_SUBJECT_COLUMNS}): ${subject}`;
}

function main(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { "message-file": { type: "string" } },
    allowPositionals: true,
  });
  const file = values["message-file"];
  if (file !== undefined) {
    const subject = subjectOf(readFileSync(file, "utf8"));
    if (subjectColumns(subject) <= MAX_SUBJECT_COLUMNS) return 0;
    console.error(report(subject, "commit message"));
    return 1;
  }
  const range = positionals[0] ?? "main..HEAD";
  const overlong = overlongSubjects(range);
  for (const { commit, subject } of overlong) console.error(report(subject, commit));
  console.error(`${overlong.length} commit(s) in ${range} over ${MAX_SUBJECT_COLUMNS} columns`);
  return overlong.length === 0 ? 0 : 1;
}

if (import.meta.main) process.exit(main(process.argv.slice(2)));
