/**
 * The elision marker: the one place that writes and recognises the text that stands for dropped
 * content. Its `hash=` + 24 hex digits form is a public contract (README, "Retrieval"); the rest of the wording is ours.
 * @module
 */

import { sha256Hex } from "../core/sha256.ts";

/** Matches the hash inside any marker (and only the pinned form). */
const MARKER_HASH_PATTERN = /hash=([0-9a-f]{24})(?![0-9a-f])/g;

/** The store key of an original: the first 24 hex digits of the SHA-256 of its UTF-8 bytes. */
export function originalHash(
  original: string,
  sha256: (text: string) => string = sha256Hex,
): string {
  return sha256(original).slice(0, 24);
}

/** Writes the marker that replaces elided content. */
export function formatMarker(summary: string, hash: string): string {
  return `[headroom: ${summary}; the full original is available via headroom_retrieve hash=${hash}]`;
}

/** Lists the distinct hashes of every marker in `text`, in order of first appearance. */
export function markerHashes(text: string): string[] {
  const seen = new Set<string>();
  for (const match of text.matchAll(MARKER_HASH_PATTERN)) seen.add(match[1]!);
  return [...seen];
}
