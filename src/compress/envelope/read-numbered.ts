/**
 * Claude Code's Read output: every line of the file as `N\t<line>`, N counting up by one from the
 * requested offset, unpadded (docs/agent-shapes.md). The numbers are not part of the file, so the
 * body is classified and compressed without them, and they are put back on the lines that stay.
 * @module
 */

import { locateLines } from "./locate-lines.ts";

/** A numbered Read split into the number of its first line and the file's lines. */
export interface NumberedRead {
  readonly first: number;
  readonly lines: string[];
}

/** Up to this many digits in a line number (a file of a billion lines is not a Read). */
const MAX_DIGITS = 9;

/**
 * Parses `text` as a numbered Read, or returns undefined unless every line carries the next
 * number. One pass, no regex: a 10 MB single line costs one indexOf.
 */
export function parseNumberedRead(text: string): NumberedRead | undefined {
  const lines: string[] = [];
  let first = -1;
  let pos = 0;
  while (pos <= text.length) {
    const tab = numberEnd(text, pos);
    if (tab < 0) return undefined;
    const n = Number(text.slice(pos, tab));
    if (first < 0) first = n;
    else if (n !== first + lines.length) return undefined;
    const nl = text.indexOf("\n", tab + 1);
    const end = nl < 0 ? text.length : nl;
    lines.push(text.slice(tab + 1, end));
    if (nl < 0) break;
    pos = nl + 1;
  }
  // A single numbered line says too little to be sure it is a Read.
  return lines.length >= 2 && first >= 1 ? { first, lines } : undefined;
}

/** The index of the tab after the digits starting at `pos`, or -1. */
function numberEnd(text: string, pos: number): number {
  let i = pos;
  while (i < text.length && i - pos <= MAX_DIGITS) {
    const c = text.charCodeAt(i);
    if (c === 9) return i > pos && text.charCodeAt(pos) !== 48 ? i : -1;
    if (c < 48 || c > 57) return -1;
    i++;
  }
  return -1;
}

/**
 * Numbers a compressed body again: a line that is one of the file's lines (found in order) gets
 * its own number; the first line the compressor wrote (an elision note, a marker, a changed line)
 * where file lines went missing gets their range, `from-to\t`, so the model can Read them with
 * offset and limit; other written lines get an empty number column (`\t…`). When the compressor
 * rewrote the text rather than picking lines (HTML made text, JSON made a table), the whole range
 * goes on the first line instead. Linear: see locateLines.
 */
export function renumber(read: NumberedRead, compressed: string): string {
  const lines = compressed.split("\n");
  const found = locateLines(read.lines, lines);
  if (rewritten(lines, found)) return wholeRange(read, lines);
  // The file position of the next kept line after each compressed line.
  const following: number[] = new Array(lines.length);
  let after = read.lines.length;
  for (let i = lines.length - 1; i >= 0; i--) {
    following[i] = after;
    if (found[i]! >= 0) after = found[i]!;
  }
  const out: string[] = [];
  let previous = -1;
  let gapShown = false;
  for (let i = 0; i < lines.length; i++) {
    const index = found[i]!;
    if (index >= 0) {
      out.push(`${read.first + index}\t${lines[i]}`);
      previous = index;
      gapShown = false;
      continue;
    }
    // Only the first written line of a gap gets the range (one evaluation per gap).
    if (!gapShown) {
      gapShown = true;
      const gapEnd = following[i]!;
      if (gapEnd > previous + 1 && !allBlank(read.lines, previous + 1, gapEnd)) {
        out.push(`${range(read.first + previous + 1, read.first + gapEnd - 1)}\t${lines[i]}`);
        continue;
      }
    }
    // An empty number column: a written line never passes for a file line (a TSV row of numbers would).
    out.push(`\t${lines[i]}`);
  }
  return out.join("\n");
}

/** Fewer than half the written non-blank lines are file lines: the compressor rewrote the text. */
function rewritten(lines: readonly string[], found: readonly number[]): boolean {
  let text = 0;
  let kept = 0;
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    text++;
    if (found[i]! >= 0) kept++;
  });
  return kept * 2 < text;
}

/** A rewritten file (HTML made text, JSON made a table): its whole range on the first line. */
function wholeRange(read: NumberedRead, lines: readonly string[]): string {
  const last = read.first + read.lines.length - 1;
  return lines
    .map((line, i) => (i === 0 ? `${read.first}-${last}\t${line}` : `\t${line}`))
    .join("\n");
}

/** Whether lines [from, to) are all blank: dropped blank lines need no range. */
function allBlank(lines: readonly string[], from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (lines[i]!.trim() !== "") return false;
  return true;
}

/** Always two numbers, even for one line, so a range never reads as a kept line's number. */
function range(from: number, to: number): string {
  return `${from}-${to}`;
}
