/**
 * Package lists from Debian's tools as tables: `dpkg -l` (three legend lines, a header, a ruler
 * of `=` whose `-` joints give the exact column bounds, then rows) and `apt list --installed`
 * (`Listing...`, then `name/suites version arch [flags]`). The legend and `Listing...` lines stay
 * verbatim ahead of the table; the ruler only pads, so dropping it loses nothing.
 * @module
 */

import type { Sample } from "./detect-sample.ts";
import type { Grid } from "./table-render.ts";

const DPKG_LEGEND = "Desired=Unknown/Install/Remove/Purge/Hold";
const DPKG_RULER = /^\+\+\+-=+(?:-=+)+$/;
/** `name/suites version arch [flags]`. */
const APT_ROW = /^[a-z0-9][a-z0-9+.-]*\/\S* \S+ \S+(?: \[[^\]]*\])?$/;
/** What apt prints on stderr when its output is not a terminal: agents capture it too. */
const APT_WARNING =
  "WARNING: apt does not have a stable CLI interface. Use with caution in scripts.";
/** Header of `apt list` rows (apt prints none; these name its fields). */
const APT_HEADER = ["Package/Suites", "Version", "Architecture", "Flags"];

/** Whether the sample is `dpkg -l` or `apt list` output. */
export function looksLikePackageList(sample: Sample): boolean {
  const lines = sample.lines;
  if (lines[0] === DPKG_LEGEND) return lines.slice(1, 6).some((line) => DPKG_RULER.test(line));
  const first = aptListing(lines);
  if (first < 0) return false;
  let rows = 0;
  let other = 0;
  for (const line of lines.slice(first + 1)) {
    if (line === "") continue;
    if (APT_ROW.test(line)) rows++;
    else other++;
  }
  return rows >= 3 && other <= rows * 0.05;
}

/** Parses `dpkg -l` or `apt list` output; undefined for anything else. */
export function parsePackageList(lines: readonly string[]): Grid | undefined {
  if (lines[0] === DPKG_LEGEND) return parseDpkg(lines);
  const listing = aptListing(lines);
  return listing < 0 ? undefined : parseAptList(lines, listing);
}

/** Where `apt list`'s `Listing...` line is, after blank lines and apt's warning; -1 if none. */
function aptListing(lines: readonly string[]): number {
  let i = 0;
  while (i < lines.length && (lines[i]!.trim() === "" || lines[i] === APT_WARNING)) i++;
  return lines[i] === "Listing..." || lines[i] === "Listing... Done" ? i : -1;
}

function parseDpkg(lines: readonly string[]): Grid | undefined {
  const rulerAt = lines.findIndex((line, i) => i < 6 && DPKG_RULER.test(line));
  if (rulerAt < 1) return undefined;
  const ruler = lines[rulerAt]!;
  const bounds: number[] = [0];
  for (let p = 0; p < ruler.length; p++) if (ruler[p] === "-") bounds.push(p + 1);
  const cut = (line: string): string[] | undefined => {
    const cells: string[] = [];
    for (let c = 0; c < bounds.length; c++) {
      const start = bounds[c]!;
      const end = c + 1 < bounds.length ? bounds[c + 1]! - 1 : line.length;
      // A joint must be blank, or the row does not follow the ruler's columns.
      if (c + 1 < bounds.length && end < line.length && line[end] !== " ") return undefined;
      cells.push(line.slice(start, end).trim());
    }
    return cells;
  };
  const header = cut(lines[rulerAt - 1]!);
  if (!header) return undefined;
  const rows: string[][] = [];
  const texts: string[] = [];
  for (const line of lines.slice(rulerAt + 1)) {
    const cells = cut(line);
    if (!cells || cells.some((cell, c) => cell === "" && c < cells.length - 1)) return undefined;
    rows.push(cells);
    texts.push(line);
  }
  if (rows.length < 3) return undefined;
  const preamble = lines.slice(0, rulerAt - 1);
  return { format: "aligned", delimiter: " ", header, rows, align: [], texts, preamble };
}

function parseAptList(lines: readonly string[], listing: number): Grid | undefined {
  const rows: string[][] = [];
  const texts: string[] = [];
  for (const line of lines.slice(listing + 1)) {
    if (!APT_ROW.test(line)) return undefined;
    const a = line.indexOf(" ");
    const b = line.indexOf(" ", a + 1);
    const c = line.indexOf(" ", b + 1);
    rows.push([
      line.slice(0, a),
      line.slice(a + 1, b),
      c < 0 ? line.slice(b + 1) : line.slice(b + 1, c),
      c < 0 ? "" : line.slice(c + 1),
    ]);
    texts.push(line);
  }
  if (rows.length < 3) return undefined;
  return {
    format: "aligned",
    delimiter: " ",
    header: [...APT_HEADER],
    rows,
    align: [],
    texts,
    preamble: lines.slice(0, listing + 1),
  };
}
