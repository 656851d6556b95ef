/**
 * Row elision shared by git's long listings (commits, branches, status entries): the first and
 * last rows stay, plus rows that match the user's question, and every gap becomes one short line
 * saying how much was left out there.
 * @module
 */

import { rankRowsByTerms } from "./query-rank.ts";

/** How many rows a lossy listing keeps around its matches. */
export interface RowBudget {
  readonly head: number;
  readonly tail: number;
  /** Matching rows kept beyond head and tail, in listing order. */
  readonly matches: number;
}

/** Which rows to keep: head, tail, and the rows that best match the question. */
export function keepRows(
  texts: readonly string[],
  terms: readonly string[],
  budget: RowBudget,
): Uint8Array {
  const n = texts.length;
  const keep = new Uint8Array(n);
  for (let i = 0; i < Math.min(budget.head, n); i++) keep[i] = 1;
  for (let i = Math.max(0, n - budget.tail); i < n; i++) keep[i] = 1;
  for (const index of rankRowsByTerms(texts, terms, budget.matches, keep)) keep[index] = 1;
  return keep;
}

/** The kept blocks in order, each gap replaced by `gapLine(count)`; returns lines. */
export function renderKept(
  blocks: readonly string[],
  keep: Uint8Array,
  gapLine: (omitted: number) => string,
): string[] {
  const out: string[] = [];
  let gap = 0;
  for (let i = 0; i < blocks.length; i++) {
    if (keep[i]) {
      if (gap > 0) out.push(gapLine(gap));
      gap = 0;
      out.push(blocks[i]!);
    } else gap++;
  }
  if (gap > 0) out.push(gapLine(gap));
  return out;
}

/** Writes an integer with thousands separators (locale-independent, so output is stable). */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
