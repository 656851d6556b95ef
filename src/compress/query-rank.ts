/**
 * Picks the rows a question points at. A term found in most rows ("installed" in `apt list
 * --installed`) says nothing about which row is meant, so such terms are ignored unless no other
 * term is left; rows then rank by how many distinct terms they hold, earlier rows first on ties.
 * @module
 */

/** Rows longer than this are matched on their first part only (keeps matching linear). */
const MATCH_CHARS = 4096;

/** Up to `limit` row indices (not in `skip`) that best match `terms`, in ranking order. */
export function rankRowsByTerms(
  texts: readonly string[],
  terms: readonly string[],
  limit: number,
  skip?: Uint8Array,
): number[] {
  if (terms.length === 0 || limit <= 0) return [];
  const n = texts.length;
  const lowered = texts.map((text) => text.slice(0, MATCH_CHARS).toLowerCase());
  const hits = terms.map((term) => {
    let count = 0;
    for (const text of lowered) if (text.includes(term)) count++;
    return count;
  });
  const telling = terms.filter((_, t) => hits[t]! > 0 && hits[t]! <= n / 2);
  const used = telling.length > 0 ? telling : terms;
  const scored: { index: number; score: number }[] = [];
  for (let i = 0; i < n; i++) {
    if (skip?.[i]) continue;
    let score = 0;
    for (const term of used) if (lowered[i]!.includes(term)) score++;
    if (score > 0) scored.push({ index: i, score });
  }
  scored.sort((a, b) => b.score - a.score || a.index - b.index);
  return scored.slice(0, limit).map((entry) => entry.index);
}
