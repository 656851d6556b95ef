/**
 * Query matching shared by the table, listing and diff compressors: the words of the user's
 * latest question that are specific enough to select rows, lines or paths by.
 * @module
 */

const STOPWORDS = new Set([
  "the",
  "and",
  "for",
  "are",
  "was",
  "were",
  "with",
  "what",
  "which",
  "where",
  "when",
  "why",
  "how",
  "who",
  "this",
  "that",
  "these",
  "those",
  "from",
  "into",
  "does",
  "did",
  "can",
  "could",
  "should",
  "would",
  "will",
  "has",
  "have",
  "had",
  "not",
  "all",
  "any",
  "some",
  "show",
  "list",
  "find",
  "tell",
  "please",
  "there",
  "their",
  "them",
  "then",
  "than",
  "you",
  "your",
  "our",
  "its",
  "file",
  "files",
  "line",
  "lines",
  "row",
  "rows",
  "about",
  "use",
  "used",
  "using",
  "get",
  "got",
  "out",
  "one",
  "two",
  "but",
  "whose",
  "here",
  "also",
  "just",
  "only",
  "more",
  "most",
  "less",
  "need",
  "want",
  "look",
  "see",
  "let",
  "make",
]);

/** Splits a question into lowercase search terms (3+ characters, no stop words, at most 16). */
export function queryTerms(query: string): string[] {
  const terms = new Set<string>();
  for (const raw of query
    .slice(0, 2000)
    .toLowerCase()
    .split(/[^\p{L}\p{N}_./:@-]+/u)) {
    const word = raw.replace(/^[.:/@-]+|[.:/@-]+$/g, "");
    if (word.length < 3 || STOPWORDS.has(word)) continue;
    terms.add(word);
    if (terms.size >= 16) break;
  }
  return [...terms];
}

/** Whether `text` contains any of the (lowercase) terms, ignoring case. */
export function matchesTerms(text: string, terms: readonly string[]): boolean {
  if (terms.length === 0) return false;
  const lower = text.length > 4096 ? text.slice(0, 4096).toLowerCase() : text.toLowerCase();
  for (const term of terms) if (lower.includes(term)) return true;
  return false;
}
