/**
 * Row elision shared by git's long listings (commits, branches, status entries): the first and
 * last rows stay, plus rows that match the user's question, and every gap becomes one short line
 * saying how much was left out there.
 * @module
 */

/** How many rows a lossy listing keeps around its matches. */
export interface RowBudget {
  readonly head: number;
  readonly tail: number;
  /** Matching rows kept beyond head and tail, in listing order. */
  readonly matches: number;
}

/**
 * Which rows to keep: head, tail, and the rows that match the most query terms (ties go to the
 * earlier row, so a common word cannot crowd out a row that names the exact thing asked about).
 */
export function keepRows(
  texts: readonly string[],
  terms: readonly string[],
  budget: RowBudget,
): Uint8Array {
  const n = texts.length;
  const keep = new Uint8Array(n);
  for (let i = 0; i < Math.min(budget.head, n); i++) keep[i] = 1;
  for (let i = Math.max(0, n - budget.tail); i < n; i++) keep[i] = 1;
  if (terms.length === 0) return keep;
  const scored: { index: number; score: number }[] = [];
  for (let i = 0; i < n; i++) {
    if (keep[i]) continue;
    const score = termCount(texts[i]!, terms);
    if (score > 0) scored.push({ index: i, score });
  }
  scored.sort((a, b) => b.score - a.score || a.index - b.index);
  for (const { index } of scored.slice(0, budget.matches)) keep[index] = 1;
  return keep;
}

/** How many distinct terms `text` holds, ignoring case (first 4 K characters only). */
function termCount(text: string, terms: readonly string[]): number {
  const lower = text.slice(0, 4096).toLowerCase();
  let count = 0;
  for (const term of terms) if (lower.includes(term)) count++;
  return count;
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
