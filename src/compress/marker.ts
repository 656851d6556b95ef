/**
 * The elision marker: the one place that writes and recognises the text that stands for dropped
 * content. Its `hash=` + 24 hex digits form is a public contract (README, "Retrieval"); the rest
 * of the wording is ours. Everything that looks for markers or hashes asks this module.
 * @module
 */

import { sha256Hex } from "../core/sha256.ts";

// A store key: the first 24 hex digits of a SHA-256, lowercase.
const HASH = "[0-9a-f]{24}";
const EXACT_HASH = new RegExp(`^${HASH}$`);
const ANY_HASH = new RegExp(HASH);
// Every marker ends with this; the pre-check spares text without markers (most of it) the regex.
const MARKER_TAIL = "headroom_retrieve hash=";
// The one recogniser: the tail and a hash; a 25th hex digit means some other hash, not ours.
const MARKER_SOURCE = `${MARKER_TAIL}(${HASH})(?![0-9a-f])`;
const FIRST_MARKER = new RegExp(MARKER_SOURCE);
const EVERY_MARKER = new RegExp(MARKER_SOURCE, "g");

/** How every note headroom writes into an output begins, whether or not it is a marker. */
export const NOTE_OPENING = "[headroom: ";

/** The store key of an original: the first 24 hex digits of the SHA-256 of its UTF-8 bytes. */
export function originalHash(
  original: string,
  sha256: (text: string) => string = sha256Hex,
): string {
  return sha256(original).slice(0, 24);
}

/** Writes the marker that replaces elided content. */
export function formatMarker(summary: string, hash: string): string {
  return `${NOTE_OPENING}${summary}; the full original is available via ${MARKER_TAIL}${hash}]`;
}

/** Writes a note with nothing to retrieve behind it (a remark beside a marker elsewhere). */
export function formatNote(summary: string): string {
  return `${NOTE_OPENING}${summary}]`;
}

/** True when `text` (a line, an array item) is one of headroom's notes. */
export function isNote(text: string): boolean {
  return text.startsWith(NOTE_OPENING);
}

/** True when `text` carries at least one marker. */
export function carriesMarker(text: string): boolean {
  return text.includes(MARKER_TAIL) && FIRST_MARKER.test(text);
}

/** Lists the distinct hashes of every marker in `text`, in order of first appearance. */
export function markerHashes(text: string): string[] {
  if (!text.includes(MARKER_TAIL)) return [];
  const seen = new Set<string>();
  for (const match of text.matchAll(EVERY_MARKER)) seen.add(match[1]!);
  return [...seen];
}

/** True when `value` is exactly a store key (24 lowercase hex digits). */
export function isOriginalHash(value: string): boolean {
  return EXACT_HASH.test(value);
}

/** The first run of 24 hex digits in `value`, any case, lowercased; undefined when none. */
export function findOriginalHash(value: string): string | undefined {
  return ANY_HASH.exec(value.toLowerCase())?.[0];
}
