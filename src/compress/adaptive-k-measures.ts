/**
 * The two measures adaptive K takes of a list of (lowercased, cut) item texts: how many distinct
 * items there are once digits and blanks are normalised, and how many distinct adjacent word pairs
 * have been seen after each item. Both come from a scan of each text's characters with hashes
 * checked against the content, instead of a normalised string per item and a concatenated string
 * per word pair (building and hashing those was most of the compression time of search results
 * and a third of that of logs). The results are exactly those of the string versions.
 * @module
 */

import { WORD_HASH_PRIME, WORD_HASH_SEED, WordIds } from "./word-ids.ts";

/** The form items are compared in: digit runs become "0", blank runs one space, ends trimmed. */
export function normaliseItem(text: string): string {
  return text.replace(/\d+/g, "0").replace(/\s+/g, " ").trim();
}

/** How many distinct normaliseItem(text) there are among `texts`. */
export function countDistinctItems(texts: readonly string[]): number {
  // Only texts whose hashes meet are normalised and compared; null: that hash's are in `exact`.
  const firstByHash = new Map<number, string | null>();
  const exact = new Set<string>();
  let count = 0;
  for (const text of texts) {
    const hash = normalisedHash(text);
    const first = firstByHash.get(hash);
    if (first === undefined) {
      firstByHash.set(hash, text);
      count++;
      continue;
    }
    if (first !== null) {
      exact.add(normaliseItem(first));
      firstByHash.set(hash, null);
    }
    const key = normaliseItem(text);
    if (!exact.has(key)) {
      exact.add(key);
      count++;
    }
  }
  return count;
}

/** The FNV-1a hash of normaliseItem(text)'s UTF-16 units, without building it. */
function normalisedHash(text: string): number {
  let hash = WORD_HASH_SEED;
  let started = false; // something was written: blanks before it are trimmed
  let blank = false; // a blank run is pending: written as one space if anything follows
  let digit = false; // inside a digit run, written as one "0"
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isBlank(c)) {
      blank = started;
      digit = false;
      continue;
    }
    if (blank) {
      hash = Math.imul(hash ^ 32, WORD_HASH_PRIME);
      blank = false;
    }
    started = true;
    if (c >= 48 && c <= 57) {
      if (digit) continue;
      digit = true;
      hash = Math.imul(hash ^ 48, WORD_HASH_PRIME);
    } else {
      digit = false;
      hash = Math.imul(hash ^ c, WORD_HASH_PRIME);
    }
  }
  return hash;
}

/**
 * After each text, how many distinct adjacent word pairs (words split at blanks) were seen; a
 * text of one word counts that word alone.
 */
export function wordPairCurve(texts: readonly string[]): number[] {
  return pairCurveByIds(texts) ?? pairCurveByStrings(texts);
}

/** A pair of word ids as one number; ids stay below 2^21 (4,000 texts of at most 150 words). */
const PAIR_BASE = 2 ** 21;
const NO_WORD = PAIR_BASE - 1;

/** wordPairCurve on numbered words; undefined if a word holds U+0000 (see pairCurveByStrings). */
function pairCurveByIds(texts: readonly string[]): number[] | undefined {
  const ids = new WordIds();
  const pairs = new Set<number>();
  const curve: number[] = [];
  for (const text of texts) {
    let previous = -1;
    let words = 0;
    let start = -1;
    let hash = 0;
    for (let i = 0; i <= text.length; i++) {
      const c = i < text.length ? text.charCodeAt(i) : 32;
      if (!isBlank(c)) {
        if (c === 0) return undefined;
        if (start < 0) {
          start = i;
          hash = WORD_HASH_SEED;
        }
        hash = Math.imul(hash ^ c, WORD_HASH_PRIME);
        continue;
      }
      if (start < 0) continue;
      const id = ids.id(text, start, i, hash);
      if (previous >= 0) pairs.add(previous * PAIR_BASE + id);
      previous = id;
      words++;
      start = -1;
    }
    if (words === 1) pairs.add(previous * PAIR_BASE + NO_WORD);
    curve.push(pairs.size);
  }
  return curve;
}

/**
 * The original definition, on "word\0word" keys. It is kept for texts holding U+0000, where such
 * keys can coincide for different pairs and numbered pairs would count them apart.
 */
function pairCurveByStrings(texts: readonly string[]): number[] {
  const pairs = new Set<string>();
  const curve: number[] = [];
  for (const text of texts) {
    const words = text.split(/\s+/).filter((w) => w !== "");
    if (words.length === 1) pairs.add(`${words[0]}\u0000`);
    for (let w = 0; w + 1 < words.length; w++) pairs.add(`${words[w]}\u0000${words[w + 1]}`);
    curve.push(pairs.size);
  }
  return curve;
}

/** What the regex class \s (and String.prototype.trim) treats as blank. */
export function isBlank(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}
