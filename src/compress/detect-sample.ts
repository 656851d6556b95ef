/**
 * The bounded sample that line-based detection looks at: the first lines of the first 32 K
 * characters, plus the last lines of the last 8 K characters when the text goes on past the head
 * (errors and verdicts usually come last), each line cut to 1,000 characters, so detection costs
 * the same on 1 KB and on a 10 MB single line.
 * @module
 */

/** Characters of the text that the head of the sample reads. */
const SAMPLE_CHARS = 32 * 1024;
/** Lines of the head of the sample. */
export const SAMPLE_LINES = 200;
/** Characters at the end of the text that the tail of the sample reads. */
export const TAIL_CHARS = 8 * 1024;
/** Lines of the tail of the sample. */
export const TAIL_LINES = 50;
/** Longest line handed to a regex. */
export const LINE_CAP = 1000;

/** The sampled lines (without line terminators) and how many of them are not blank. */
export interface Sample {
  /**
   * The head's lines, then (when the text is longer than the head) an empty line standing for
   * the gap, then the tail's lines, so no line is ever taken as the neighbour of a line that
   * does not follow it in the text.
   */
  readonly lines: readonly string[];
  readonly nonEmpty: number;
  /** How many of `lines` belong to the head (the rest are the gap and the tail). */
  readonly headLines: number;
}

/**
 * Cuts the sample from `text` starting at `from`: a head line cut by the character limit is
 * dropped unless it is the only one, and the tail starts at a line start after the head's end.
 */
export function sampleLines(text: string, from = 0): Sample {
  const limit = Math.min(text.length, from + SAMPLE_CHARS);
  // Searching a bounded slice keeps a 10 MB line without newlines from being scanned whole.
  const head = text.slice(from, limit);
  const size = head.length;
  const lines: string[] = [];
  let nonEmpty = 0;
  let pos = 0;
  while (pos < size && lines.length < SAMPLE_LINES) {
    let nl = head.indexOf("\n", pos);
    const complete = nl >= 0;
    if (!complete) nl = size;
    if (!complete && limit < text.length && lines.length > 0) break;
    const line = cutLine(head, pos, nl);
    lines.push(line);
    if (!isBlank(line)) nonEmpty++;
    pos = nl + 1;
  }
  const headLines = lines.length;
  const tail = tailLines(text, from + Math.min(pos, size));
  if (tail.length > 0) {
    lines.push("");
    for (const line of tail) {
      lines.push(line);
      if (!isBlank(line)) nonEmpty++;
    }
  }
  return { lines, nonEmpty, headLines };
}

/** One line from `start` to `end`, cut to LINE_CAP, without its carriage return. */
function cutLine(text: string, start: number, end: number): string {
  const line = text.slice(start, Math.min(end, start + LINE_CAP));
  return line.endsWith("\r") ? line.slice(0, -1) : line;
}

/**
 * The last complete lines of the text that start at or after `headEnd` and within the last
 * TAIL_CHARS characters (trailing blank lines skipped); none when no line starts there.
 */
function tailLines(text: string, headEnd: number): string[] {
  let end = text.length;
  while (end > headEnd && isSpaceCode(text.charCodeAt(end - 1))) end--;
  if (end <= headEnd) return [];
  const windowStart = Math.max(headEnd, end - TAIL_CHARS);
  // The first line start inside the window (a head cut inside one long line ends mid-line).
  let start = windowStart;
  if (start > 0 && text.charCodeAt(start - 1) !== 10) {
    const nl = text.indexOf("\n", start);
    if (nl < 0 || nl >= end) return [];
    start = nl + 1;
  }
  const out: string[] = [];
  // Walk backwards from the end so the last lines win when the window holds more than enough.
  let lineEnd = end;
  while (lineEnd > start && out.length < TAIL_LINES) {
    const nl = text.lastIndexOf("\n", lineEnd - 1);
    const lineStart = nl < start ? start : nl + 1;
    out.push(cutLine(text, lineStart, lineEnd));
    if (nl < start) break;
    lineEnd = nl;
  }
  return out.reverse();
}

function isSpaceCode(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;
}

/** Whether a line has nothing but whitespace. */
export function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13 && c !== 12 && c !== 11) return false;
  }
  return true;
}
