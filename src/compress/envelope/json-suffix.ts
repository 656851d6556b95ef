/**
 * The tail of JSON a client cut in the middle (Codex keeps the last 20,000 bytes): it starts
 * inside some array's element and ends with the document's closing brackets. The complete
 * elements between the first comma of that array and its closing bracket parse on their own, so
 * they can be compressed as one array; the partial element before them and the brackets after
 * them stay as written. One linear pass over a tail that starts at a line start (pretty-printed
 * JSON has no raw newline inside a string, so a line start is outside strings).
 * @module
 */

/** The complete elements of an array the tail is inside, and what comes before and after them. */
export interface SuffixElements {
  readonly before: string;
  /** The elements, comma-separated, as written. */
  readonly elements: string;
  readonly after: string;
}

/** How many bracket levels below the tail's start are tracked. */
const MAX_LEVELS = 64;

export function findSuffixElements(text: string): SuffixElements | undefined {
  let i = 0;
  let depth = 0;
  // Per level: the first comma seen at that level, and whether the container at that level was
  // opened inside the tail (then it is whole, not cut).
  const firstComma = new Map<number, number>();
  const openedHere = new Set<number>();
  let best: { from: number; to: number } | undefined;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      i = stringEnd(text, i);
      if (i < 0) return undefined;
      continue;
    }
    if (c === 123 || c === 91) {
      depth++;
      openedHere.add(depth);
      firstComma.delete(depth);
    } else if (c === 125 || c === 93) {
      const comma = firstComma.get(depth);
      if (c === 93 && !openedHere.has(depth) && comma !== undefined) {
        if (!best || i - comma > best.to - best.from) best = { from: comma + 1, to: i };
      }
      openedHere.delete(depth);
      firstComma.delete(depth);
      depth--;
      if (depth < -MAX_LEVELS) return undefined;
    } else if (c === 44 && !firstComma.has(depth)) firstComma.set(depth, i);
    i++;
  }
  if (!best) return undefined;
  return {
    before: text.slice(0, best.from),
    elements: text.slice(best.from, best.to),
    after: text.slice(best.to),
  };
}

/** The index after the string starting at `from`, or -1 when the text ends inside it. */
function stringEnd(text: string, from: number): number {
  for (let i = from + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92) i++;
    else if (c === 34) return i + 1;
  }
  return -1;
}
