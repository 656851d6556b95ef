/**
 * Counts the items of a tool output (array elements, table rows, lines) for the retrieve
 * endpoints' original_item_count and compressed_item_count.
 * @module
 */

import { isNote } from "../compress/marker.ts";

function jsonItems(value: unknown): number {
  if (Array.isArray(value))
    return value.filter((item) => typeof item !== "string" || !isNote(item)).length;
  if (value === null || typeof value !== "object") return 1;
  const record = value as Record<string, unknown>;
  if (Array.isArray(record.$rows)) return jsonItems(record.$rows);
  let most = 1;
  for (const child of Object.values(record)) {
    if (child !== null && typeof child === "object") most = Math.max(most, jsonItems(child));
  }
  return most;
}

/** The number of items in `text`: elements of its largest JSON array, else its non-empty lines. */
export function itemCount(text: string): number {
  const trimmed = text.trim();
  if (trimmed.startsWith("[") || trimmed.startsWith("{")) {
    try {
      return jsonItems(JSON.parse(trimmed));
    } catch {
      // Not JSON after all: count lines.
    }
  }
  let lines = 0;
  for (const line of trimmed.split("\n")) if (line.trim() !== "" && !isNote(line)) lines++;
  return lines;
}
