/**
 * Line-per-entry git listings: `git log --oneline` (with or without `--graph`) and `git branch
 * -a`. Long lists keep their first and last lines plus those matching the question; every line
 * shown is shown whole.
 * @module
 */

import { formatCount, keepRows, renderKept } from "./git-rows.ts";
import { queryTerms } from "./table-query.ts";
import type { CompressContext, CompressOutput } from "./types.ts";

/** Lines kept in a lossy commit list: newest, oldest, and matches in between. */
const COMMIT_BUDGET = { head: 150, tail: 30, matches: 60 };
/** Branches kept in a lossy list: first, last, and matches in between. */
const BRANCH_BUDGET = { head: 60, tail: 15, matches: 40 };

/** Keeps the first and last lines of a long `--oneline`/`--graph` log and the matching ones. */
export function compressCommitLines(
  lines: readonly string[],
  ctx: CompressContext,
): CompressOutput | undefined {
  if (!ctx.lossy) return undefined;
  const keep = keepRows(lines, queryTerms(ctx.query), COMMIT_BUDGET);
  const omitted = lines.length - keep.reduce((a, b) => a + b, 0);
  if (omitted === 0) return undefined;
  const kept = renderKept(lines, keep, (n) => `… ${formatCount(n)} lines omitted …`);
  const summary = `${formatCount(omitted)} of ${formatCount(lines.length)} log lines left out (the newest, the oldest and those matching the question are shown)`;
  return {
    text: [...kept, ctx.marker(summary)].join("\n"),
    strategy: "git:log-lines",
    lossy: true,
  };
}

/**
 * `git branch -a`: a long list keeps its first and last branches and those matching the question.
 * Branch names stay whole (`remotes/origin/5.x`), so whatever is shown can be pasted back.
 */
export function compressBranches(
  lines: readonly string[],
  ctx: CompressContext,
): CompressOutput | undefined {
  if (!ctx.lossy) return undefined;
  const keep = keepRows(lines, queryTerms(ctx.query), BRANCH_BUDGET);
  // The current branch always stays.
  for (let i = 0; i < lines.length; i++) if (lines[i]!.startsWith("* ")) keep[i] = 1;
  const omitted = lines.length - keep.reduce((a, b) => a + b, 0);
  if (omitted === 0) return undefined;
  const kept = renderKept(lines, keep, (n) => `  … ${formatCount(n)} branches omitted …`);
  const summary = `${formatCount(omitted)} of ${formatCount(lines.length)} branches left out (the first, the last, the current one and those matching the question are shown)`;
  return { text: [...kept, ctx.marker(summary)].join("\n"), strategy: "git:branches", lossy: true };
}
