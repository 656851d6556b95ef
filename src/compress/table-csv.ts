/**
 * Delimited tables (CSV with `,` or `;`, TSV): a quote-aware reader that insists on a rectangular
 * grid, and a writer that quotes only where the format requires it.
 * @module
 */

/** A parsed delimited table: the header row first. */
export interface DelimitedTable {
  readonly delimiter: string;
  readonly header: string[];
  readonly rows: string[][];
}

/** Reads RFC 4180 records; undefined on an unterminated quote. */
function readRecords(text: string, delimiter: string): string[][] | undefined {
  // TSV has no quoting: every line is a record and every tab a separator.
  if (delimiter === "\t") return text.split(/\r?\n/).map((line) => line.split("\t"));
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let i = 0;
  const n = text.length;
  let atFieldStart = true;
  while (i < n) {
    const c = text[i]!;
    if (atFieldStart && c === '"') {
      // Quoted field: runs to the next lone quote.
      i++;
      let value = "";
      for (;;) {
        const close = text.indexOf('"', i);
        if (close < 0) return undefined;
        value += text.slice(i, close);
        if (text[close + 1] === '"') {
          value += '"';
          i = close + 2;
          continue;
        }
        i = close + 1;
        break;
      }
      field = value;
      atFieldStart = false;
      const next = text[i];
      if (next !== undefined && next !== delimiter && next !== "\n" && next !== "\r")
        return undefined;
      continue;
    }
    if (c === delimiter) {
      record.push(field);
      field = "";
      atFieldStart = true;
      i++;
      continue;
    }
    if (c === "\n" || c === "\r") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      atFieldStart = true;
      i += c === "\r" && text[i + 1] === "\n" ? 2 : 1;
      continue;
    }
    // Unquoted field: take everything up to the next delimiter or line end at once.
    let end = i;
    while (end < n) {
      const d = text[end];
      if (d === delimiter || d === "\n" || d === "\r") break;
      end++;
    }
    field += text.slice(i, end);
    atFieldStart = false;
    i = end;
  }
  if (!atFieldStart || field !== "" || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

/** Counts `char` in the first line, outside quotes. */
function countInFirstLine(text: string, char: string): number {
  let count = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === "\n" || c === "\r")) break;
    else if (!quoted && c === char) count++;
  }
  return count;
}

/** Parses `text` as a rectangular CSV/TSV table with at least two columns and two data rows. */
export function parseDelimited(text: string): DelimitedTable | undefined {
  const candidates = ["\t", ",", ";"]
    .map((d) => ({ d, count: countInFirstLine(text, d) }))
    .filter((c) => c.count > 0)
    .sort((a, b) => b.count - a.count);
  for (const { d } of candidates) {
    const records = readRecords(text, d);
    if (!records || records.length < 3) continue;
    const width = records[0]!.length;
    if (width < 2 || !records.every((r) => r.length === width)) continue;
    return { delimiter: d, header: records[0]!, rows: records.slice(1) };
  }
  return undefined;
}

/** Writes one field, quoted only when it holds the delimiter, a quote or a line break. */
export function writeField(value: string, delimiter: string): string {
  if (delimiter === "\t") return value;
  if (
    value.includes(delimiter) ||
    value.includes('"') ||
    value.includes("\n") ||
    value.includes("\r")
  ) {
    return `"${value.replaceAll('"', '""')}"`;
  }
  return value;
}
