/**
 * Line-per-entry git listings: `git log --oneline` (with or without `--graph`) and `git branch
 * -a`. Branch lists group remote branches losslessly (one line per remote); long commit lists keep
 * the newest and oldest lines plus those matching the question.
 * @module
 */

import { formatCount, keepRows, renderKept } from "./git-rows.ts";
import { queryTerms } from "./table-query.ts";
import type { CompressContext, CompressOutput } from "./types.ts";

/** Lines kept in a lossy commit list: newest, oldest, and matches in between. */
const COMMIT_BUDGET = { head: 150, tail: 30, matches: 60 };
/** Branches kept per remote in a lossy list, besides those that match the question. */
const BRANCH_BUDGET = { head: 40, tail: 10, matches: 40 };

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

/** `  remotes/origin/feat/x` → remote `remotes/origin/`, branch `feat/x`. */
function splitRemote(line: string): { remote: string; branch: string } | undefined {
  if (!line.startsWith("  remotes/")) return undefined;
  const name = line.slice(2);
  const slash = name.indexOf("/", 8);
  if (slash < 0 || name.includes(" -> ")) return undefined;
  return { remote: name.slice(0, slash + 1), branch: name.slice(slash + 1) };
}

/**
 * `git branch -a`: local branches as they are, then one line per remote listing its branches
 * separated by spaces (branch names cannot hold spaces, so nothing is lost). Lossy mode cuts very
 * long remotes to their first and last branches plus those matching the question.
 */
export function compressBranches(
  lines: readonly string[],
  ctx: CompressContext,
): CompressOutput | undefined {
  const out: string[] = [];
  const remotes = new Map<string, string[]>();
  for (const line of lines) {
    const split = splitRemote(line);
    if (!split) {
      out.push(line);
      continue;
    }
    const list = remotes.get(split.remote) ?? [];
    if (list.length === 0) remotes.set(split.remote, list);
    list.push(split.branch);
  }
  if (remotes.size === 0) return undefined;
  const terms = queryTerms(ctx.query);
  let omitted = 0;
  for (const [remote, branches] of remotes) {
    let shown = branches;
    if (ctx.lossy) {
      const keep = keepRows(branches, terms, BRANCH_BUDGET);
      const dropped = branches.length - keep.reduce((a, b) => a + b, 0);
      omitted += dropped;
      if (dropped > 0) shown = renderKept(branches, keep, (n) => `…${formatCount(n)} more…`);
    }
    out.push(`  ${remote} (${formatCount(branches.length)}): ${shown.join(" ")}`);
  }
  if (omitted === 0) {
    return { text: out.join("\n"), strategy: "git:branches-grouped", lossy: false };
  }
  const summary = `${formatCount(omitted)} remote branches left out`;
  return { text: [...out, ctx.marker(summary)].join("\n"), strategy: "git:branches", lossy: true };
}
