/**
 * Context trimming of one hunk: every changed line stays, unchanged lines stay only near a change
 * (or when they match the query), and each kept stretch gets a recomputed `@@` header so the
 * output is still a well-formed patch.
 * @module
 */

import { type DiffHunk, isChangeLine, lineSides } from "./diff-parse.ts";
import { matchesTerms } from "./table-query.ts";

/** How a hunk was trimmed. */
export interface TrimmedHunk {
  /** Header and body lines to emit (empty when nothing was worth keeping). */
  readonly lines: string[];
  /** Unchanged lines left out. */
  readonly omitted: number;
  /** Lines added and removed (every one of them is kept). */
  readonly added: number;
  readonly removed: number;
}

/** Options of the trimming. */
export interface TrimOptions {
  /** Unchanged lines kept on each side of a change. */
  readonly context: number;
  /** A run of unchanged lines between two kept stretches at most this long is kept whole. */
  readonly bridge: number;
  /** Lowercase query terms: unchanged lines containing one are kept. */
  readonly terms: readonly string[];
}

/** Counts the added and removed lines of a hunk body. */
export function countChanges(
  lines: readonly string[],
  hunk: DiffHunk,
): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (let k = hunk.bodyStart; k < hunk.bodyEnd; k++) {
    const line = lines[k]!;
    if (line.startsWith("\\") || !isChangeLine(line, hunk.parents)) continue;
    if (line.slice(0, hunk.parents).includes("-")) removed++;
    else added++;
  }
  return { added, removed };
}

/** Writes one range of a hunk header the way diff does (`,1` omitted; empty ranges point before). */
function formatRange(sign: string, start: number, len: number): string {
  if (len === 1) return `${sign}${start}`;
  return `${sign}${len === 0 ? start - 1 : start},${len}`;
}

/** Trims the context of `hunk` (whose lines are in `lines`). */
export function trimHunk(
  lines: readonly string[],
  hunk: DiffHunk,
  options: TrimOptions,
): TrimmedHunk {
  const { bodyStart, bodyEnd, parents } = hunk;
  const n = bodyEnd - bodyStart;
  const keep = new Uint8Array(n);
  const change = new Uint8Array(n);
  let added = 0;
  let removed = 0;
  for (let k = 0; k < n; k++) {
    const line = lines[bodyStart + k]!;
    if (line.startsWith("\\")) continue;
    if (isChangeLine(line, parents)) {
      change[k] = 1;
      if (line.slice(0, parents).includes("-")) removed++;
      else added++;
    }
  }
  for (let k = 0; k < n; k++) {
    if (change[k]) {
      const from = Math.max(0, k - options.context);
      const to = Math.min(n - 1, k + options.context);
      for (let m = from; m <= to; m++) keep[m] = 1;
    } else if (
      options.terms.length > 0 &&
      !lines[bodyStart + k]!.startsWith("\\") &&
      matchesTerms(lines[bodyStart + k]!, options.terms)
    ) {
      keep[k] = 1;
    }
  }
  // Short gaps between kept stretches cost less than the header a split would add.
  let lastKept = -1;
  for (let k = 0; k < n; k++) {
    if (!keep[k]) continue;
    if (lastKept >= 0 && k - lastKept - 1 <= options.bridge) {
      for (let m = lastKept + 1; m < k; m++) keep[m] = 1;
    }
    lastKept = k;
  }
  // A "\ No newline" note belongs to the line before it.
  for (let k = 0; k < n; k++) {
    if (lines[bodyStart + k]!.startsWith("\\")) keep[k] = k === 0 ? 1 : keep[k - 1]!;
  }

  let keptCount = 0;
  for (let k = 0; k < n; k++) keptCount += keep[k]!;
  if (keptCount === n) {
    return { lines: lines.slice(hunk.headerLine, bodyEnd), omitted: 0, added, removed };
  }
  let omitted = 0;
  for (let k = 0; k < n; k++) {
    if (!keep[k] && !lines[bodyStart + k]!.startsWith("\\")) omitted++;
  }
  if (keptCount === 0) return { lines: [], omitted, added, removed };

  const oldPos = hunk.oldStarts.map((start, p) => (hunk.oldLens[p] === 0 ? start + 1 : start));
  let newPos = hunk.newLen === 0 ? hunk.newStart + 1 : hunk.newStart;
  const out: string[] = [];
  const eol = hunk.section.endsWith("\r") ? "\r" : "";
  const ats = "@".repeat(parents + 1);
  let first = true;
  let k = 0;
  while (k < n) {
    if (!keep[k]) {
      advance(lines[bodyStart + k]!);
      k++;
      continue;
    }
    const segStart = k;
    const startOld = [...oldPos];
    const startNew = newPos;
    while (k < n && keep[k]) {
      advance(lines[bodyStart + k]!);
      k++;
    }
    const oldRanges = startOld.map((start, p) => formatRange("-", start, oldPos[p]! - start));
    const newRange = formatRange("+", startNew, newPos - startNew);
    const section = first ? hunk.section : eol;
    out.push(`${ats} ${oldRanges.join(" ")} ${newRange} ${ats}${section}`);
    for (let m = segStart; m < k; m++) out.push(lines[bodyStart + m]!);
    first = false;
  }
  return { lines: out, omitted, added, removed };

  function advance(line: string): void {
    if (line.startsWith("\\")) return;
    const sides = lineSides(line, parents);
    for (let p = 0; p < parents; p++) if (sides.inParent[p]) oldPos[p]!++;
    if (sides.inResult) newPos++;
  }
}
