/**
 * Outputs a client cut in the middle: Codex keeps the head and tail of a long output around
 * `…N tokens truncated…` (or `…N chars truncated…`), after a `Warning: truncated output` and
 * `Total output lines: N` preamble; Claude Code keeps 5,000 characters each side of a failed
 * command's output around a `... [N characters truncated] ...` line.
 * The preamble and the cut are kept as they are; head and tail are compressed on their own.
 * @module
 */

/** A cut output: what precedes the head, the head, the cut itself, the tail. */
export interface CutOutput {
  readonly preamble: string;
  readonly head: string;
  readonly cut: string;
  readonly tail: string;
}

const PREAMBLE = /^Warning: truncated output[^\n]{0,120}\nTotal output lines: \d{1,12}\n\n/;
// The cut note's only repetition is over digits, so a search cannot backtrack.
const CUT_NOTE =
  /…\d{1,12} (?:tokens|chars|characters|lines) truncated…|\.\.\. \[\d{1,12} (?:characters|chars|lines) truncated\] \.\.\./;

/**
 * Splits `body` around its cut: the head's partial last line and the tail's partial first line
 * go with the cut note (they are halves of different lines), so head and tail are whole lines.
 */
export function splitCut(body: string): CutOutput | undefined {
  const preamble = PREAMBLE.exec(body.slice(0, 200))?.[0] ?? "";
  const rest = body.slice(preamble.length);
  const note = CUT_NOTE.exec(rest);
  if (!note) return undefined;
  const noteEnd = note.index + note[0].length;
  const headEnd = rest.lastIndexOf("\n", note.index - 1) + 1;
  const tailNl = rest.indexOf("\n", noteEnd);
  const tailStart = tailNl < 0 ? rest.length : tailNl + 1;
  return {
    preamble,
    head: rest.slice(0, headEnd),
    cut: rest.slice(headEnd, tailStart),
    tail: rest.slice(tailStart),
  };
}
