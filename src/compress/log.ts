/**
 * The log compressor, for build, test, install and application output. Lossless: the terminal's
 * final text (no colour codes or progress redraws) with exact repeats written once plus a count.
 * Lossy: errors with their stack traces and code frames, failing tests with their assertion
 * diffs, distinct warnings, summaries, first and last lines and lines about the question, with a
 * note in place of each omitted stretch and a marker for the original.
 * @module
 */

import { classifyLines } from "./log-classify.ts";
import { terminalLines } from "./log-clean.ts";
import { collapseRepeats } from "./log-collapse.ts";
import { renderSelection } from "./log-render.ts";
import { selectLogLines } from "./log-select.ts";
import type { CompressContext, CompressOutput, Compressor } from "./types.ts";

/** Below this many lines (unless the text is long) a lossy selection is not attempted. */
const MIN_LINES_FOR_SELECTION = 8;
const MIN_CHARS_FOR_SELECTION = 4000;
/** A lossy rewrite must beat the lossless one by this share and this many characters. */
const LOSSY_MIN_GAIN_RATIO = 0.2;
const LOSSY_MIN_GAIN_CHARS = 300;

/** Compresses build, test and application logs. */
export const compressLog: Compressor = (input, ctx) => {
  try {
    return compress(input, ctx);
  } catch (error) {
    ctx.probe?.swallowed?.("log", error);
    return undefined;
  }
};

function compress(input: string, ctx: CompressContext): CompressOutput | undefined {
  if (input.length === 0) return undefined;
  const lines = terminalLines(input);
  const lossless = collapseRepeats(lines).join("\n");
  const losslessBetter = lossless.length < input.length;
  if (
    ctx.lossy &&
    (lines.length >= MIN_LINES_FOR_SELECTION || input.length >= MIN_CHARS_FOR_SELECTION)
  ) {
    const lossy = selectLossy(lines, ctx);
    const baseline = losslessBetter ? lossless.length : input.length;
    if (
      lossy !== undefined &&
      lossy.length <= baseline * (1 - LOSSY_MIN_GAIN_RATIO) &&
      baseline - lossy.length >= LOSSY_MIN_GAIN_CHARS
    ) {
      return { text: lossy, strategy: "log:select", lossy: true };
    }
  }
  if (!losslessBetter) return undefined;
  return { text: lossless, strategy: "log:collapse", lossy: false };
}

function selectLossy(lines: string[], ctx: CompressContext): string | undefined {
  const kinds = classifyLines(lines);
  const selection = selectLogLines(lines, kinds, ctx.query);
  const rendered = renderSelection(lines, kinds, selection);
  if (rendered === undefined) return undefined;
  return `${rendered.body}\n${ctx.marker(rendered.summary)}`;
}
