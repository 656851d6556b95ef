/**
 * Which listing entries the user's question asks for, best first: entries that contain more of
 * the question's terms, then those whose own name (not only a folder above them) holds a term,
 * then exact names, then shallower paths. Collapsing keeps the best few of them visible even
 * inside folders it folds, so "where is the hono package.json?" still shows that one file.
 * @module
 */

import type { ListingEntry } from "./listing-parse.ts";

/** How well one entry matches the question. */
export interface QueryMatch {
  readonly index: number;
  /** Distinct terms found anywhere in the entry's path. */
  readonly terms: number;
  /** Terms found in the entry's own name (a match that reaches into its last segment). */
  readonly nameTerms: number;
  /** Whether the name equals a term ("package.json"). */
  readonly exact: boolean;
}

/** Paths longer than this are matched on their first part only (keeps matching linear). */
const MATCH_CHARS = 4096;

/** The entries holding at least one term, best match first (ties keep listing order). */
export function rankQueryMatches(
  entries: readonly ListingEntry[],
  terms: readonly string[],
): QueryMatch[] {
  if (terms.length === 0) return [];
  const matches: QueryMatch[] = [];
  for (let index = 0; index < entries.length; index++) {
    const entry = entries[index]!;
    const key = entry.key.length > MATCH_CHARS ? entry.key.slice(0, MATCH_CHARS) : entry.key;
    const path = key.toLowerCase();
    const last = entry.segments[entry.segments.length - 1] ?? "";
    const nameStart = entry.key.length - last.length;
    let hits = 0;
    let nameTerms = 0;
    for (const term of terms) {
      const at = path.lastIndexOf(term);
      if (at < 0) continue;
      hits++;
      if (at + term.length > nameStart) nameTerms++;
    }
    if (hits === 0) continue;
    const name = stripSlash(last.toLowerCase());
    matches.push({ index, terms: hits, nameTerms, exact: terms.includes(name) });
  }
  matches.sort(
    (a, b) =>
      b.terms - a.terms ||
      b.nameTerms - a.nameTerms ||
      Number(b.exact) - Number(a.exact) ||
      entries[a.index]!.segments.length - entries[b.index]!.segments.length ||
      a.index - b.index,
  );
  return matches;
}

function stripSlash(name: string): string {
  return name.endsWith("/") ? name.slice(0, -1) : name;
}
