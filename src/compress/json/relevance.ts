/**
 * Relevance of array items to the user's latest question: the question's specific words
 * (identifiers, numbers, quoted phrases, content words) are looked up in each item's text, and a
 * word that most items contain counts for nothing, so only distinguishing matches select items.
 * @module
 */

import { type CompactText, JsonObject, type JsonValue } from "./json-value.ts";
import { newMeter, type WorkMeter } from "./work-meter.ts";

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
 * Scores the items of an array (serialized as `texts`) for relevance to `terms`. Rows read
 * unchanged from one document are searched for in the document's lowercased text, term by term,
 * instead of lowercasing each row; only the other items are lowercased one by one.
 */
export function itemScores(
  items: readonly JsonValue[],
  texts: readonly string[],
  terms: readonly string[],
  meter: WorkMeter = newMeter(),
): Float64Array {
  const spans = documentSpans(items);
  if (!spans) {
    return relevanceScores(
      texts.map((text) => text.toLowerCase()),
      terms,
      meter,
    );
  }
  const { lower, indices, starts, ends, others } = spans;
  const n = items.length;
  const count = indices.length;
  const otherTexts = others.map((i) => texts[i]!.toLowerCase());
  const scores = new Float64Array(n);
  const frequent = Math.max(3, n / 2);
  const last = count > 0 ? ends[count - 1]! : 0;
  for (const term of terms) {
    const hits: number[] = [];
    let row = 0;
    let at = count > 0 ? lower.indexOf(term, starts[0]!) : -1;
    while (at >= 0 && at + term.length <= last) {
      meter.steps++;
      while (ends[row]! <= at) row++;
      if (at >= starts[row]! && at + term.length <= ends[row]!) {
        hits.push(indices[row]!);
        // The row matches: go on with the next one.
        at = ++row < count ? lower.indexOf(term, starts[row]!) : -1;
      } else at = lower.indexOf(term, at + 1);
    }
    meter.steps += others.length;
    for (let k = 0; k < others.length; k++)
      if (otherTexts[k]!.includes(term)) hits.push(others[k]!);
    addWeights(scores, hits, n, frequent, term);
  }
  return scores;
}

/** Where unchanged rows sit in their document's lowercased compact text; the rest listed apart. */
interface Spans {
  readonly lower: string;
  /** The rows' indices among the items, and their spans, in document order. */
  readonly indices: number[];
  readonly starts: number[];
  readonly ends: number[];
  readonly others: number[];
}

/** The spans of the items that are unchanged objects of one document, in order. */
function documentSpans(items: readonly JsonValue[]): Spans | undefined {
  let source: CompactText | undefined;
  for (const item of items) {
    if (item instanceof JsonObject && item.source) {
      source = item.source;
      break;
    }
  }
  const lower = source?.lower;
  if (lower === undefined) return undefined;
  const spans: Spans = { lower, indices: [], starts: [], ends: [], others: [] };
  let previousEnd = 0;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item instanceof JsonObject && item.source === source && item.start >= previousEnd) {
      spans.indices.push(i);
      spans.starts.push(item.start);
      spans.ends.push(item.end);
      previousEnd = item.end;
    } else spans.others.push(i);
  }
  return spans;
}

function addWeights(
  scores: Float64Array,
  hits: readonly number[],
  n: number,
  frequent: number,
  term: string,
): void {
  if (hits.length === 0 || hits.length > frequent) return;
  const weight = Math.log(1 + n / hits.length) * (term.length >= 8 || /\d/.test(term) ? 1.5 : 1);
  for (const i of hits) scores[i] = scores[i]! + weight;
}

/**
 * Scores each item text (already lowercased) by the summed rarity of the terms it contains.
 * Terms found in more than half of the items (and more than three) are ignored.
 */
export function relevanceScores(
  lowerTexts: readonly string[],
  terms: readonly string[],
  meter: WorkMeter = newMeter(),
): Float64Array {
  const n = lowerTexts.length;
  const scores = new Float64Array(n);
  const frequent = Math.max(3, n / 2);
  for (const term of terms) {
    const hits: number[] = [];
    meter.steps += n;
    for (let i = 0; i < n; i++) if (lowerTexts[i]!.includes(term)) hits.push(i);
    addWeights(scores, hits, n, frequent, term);
  }
  return scores;
}
