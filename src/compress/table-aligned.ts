/**
 * Splits whitespace-aligned command output (`ps aux`, `docker ps`, `kubectl get`, `df`) into
 * cells, using the character positions that are blank in every line as column gaps.
 * @module
 */

import { splitMergedColumns } from "./table-split.ts";

/** Rows of cells; the first row is the header. */
export interface AlignedTable {
  readonly header: string[];
  readonly rows: string[][];
}

/** Lines longer than this are not treated as an aligned table (keeps the mask small). */
const MAX_LINE = 4000;

/**
 * Splits `lines` (header first) into columns; undefined when they do not form a clean grid. The
 * gaps are blank in every line, so no character is lost between cells.
 */
export function parseAligned(lines: readonly string[]): AlignedTable | undefined {
  if (lines.length < 3) return undefined;
  let width = 0;
  for (const line of lines) {
    if (line.includes("\t") || line.trim() === "") return undefined;
    if (line.length > width) width = line.length;
  }
  const header = lines[0]!;
  // The header names at least two columns separated by whitespace.
  if (header.trim().split(/\s+/).length < 2) return undefined;
  // Only the first MAX_LINE characters take part in finding columns; the last column runs on.
  const maskWidth = Math.min(width, MAX_LINE);
  const used = new Uint8Array(maskWidth);
  const usedByData = new Uint8Array(maskWidth);
  for (let r = 0; r < lines.length; r++) {
    const line = lines[r]!;
    const end = Math.min(line.length, maskWidth);
    for (let p = 0; p < end; p++) {
      if (line.charCodeAt(p) !== 32) {
        used[p] = 1;
        if (r > 0) usedByData[p] = 1;
      }
    }
  }
  // Column starts: the first position of each run of used positions.
  const segments: Array<{ start: number; end: number }> = [];
  for (let p = 0; p < maskWidth; p++) {
    if (used[p] && (p === 0 || !used[p - 1])) segments.push({ start: p, end: p + 1 });
    else if (used[p]) segments[segments.length - 1]!.end = p + 1;
  }
  // A segment with no header text (a long last column's words) or no data (a header word like
  // "on" of "Mounted on") belongs to the column before it.
  const columns: Array<{ start: number; end: number }> = [];
  for (const segment of segments) {
    const headerText = header.slice(segment.start, segment.end).trim();
    let hasData = false;
    for (let p = segment.start; p < segment.end && !hasData; p++) hasData = usedByData[p] === 1;
    const previous = columns[columns.length - 1];
    if (previous && (headerText === "" || !hasData)) previous.end = segment.end;
    else columns.push({ ...segment });
  }
  if (columns.length < 2) return undefined;
  const last = columns.length - 1;
  const grid: string[][] = [];
  for (const line of lines) {
    const cells: string[] = [];
    for (let c = 0; c <= last; c++) {
      const column = columns[c]!;
      const end = c === last ? line.length : column.end;
      cells.push(line.slice(column.start, end).trim());
    }
    grid.push(cells);
  }
  const cells = splitMergedColumns(grid);
  return { header: cells[0]!, rows: cells.slice(1) };
}
