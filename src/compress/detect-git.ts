/**
 * Recognises git's own listings in the detection sample: `git log` (default form), `git log
 * --oneline` with or without `--graph`, `git status` (long and short) and `git branch -a`. Each
 * test reads only the sample's lines and uses anchored regexes without nested quantifiers.
 * @module
 */

import type { Sample } from "./detect-sample.ts";

/** Which of git's outputs a text is. */
export type GitForm = "log" | "oneline" | "graph" | "status" | "status-short" | "branches";

/** `commit <40 or 64 hex>` with optional decorations: the first line of each default-form entry. */
export const COMMIT_LINE = /^commit [0-9a-f]{40}(?:[0-9a-f]{24})?(?: \(.*\))?$/;
/** An abbreviated hash, optional decorations, then a subject. */
const ONELINE = /^[0-9a-f]{7,40} (?:\([^)]*\) )?\S/;
/** The graph drawing git puts before a commit or between commits. */
const GRAPH_PREFIX = /^[*|\\/ _.-]+/;
/** A `git status --short` entry: two status columns, a space, a path. */
export const SHORT_STATUS = /^(?:[ MTADRCU?!]{2}) \S/;
/** A `git status` entry line under one of its sections. */
export const STATUS_ENTRY =
  /^\t(?:(?:modified|deleted|new file|renamed|copied|typechange|both modified|both added|both deleted|added by us|added by them|deleted by us|deleted by them): +)?\S/;
const STATUS_SECTION =
  /^(?:On branch |HEAD detached |Your branch |Changes to be committed:|Changes not staged for commit:|Untracked files:|Unmerged paths:|nothing to commit|no changes added)/;
/** A `git branch` line: current-branch star or two spaces, then a ref name. */
const BRANCH_LINE = /^[*+ ] (?:\(HEAD detached [^)]*\)|\S+(?: -> \S+)?)$/;

/** The git form of the sample, or undefined when it is not (mostly) one of git's listings. */
export function detectGitForm(sample: Sample): GitForm | undefined {
  const lines = sample.lines;
  let commits = 0;
  let authors = 0;
  let oneline = 0;
  let graph = 0;
  let graphOnly = 0;
  let shortStatus = 0;
  let statusEntries = 0;
  let statusSections = 0;
  let branches = 0;
  let remotes = 0;
  let current = 0;
  let nonEmpty = 0;
  for (const line of lines) {
    if (line.trim() === "") continue;
    nonEmpty++;
    if (COMMIT_LINE.test(line)) commits++;
    else if (line.startsWith("Author: ")) authors++;
    if (ONELINE.test(line)) oneline++;
    const prefix = GRAPH_PREFIX.exec(line)?.[0] ?? "";
    if (prefix.includes("*") && ONELINE.test(line.slice(prefix.length))) graph++;
    else if (prefix.length === line.length && /[|\\/]/.test(prefix)) graphOnly++;
    if (SHORT_STATUS.test(line)) shortStatus++;
    if (STATUS_ENTRY.test(line)) statusEntries++;
    if (STATUS_SECTION.test(line)) statusSections++;
    if (BRANCH_LINE.test(line)) {
      branches++;
      if (line.startsWith("  remotes/")) remotes++;
      if (line.startsWith("* ")) current++;
    }
  }
  if (nonEmpty < 3) return undefined;
  if (commits >= 2 && authors >= commits * 0.8) return "log";
  if (statusSections >= 1 && statusEntries >= 3) return "status";
  if (graph >= 3 && graph + graphOnly >= nonEmpty * 0.9) return "graph";
  if (oneline >= nonEmpty * 0.9 && oneline >= 3) return "oneline";
  if (shortStatus >= nonEmpty * 0.9 && shortStatus >= 3) return "status-short";
  if (branches >= nonEmpty * 0.9 && branches >= 3 && (remotes > 0 || current === 1)) {
    return "branches";
  }
  return undefined;
}
