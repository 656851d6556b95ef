/**
 * Recognises tables: markdown tables, CSV/TSV-style delimited rows, and the whitespace-aligned
 * tables that commands print under an upper-case header (ps aux, docker ps, kubectl get, df -h).
 * @module
 */

import { isBlank, type Sample } from "./detect-sample.ts";

/** Whether the sample's non-blank lines form a table. */
export function looksLikeTable(sample: Sample): boolean {
  const rows = sample.lines.filter((line) => !isBlank(line));
  if (rows.length < 3) return false;
  return isMarkdownTable(rows) || isDelimitedTable(rows) || isAlignedTable(rows);
}

/** A "|---|---|" separator row and most rows holding pipes. */
function isMarkdownTable(rows: readonly string[]): boolean {
  let separator = false;
  let piped = 0;
  for (const row of rows) {
    if (row.includes("|")) piped++;
    if (!separator && isSeparatorRow(row)) separator = true;
  }
  return separator && piped >= rows.length * 0.6;
}

function isSeparatorRow(row: string): boolean {
  let pipes = 0;
  let dashes = 0;
  for (let i = 0; i < row.length; i++) {
    const c = row.charCodeAt(i);
    if (c === 124) pipes++;
    else if (c === 45) dashes++;
    else if (c !== 58 && c !== 32 && c !== 9) return false;
  }
  return pipes >= 1 && dashes >= 3;
}

/** Delimiters tried, with the fewest delimiters a row needs (a single comma is too common). */
const DELIMITERS: readonly [number, number][] = [
  [9, 1], // tab
  [44, 2], // comma
  [59, 2], // semicolon
  [124, 2], // pipe
];

/**
 * Delimited records under a header row of column names ("date,sku,store,units,revenue"): such a
 * text is a table even where its rows would also pass for paths or log lines, so this is checked
 * before the listing and log rules.
 */
export function looksLikeHeadedTable(sample: Sample): boolean {
  const rows = sample.lines.filter((line) => !isBlank(line));
  if (rows.length < 4) return false;
  return isDelimitedTable(rows, true);
}

/**
 * Rows with the same number of delimiters (outside double quotes), at least 85% of them,
 * starting flush left and not ending like code statements, with short cells (not prose); with
 * `headed`, the first row must also name the columns.
 */
function isDelimitedTable(rows: readonly string[], headed = false): boolean {
  for (const [delimiter, minimum] of DELIMITERS) {
    const header = countDelimiters(rows[0] ?? "", delimiter);
    if (header < minimum) continue;
    if (headed && !isHeaderRow(rows[0] ?? "", delimiter)) continue;
    let same = 0;
    let codeLike = 0;
    let words = 0;
    for (const row of rows) {
      if (countDelimiters(row, delimiter) === header) same++;
      if (looksLikeStatement(row)) codeLike++;
      words += countWords(row);
    }
    const cells = rows.length * (header + 1);
    if (same >= rows.length * 0.85 && codeLike <= rows.length * 0.1 && words / cells <= 4) {
      return true;
    }
  }
  return false;
}

/** Longest column name, and most words in one, that a header row may hold. */
const HEADER_CELL_CHARS = 64;
const HEADER_CELL_WORDS = 5;

/**
 * Column names: every cell non-empty, short, of few words, starting with a letter, "_", "#", "%"
 * or a quote (not a digit, so data rows and timestamps are not headers), and mostly distinct.
 */
function isHeaderRow(row: string, delimiter: number): boolean {
  const cells: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i <= row.length; i++) {
    const c = i < row.length ? row.charCodeAt(i) : delimiter;
    if (c === 34) quoted = !quoted;
    else if (c === delimiter && (!quoted || i === row.length)) {
      cells.push(row.slice(start, i).trim());
      start = i + 1;
    }
  }
  for (const cell of cells) {
    if (cell.length === 0 || cell.length > HEADER_CELL_CHARS) return false;
    if (countWords(cell) > HEADER_CELL_WORDS) return false;
    const first = cell.codePointAt(cell.charCodeAt(0) === 34 ? 1 : 0) ?? 0;
    const letter = (first | 32) >= 97 && (first | 32) <= 122;
    if (!letter && first !== 95 && first !== 35 && first !== 37 && first < 0xc0) return false;
  }
  return new Set(cells.map((cell) => cell.toLowerCase())).size >= cells.length * 0.8;
}

function countDelimiters(row: string, delimiter: number): number {
  let count = 0;
  let quoted = false;
  for (let i = 0; i < row.length; i++) {
    const c = row.charCodeAt(i);
    if (c === 34) quoted = !quoted;
    else if (c === delimiter && !quoted) count++;
  }
  return count;
}

/** Indented, or ending with ; { ( or , as code and argument lists do. */
function looksLikeStatement(row: string): boolean {
  const first = row.charCodeAt(0);
  if (first === 32 || first === 9) return true;
  const last = row.charCodeAt(row.length - 1);
  return last === 59 || last === 123 || last === 40 || last === 44;
}

function countWords(row: string): number {
  let words = 0;
  let inWord = false;
  for (let i = 0; i < row.length; i++) {
    const c = row.charCodeAt(i);
    const space = c === 32 || c === 9;
    if (!space && !inWord) words++;
    inWord = !space;
  }
  return words;
}

/**
 * An upper-case or capitalised header of at least three columns, and data rows whose cells line
 * up with the header columns (left edges for text columns, right edges for numbers).
 */
function isAlignedTable(rows: readonly string[]): boolean {
  const header = rows[0] ?? "";
  const columns = headerColumns(header);
  if (columns.length < 3) return false;
  let capitalised = 0;
  for (const [start] of columns) {
    const c = header.charCodeAt(start);
    const first = c === 37 || c === 35 ? header.charCodeAt(start + 1) : c; // "%CPU", "#"
    if (first >= 65 && first <= 90) capitalised++;
  }
  if (capitalised < columns.length * 0.7) return false;
  const data = rows.slice(1);
  let aligned = 0;
  for (const [start, end] of columns.slice(1)) {
    let hits = 0;
    for (const row of data) {
      const leftEdge = isSpace(row, start - 1) && !isSpace(row, start);
      const rightEdge = !isSpace(row, end - 1) && isSpace(row, end);
      if (leftEdge || rightEdge) hits++;
    }
    if (hits >= data.length * 0.7) aligned++;
  }
  return aligned >= (columns.length - 1) * 0.6;
}

/** [start, end) of each whitespace-separated header word. */
function headerColumns(header: string): [number, number][] {
  const columns: [number, number][] = [];
  let start = -1;
  for (let i = 0; i <= header.length; i++) {
    const space = i === header.length || isSpace(header, i);
    if (!space && start < 0) start = i;
    if (space && start >= 0) {
      columns.push([start, i]);
      start = -1;
    }
  }
  return columns;
}

/** A position past the end of the row counts as space. */
function isSpace(row: string, i: number): boolean {
  if (i < 0 || i >= row.length) return true;
  const c = row.charCodeAt(i);
  return c === 32 || c === 9;
}
