/**
 * Wording of the notes: counts with thousands separators and plurals, so summaries read well
 * and stay byte-stable (no locale-dependent formatting).
 * @module
 */

/** "1 row", "3 rows". */
export function plural(count: number, noun: string): string {
  return `${formatCount(count)} ${count === 1 ? noun : pluralOf(noun)}`;
}

/** "all 6 errors", or "the 1 error". */
export function every(count: number, noun: string): string {
  return count === 1 ? `the 1 ${noun}` : `all ${plural(count, noun)}`;
}

/** The plural of one of the nouns notes use ("row", "item", "entry"). */
export function pluralOf(noun: string): string {
  return noun.endsWith("y") ? `${noun.slice(0, -1)}ies` : `${noun}s`;
}

/** Writes a count with thousands separators (locale-independent, so output is stable). */
export function formatCount(count: number): string {
  return String(count).replace(/\B(?=(\d{3})+$)/g, ",");
}
