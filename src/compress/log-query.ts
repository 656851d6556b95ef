/**
 * The user's question as search terms: the distinctive words and identifiers it names, so lines
 * that mention them can be kept. Shared by the log and search compressors.
 * @module
 */

// Words that say nothing about which lines matter.
const STOPWORDS = new Set(
  (
    "the and for are but not you all any can had her was one our out has have why how what when " +
    "where which who whom does did doing done this that these those with from into onto there " +
    "their then than them they about should would could please fix find show tell look check " +
    "make get see use using run running ran file files code line lines here just also some more " +
    "its it's is isn't don't doesn't didn't can't won't let me my we us your yours i'm i've " +
    "via per each every other same such only very want need help explain why's what's output " +
    "log logs result results happen happened happening going because after before"
  ).split(" "),
);

/** At most this many terms are used: a long question still costs a bounded amount per line. */
const MAX_TERMS = 12;

/** The lowercased distinctive terms of a question (at least 3 characters, no stopwords). */
export function queryTerms(query: string): string[] {
  const terms: string[] = [];
  const seen = new Set<string>();
  for (const raw of query
    .toLowerCase()
    .slice(0, 4000)
    .split(/[^\p{L}\p{N}_.\-/:@$#]+/u)) {
    const term = raw.replace(/^[.\-/:@#]+|[.\-/:@#]+$/g, "");
    if (term.length < 3 || STOPWORDS.has(term) || seen.has(term)) continue;
    seen.add(term);
    terms.push(term);
    if (terms.length >= MAX_TERMS) break;
  }
  return terms;
}

/** How many of the terms occur in `lowerText` (already lowercased). */
export function termHits(lowerText: string, terms: readonly string[]): number {
  let hits = 0;
  for (const term of terms) if (lowerText.includes(term)) hits++;
  return hits;
}

/** A case-insensitive pattern that finds lines mentioning any of the terms (a quick pre-check). */
export function termPattern(terms: readonly string[]): RegExp | undefined {
  if (terms.length === 0) return undefined;
  return new RegExp(terms.map((t) => t.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")).join("|"), "i");
}
