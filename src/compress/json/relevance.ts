/**
 * Relevance of array items to the user's latest question: the question's specific words
 * (identifiers, numbers, quoted phrases, content words) are looked up in each item's text, and a
 * word that most items contain counts for nothing, so only distinguishing matches select items.
 * @module
 */

const STOPWORDS = new Set(
  (
    "the and for are was were with what which where when why how who whom whose this that these those " +
    "from into onto does did done can could should would will shall may might must have has had been " +
    "being not but any all some each every there their they them you your yours our ours its it's " +
    "about above below after before over under again then than too very just also only here out off " +
    "show find list give tell get got make see look check please need want know let lets one two " +
    "many much more most less least other such same own via per use used using like json data item " +
    "items row rows entry entries value values field fields result results output return returned " +
    "anything something everything nothing thing things there's what's which's i'm me my mine we us"
  ).split(" "),
);

/** The distinguishing words of a question, lowercased; empty when it has none. */
export function queryTerms(query: string): string[] {
  const terms = new Set<string>();
  for (const match of query.matchAll(/"([^"]{2,60})"|'([^']{2,60})'|`([^`]{2,60})`/g)) {
    const phrase = (match[1] ?? match[2] ?? match[3] ?? "").trim().toLowerCase();
    if (phrase.length >= 2) terms.add(phrase);
  }
  for (const match of query.matchAll(
    /[\p{L}\p{N}_][\p{L}\p{N}_.\-/:@#]*[\p{L}\p{N}_]|[\p{L}\p{N}]/gu,
  )) {
    const token = match[0].toLowerCase();
    addTerm(terms, token);
    if (/[.\-/:@#]/.test(token)) for (const part of token.split(/[.\-/:@#]+/)) addTerm(terms, part);
  }
  return [...terms];
}

function addTerm(terms: Set<string>, token: string): void {
  if (STOPWORDS.has(token)) return;
  if (/^\d+$/.test(token)) {
    if (token.length >= 2) terms.add(token);
    return;
  }
  if (token.length < 3) return;
  terms.add(stem(token));
}

/** Strips a common English ending so `failing`, `failed` and `fails` all match `fail`. */
function stem(word: string): string {
  if (word.length < 5 || !/^[a-z]+$/.test(word)) return word;
  for (const suffix of ["ing", "ies", "ed", "es", "s"]) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 4) {
      return suffix === "ies" ? `${word.slice(0, -3)}y` : word.slice(0, -suffix.length);
    }
  }
  return word;
}

/**
 * Scores each item text (already lowercased) by the summed rarity of the terms it contains.
 * Terms found in more than half of the items (and more than three) are ignored.
 */
export function relevanceScores(
  lowerTexts: readonly string[],
  terms: readonly string[],
): Float64Array {
  const n = lowerTexts.length;
  const scores = new Float64Array(n);
  const frequent = Math.max(3, n / 2);
  for (const term of terms) {
    const hits: number[] = [];
    for (let i = 0; i < n; i++) if (lowerTexts[i]!.includes(term)) hits.push(i);
    if (hits.length === 0 || hits.length > frequent) continue;
    const weight = Math.log(1 + n / hits.length) * (term.length >= 8 || /\d/.test(term) ? 1.5 : 1);
    for (const i of hits) scores[i] = scores[i]! + weight;
  }
  return scores;
}
