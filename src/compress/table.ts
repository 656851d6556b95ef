/**
 * The table compressor (CSV/TSV, markdown tables, whitespace-aligned output such as `ps aux`,
 * `docker ps`, `kubectl get`, `df`). Lossless: padding removed (aligned tables become single-space
 * separated, quoting cells that hold spaces) and constant columns stated once. Lossy: long tables
 * keep the header, first and last rows, rows matching the question and unusual rows.
 * @module
 */

import { parseAligned } from "./table-aligned.ts";
import { parseDelimited } from "./table-csv.ts";
import { parseMarkdownTable } from "./table-markdown.ts";
import { queryTerms } from "./table-query.ts";
import { constantColumns, type Grid, renderGrid } from "./table-render.ts";
import { selectRows } from "./table-select.ts";
import { compressSystemText, parseSystemTable } from "./table-system.ts";
import type { CompressContext, CompressOutput, Compressor } from "./types.ts";

/** Tables with fewer data rows are never cut. */
const MIN_ROWS_FOR_LOSSY = 20;
/** Lossy output must be at most this fraction of the lossless one to be worth a marker. */
const LOSSY_GAIN = 0.85;

/** Recognises the table format of `text`. */
export function parseTable(input: string): Grid | undefined {
  const text = trimTrailingNewlines(input);
  const lines = text.split(/\r?\n/);
  const system = parseSystemTable(lines);
  if (system) return system;
  const first = lines[0] ?? "";
  if (first.trimStart().startsWith("|")) {
    const md = parseMarkdownTable(lines);
    if (md)
      return {
        format: "markdown",
        delimiter: "|",
        header: md.header,
        rows: md.rows,
        align: md.align,
        texts: lines.slice(2),
      };
  }
  if (/[\t,;]/.test(first)) {
    const delimited = parseDelimited(text);
    if (delimited) {
      return {
        format: delimited.delimiter === "\t" ? "tsv" : "csv",
        delimiter: delimited.delimiter,
        header: delimited.header,
        rows: delimited.rows,
        align: [],
        plain: delimited.plain,
      };
    }
  }
  const aligned = parseAligned(lines);
  if (aligned)
    return {
      format: "aligned",
      delimiter: " ",
      header: aligned.header,
      rows: aligned.rows,
      align: [],
      texts: lines.slice(1),
    };
  return undefined;
}

/** `text` without its trailing line breaks (a loop: a regex anchored at $ rescans every line). */
function trimTrailingNewlines(text: string): string {
  let end = text.length;
  while (end > 0 && (text[end - 1] === "\n" || text[end - 1] === "\r")) end--;
  return text.slice(0, end);
}

function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

function compressTableText(input: string, ctx: CompressContext): CompressOutput | undefined {
  const body = trimTrailingNewlines(input);
  const tail = input.slice(body.length) === "" ? "" : "\n";
  const system = compressSystemText(body.split(/\r?\n/), ctx);
  if (system) {
    const text = system.text + tail;
    return text.length < input.length ? { ...system, text } : undefined;
  }
  const grid = parseTable(body);
  if (!grid) return undefined;
  const constant = constantColumns(grid);
  const losslessText = renderGrid(grid, grid.rows, constant) + tail;
  let best: CompressOutput | undefined =
    losslessText.length < input.length
      ? { text: losslessText, strategy: `table:${grid.format}-compact`, lossy: false }
      : undefined;
  if (!ctx.lossy || grid.rows.length < MIN_ROWS_FOR_LOSSY) return best;

  const selection = selectRows(grid.header, grid.rows, queryTerms(ctx.query), grid.texts);
  const omitted = grid.rows.length - selection.kept;
  if (omitted < 5) return best;
  const kept = grid.rows.filter((_, r) => selection.keep[r] === 1);
  const reasons = [`header, first and last ${formatCount(selection.edges)}`];
  if (selection.query > 0) reasons.push(`${formatCount(selection.query)} matching the question`);
  if (selection.unusual > 0) reasons.push(`${formatCount(selection.unusual)} unusual`);
  const summary = `${formatCount(omitted)} of ${formatCount(grid.rows.length)} table rows omitted (kept: ${reasons.join(", ")})`;
  const lossyText = `${renderGrid(grid, kept, constant)}\n${ctx.marker(summary)}${tail}`;
  const baseline = best ? best.text.length : input.length;
  if (lossyText.length <= baseline * LOSSY_GAIN) {
    best = { text: lossyText, strategy: `table:${grid.format}-rows`, lossy: true };
  }
  return best;
}

/** Compresses tabular text: padding and constant columns out, or long tables cut to key rows. */
export const compressTable: Compressor = (input, ctx) => {
  try {
    return compressTableText(input, ctx);
  } catch (error) {
    ctx.probe?.swallowed?.("table", error);
    return undefined;
  }
};
