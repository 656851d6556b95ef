/**
 * Undoes a merge of aligned columns. `ps aux` shifts a row right when a number is wider than its
 * column (a 7-digit VSZ), so no character position is blank in every row between, say, RSS and
 * TTY, and the two columns come out as one whose header reads "RSS TTY". When every row holds
 * exactly as many words in such a column as its header does, the words are the cells.
 * @module
 */

/** Splits merged columns of `grid` (header first, rows after); the last column is never split. */
export function splitMergedColumns(grid: string[][]): string[][] {
  const header = grid[0]!;
  const last = header.length - 1;
  const widths: number[] = [];
  let changed = false;
  for (let c = 0; c < header.length; c++) {
    const words = c === last ? 1 : wordCount(header[c]!);
    const split = words > 1 && grid.every((row) => wordCount(row[c]!) === words);
    widths.push(split ? words : 1);
    if (split) changed = true;
  }
  if (!changed) return grid;
  const out: string[][] = [];
  for (const row of grid) {
    const cells: string[] = [];
    for (let c = 0; c < row.length; c++) {
      if (widths[c]! > 1) pushWords(row[c]!, cells);
      else cells.push(row[c]!);
    }
    out.push(cells);
  }
  return out;
}

/** Appends the space-separated words of `cell` to `out`. */
function pushWords(cell: string, out: string[]): void {
  let start = -1;
  for (let i = 0; i <= cell.length; i++) {
    const space = i === cell.length || cell.charCodeAt(i) === 32;
    if (space && start >= 0) {
      out.push(cell.slice(start, i));
      start = -1;
    } else if (!space && start < 0) start = i;
  }
}

function wordCount(cell: string): number {
  let count = 0;
  let inWord = false;
  for (let i = 0; i < cell.length; i++) {
    const space = cell.charCodeAt(i) === 32;
    if (!space && !inWord) count++;
    inWord = !space;
  }
  return count;
}
