/**
 * `ss` socket tables (`ss -tanp`, `ss -a`, ...). Their header has two-word column names ("Local
 * Address:Port"), a unix socket's address is two words ("* 56", "/run/x.sock 1234"), and rows
 * outgrow their columns, so the blank-column mask cannot split them; the fields can, knowing
 * that. A line or two of complaints before the header (`RTNETLINK answers: ...`) stays verbatim.
 * @module
 */

import type { Grid } from "./table-render.ts";

const HEADER =
  /^(Netid +)?State +Recv-Q +Send-Q +Local Address:Port +Peer Address:Port(?: *Process)? *$/;
const COUNT = /^\d+$/;
/** Lines before the header that may be an error message from ss itself. */
const MAX_PREAMBLE = 2;

/** The index of the header among the first lines, or -1. */
export function socketHeaderAt(lines: readonly string[]): number {
  for (let i = 0; i <= MAX_PREAMBLE && i < lines.length; i++) {
    if (HEADER.test(lines[i]!)) return i;
  }
  return -1;
}

/** Splits `line` at runs of spaces. */
function fields(line: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i <= line.length; i++) {
    const space = i === line.length || line.charCodeAt(i) === 32;
    if (space && start >= 0) {
      out.push(line.slice(start, i));
      start = -1;
    } else if (!space && start < 0) start = i;
  }
  return out;
}

/** Parses an `ss` table; undefined when a row does not fit its columns. */
export function parseSocketTable(lines: readonly string[]): Grid | undefined {
  const at = socketHeaderAt(lines);
  if (at < 0) return undefined;
  const netid = HEADER.exec(lines[at]!)![1] !== undefined;
  const header = [
    ...(netid ? ["Netid"] : []),
    "State",
    "Recv-Q",
    "Send-Q",
    "Local Address:Port",
    "Peer Address:Port",
    "Process",
  ];
  const rows: string[][] = [];
  const texts: string[] = [];
  for (const line of lines.slice(at + 1)) {
    const f = fields(line);
    let k = 0;
    const cells: string[] = [];
    const kind = netid ? f[k++] : undefined;
    if (kind !== undefined) cells.push(kind);
    cells.push(f[k++] ?? "", f[k++] ?? "", f[k++] ?? "");
    if (!COUNT.test(cells[cells.length - 2]!) || !COUNT.test(cells[cells.length - 1]!)) {
      return undefined;
    }
    // A unix socket's address is a path (or *) and an inode number.
    const words = kind?.startsWith("u_") ? 2 : 1;
    for (let side = 0; side < 2; side++) {
      if (k + words > f.length) return undefined;
      cells.push(f.slice(k, k + words).join(" "));
      k += words;
    }
    cells.push(f.slice(k).join(" "));
    rows.push(cells);
    texts.push(line);
  }
  if (rows.length < 3) return undefined;
  return {
    format: "aligned",
    delimiter: " ",
    header,
    rows,
    align: [],
    texts,
    preamble: lines.slice(0, at),
  };
}
