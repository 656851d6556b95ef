/**
 * The search-results compressor, for grep / ripgrep / ag output. Lossless: hits grouped by file,
 * the path written once above its `line:text` rows. Lossy: the best hits for the question (its
 * terms, definitions, errors) spread over the best files, with counts of what was left out per
 * file and overall, and a marker for the original.
 * @module
 */

import { groupByFile } from "./search-group.ts";
import { parseSearchOutput } from "./search-parse.ts";
import { selectSearchHits } from "./search-select.ts";
import type { CompressContext, CompressOutput, Compressor } from "./types.ts";

/** A lossy rewrite must beat the lossless one by this share and this many characters. */
const LOSSY_MIN_GAIN_RATIO = 0.15;
const LOSSY_MIN_GAIN_CHARS = 300;

/** Compresses grep-style search results. */
export const compressSearch: Compressor = (input, ctx) => {
  try {
    return compress(input, ctx);
  } catch (error) {
    ctx.probe?.swallowed?.("search", error);
    return undefined;
  }
};

function compress(input: string, ctx: CompressContext): CompressOutput | undefined {
  if (input.length === 0) return undefined;
  const parsed = parseSearchOutput(input);
  if (parsed === undefined) return undefined;
  const grouped = groupByFile(parsed);
  const groupedBetter = grouped.length < input.length;
  if (ctx.lossy) {
    const selection = selectSearchHits(parsed, ctx.query);
    if (selection !== undefined) {
      const text = `${selection.body}\n${ctx.marker(selection.summary)}`;
      const baseline = groupedBetter ? grouped.length : input.length;
      if (
        text.length <= baseline * (1 - LOSSY_MIN_GAIN_RATIO) &&
        baseline - text.length >= LOSSY_MIN_GAIN_CHARS
      ) {
        return { text, strategy: "search:select", lossy: true };
      }
    }
  }
  if (!groupedBetter) return undefined;
  return { text: grouped, strategy: "search:group", lossy: false };
}
