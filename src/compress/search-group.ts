/**
 * Lossless regrouping of search output by file: a file with several rows is written as its path
 * alone on a line followed by `line:text` rows (`line-text` for context lines), the layout of
 * ripgrep's --heading; a file with a single row keeps its `path:line:text` form. Separators
 * (`--`) are dropped where line numbers already show every gap.
 * @module
 */

import type { ParsedSearch, SearchLine } from "./search-parse.ts";

/** A row of a file's group, as written under its heading. */
export function rowText(line: SearchLine): string {
  if (line.lineNo === "") return line.text;
  return `${line.lineNo}${line.kind === "context" ? "-" : ":"}${line.text}`;
}

/** Rewrites parsed search output grouped by file; nothing is lost. */
export function groupByFile(parsed: ParsedSearch): string {
  const { lines, style } = parsed;
  // ripgrep --heading output is grouped already: only its separators can go.
  if (style === "heading") {
    return lines
      .filter((l) => l.kind !== "separator")
      .map((l) => l.raw)
      .join("\n");
  }
  const out: string[] = [];
  let needBlank = false;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.kind === "separator") {
      i++;
      continue;
    }
    if (line.kind !== "match" && line.kind !== "context") {
      if (needBlank && line.raw !== "") out.push("");
      out.push(line.raw);
      needBlank = false;
      i++;
      continue;
    }
    const rows: SearchLine[] = [];
    let j = i;
    while (j < lines.length) {
      const next = lines[j]!;
      if (next.kind === "separator") j++;
      else if ((next.kind === "match" || next.kind === "context") && next.path === line.path) {
        rows.push(next);
        j++;
      } else break;
    }
    if (rows.length === 1) {
      if (needBlank) out.push("");
      out.push(rows[0]!.raw);
      needBlank = false;
    } else {
      if (out.length > 0 && out[out.length - 1] !== "") out.push("");
      out.push(line.path);
      for (const row of rows) out.push(rowText(row));
      needBlank = true;
    }
    i = j;
  }
  return out.join("\n");
}
