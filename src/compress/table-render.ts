/**
 * Writes a parsed table back in its own format without padding, with the columns that hold one
 * value in every row stated once in a `# every row:` line instead of on each row.
 * @module
 */

import { writeField } from "./table-csv.ts";

/** A table in a format-neutral shape. */
export interface Grid {
  readonly format: "csv" | "tsv" | "markdown" | "aligned";
  /** Field separator of csv/tsv. */
  readonly delimiter: string;
  readonly header: string[];
  readonly rows: string[][];
  /** Column alignments of a markdown table. */
  readonly align: string[];
  /** Each row's original line, when rows are single lines (for searching them as text). */
  readonly texts?: string[];
  /** csv/tsv: no field needs quoting, so rows are written without checking every field. */
  readonly plain?: boolean;
  /** Lines before the header that are written back verbatim (e.g. `dpkg -l`'s legend). */
  readonly preamble?: readonly string[];
}

/** Columns with the same value in every row (named, uniquely, and never all of them). */
export function constantColumns(grid: Grid): number[] {
  if (grid.rows.length < 3) return [];
  const names = new Map<string, number>();
  for (const name of grid.header) names.set(name, (names.get(name) ?? 0) + 1);
  const found: number[] = [];
  for (let c = 0; c < grid.header.length; c++) {
    const name = grid.header[c]!;
    if (name === "" || names.get(name)! > 1 || /[=,#\n]/.test(name)) continue;
    const value = grid.rows[0]![c]!;
    if (value.length > 200 || value.includes("\n")) continue;
    if (grid.rows.every((row) => row[c] === value)) found.push(c);
  }
  return found.length >= grid.header.length ? found.slice(0, grid.header.length - 1) : found;
}

/** Writes a value of the `# every row:` line, quoted when it could be misread. */
function noteValue(value: string): string {
  if (value === "" || /[,"=]|^\s|\s$/.test(value)) return JSON.stringify(value);
  return value;
}

/** Whether a cell of an aligned table needs quotes: empty, or holding spaces (unless last). */
function needsQuotes(cell: string, last: boolean): boolean {
  return cell === "" || (!last && (cell.includes(" ") || cell.includes("\t")));
}

/** A cell of an aligned table, quoted when needed. */
function alignedCell(cell: string, last: boolean): string {
  return needsQuotes(cell, last) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

/** Writes the table's header and the given rows, leaving out `dropped` columns. */
export function renderGrid(
  grid: Grid,
  rows: readonly string[][],
  dropped: readonly number[],
): string {
  const skip = new Set(dropped);
  const pick = (cells: readonly string[]) => cells.filter((_, c) => !skip.has(c));
  const out: string[] = [...(grid.preamble ?? [])];
  if (dropped.length > 0) {
    const pairs = dropped.map((c) => `${grid.header[c]}=${noteValue(grid.rows[0]![c]!)}`);
    out.push(`# every row: ${pairs.join(", ")}`);
  }
  const all = dropped.length > 0 ? [grid.header, ...rows].map(pick) : [grid.header, ...rows];
  switch (grid.format) {
    case "csv":
    case "tsv":
      for (const cells of all) {
        const fields = grid.plain ? cells : cells.map((v) => writeField(v, grid.delimiter));
        out.push(fields.join(grid.delimiter));
      }
      break;
    case "markdown": {
      const [head, ...body] = all;
      out.push(`|${head!.join("|")}|`);
      out.push(`|${pick(grid.align).join("|")}|`);
      for (const cells of body) out.push(`|${cells.join("|")}|`);
      break;
    }
    case "aligned": {
      // Tabs need no quoting; prefer them when many cells would otherwise need quotes.
      let quoted = 0;
      let total = 0;
      for (const cells of all) {
        const last = cells.length - 1;
        total += cells.length;
        for (let c = 0; c < last; c++) if (needsQuotes(cells[c]!, false)) quoted++;
        if (cells[last] === "") quoted++;
      }
      const useTabs = quoted * 4 > total;
      for (const cells of all) {
        if (useTabs || quoted === 0) {
          out.push(cells.join(useTabs ? "\t" : " "));
          continue;
        }
        out.push(cells.map((cell, c) => alignedCell(cell, c === cells.length - 1)).join(" "));
      }
      break;
    }
  }
  return out.join("\n");
}
