/**
 * The bounded sample that line-based detection looks at: the first lines of the first 32 K
 * characters, each cut to 1,000 characters, so detection costs the same on 1 KB and on a 10 MB
 * single line.
 * @module
 */

/** Characters of the text that detection reads. */
export const SAMPLE_CHARS = 32 * 1024;
/** Lines of the sample that detection reads. */
export const SAMPLE_LINES = 200;
/** Longest line handed to a regex. */
export const LINE_CAP = 1000;

/** The sampled lines (without line terminators) and how many of them are not blank. */
export interface Sample {
  readonly lines: readonly string[];
  readonly nonEmpty: number;
}

/** Cuts the sample: a last line cut by the character limit is dropped unless it is the only one. */
export function sampleLines(text: string): Sample {
  const limit = Math.min(text.length, SAMPLE_CHARS);
  const head = limit < text.length ? text.slice(0, limit) : text;
  const lines: string[] = [];
  let nonEmpty = 0;
  let pos = 0;
  while (pos < limit && lines.length < SAMPLE_LINES) {
    let nl = head.indexOf("\n", pos);
    const complete = nl >= 0;
    if (!complete) nl = limit;
    if (!complete && limit < text.length && lines.length > 0) break;
    let line = head.slice(pos, Math.min(nl, pos + LINE_CAP));
    if (line.endsWith("\r")) line = line.slice(0, -1);
    lines.push(line);
    if (!isBlank(line)) nonEmpty++;
    pos = nl + 1;
  }
  return { lines, nonEmpty };
}

/** Whether a line has nothing but whitespace. */
export function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13 && c !== 12 && c !== 11) return false;
  }
  return true;
}
