/**
 * Markdown pipe tables: read the cells (padding dropped, `\|` escapes respected) and the column
 * alignments, and write them back without the padding.
 * @module
 */

/** A parsed markdown table. */
export interface MarkdownTable {
  readonly header: string[];
  /** Per column: "", ":-", "-:" or ":-:". */
  readonly align: string[];
  readonly rows: string[][];
}

const SEPARATOR_CELL = /^:?-+:?$/;

/** Splits one `| a | b |` line into trimmed cells. */
function splitRow(line: string): string[] {
  let body = line.trim();
  if (body.startsWith("|")) body = body.slice(1);
  if (body.endsWith("|") && !body.endsWith("\\|")) body = body.slice(0, -1);
  const cells: string[] = [];
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    if (body[i] === "\\") {
      i++;
      continue;
    }
    if (body[i] === "|") {
      cells.push(body.slice(start, i).trim());
      start = i + 1;
    }
  }
  cells.push(body.slice(start).trim());
  return cells;
}

/** Parses `lines` as one markdown table with a separator line and equal-width rows. */
export function parseMarkdownTable(lines: readonly string[]): MarkdownTable | undefined {
  if (lines.length < 4) return undefined;
  if (!lines.every((line) => line.trimStart().startsWith("|"))) return undefined;
  const header = splitRow(lines[0]!);
  const separator = splitRow(lines[1]!);
  if (header.length < 2 || separator.length !== header.length) return undefined;
  if (!separator.every((cell) => SEPARATOR_CELL.test(cell))) return undefined;
  const align = separator.map((cell) => {
    const left = cell.startsWith(":");
    const right = cell.endsWith(":");
    if (left && right) return ":-:";
    if (left) return ":-";
    if (right) return "-:";
    return "-";
  });
  const rows: string[][] = [];
  for (let r = 2; r < lines.length; r++) {
    const cells = splitRow(lines[r]!);
    if (cells.length !== header.length) return undefined;
    rows.push(cells);
  }
  return { header, align, rows };
}
