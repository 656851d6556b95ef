/**
 * Lossy row selection for tables: which rows survive when a long table is cut down. Kept are the
 * first and last rows, rows matching the question, and unusual rows (error-like states, rare
 * values of a mostly-constant column, the largest values of numeric columns).
 * @module
 */

import { rankRowsByTerms } from "./query-rank.ts";

/** Which rows to keep and why (each kept row is counted under its first reason). */
export interface RowSelection {
  readonly keep: Uint8Array;
  readonly edges: number;
  readonly query: number;
  readonly unusual: number;
  readonly kept: number;
}

const FIRST_ROWS = 6;
const LAST_ROWS = 3;
const MAX_QUERY_ROWS = 40;
const MAX_UNUSUAL_ROWS = 30;
const TOP_PER_NUMERIC_COLUMN = 3;

const TROUBLE =
  /\b(?:err(?:or|ors)?|fail(?:ed|ure|ing)?|crash\w*|\w*backoff|oomkilled|evicted|pending|unhealthy|terminat\w*|notready|unknown|dead|killed|panic|fatal|degraded|exited \([1-9]\d*\)|restarting)\b/i;

/** A cheap superset of TROUBLE, tried first. */
const TROUBLE_HINT =
  /err|fail|crash|backoff|oomkilled|evicted|pending|unhealthy|terminat|notready|unknown|dead|killed|panic|fatal|degraded|exited|restarting/i;

/** Columns whose numbers identify rather than measure. */
const ID_COLUMN = /^(?:pid|ppid|pgid|sid|uid|gid|id|#|no|index|port|ports|lineno|line)$/i;

const UNIT_SCALE: Record<string, number> = {
  "": 1,
  "%": 1,
  m: 1e-3,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
};

/** Reads a measurement such as `12.5`, `37%`, `250m`, `1.2Gi`, `512MB`; NaN otherwise. */
function measure(cell: string): number {
  const n = cell.length;
  if (n === 0 || n > 24) return Number.NaN;
  // Hand-rolled: this runs on every cell of every numeric-looking column.
  let i = cell.charCodeAt(0) === 45 ? 1 : 0;
  const digitsStart = i;
  let dot = false;
  while (i < n) {
    const code = cell.charCodeAt(i);
    if (code >= 48 && code <= 57) i++;
    else if (code === 46 && !dot && i > digitsStart) {
      dot = true;
      i++;
    } else break;
  }
  if (i === digitsStart || cell.charCodeAt(i - 1) === 46) return Number.NaN;
  if (i === n) return Number(cell);
  const scale = UNIT_SCALE[cell.slice(i)];
  return scale === undefined ? Number.NaN : Number(cell.slice(0, i)) * scale;
}

/** Rows holding the largest values of a numeric column (above its median). */
function topOfColumn(rows: readonly string[][], c: number): number[] {
  const n = rows.length;
  // Most columns are plainly not numeric: look at a sample before measuring everything.
  let sampleNumeric = 0;
  const probe = Math.min(n, 50);
  for (let r = 0; r < probe; r++) if (!Number.isNaN(measure(rows[r]![c]!))) sampleNumeric++;
  if (sampleNumeric < probe * 0.9) return [];
  const values = new Float64Array(n);
  let numeric = 0;
  for (let r = 0; r < n; r++) {
    const value = measure(rows[r]![c]!);
    values[r] = value;
    if (!Number.isNaN(value)) numeric++;
  }
  if (numeric < n * 0.9) return [];
  // The median of an evenly spaced sample is enough to tell high values from ordinary ones.
  const step = Math.max(1, Math.floor(n / 1000));
  const picked: number[] = [];
  for (let r = 0; r < n; r += step) if (!Number.isNaN(values[r]!)) picked.push(values[r]!);
  // A typed array sorts numerically without calling back into JS (3x faster than a comparator);
  // it may order -0 and 0 differently, which the `<=` tests below cannot tell apart.
  const sample = Float64Array.from(picked).sort();
  const median = sample[Math.floor(sample.length / 2)] ?? 0;
  // Keep a running top-K instead of sorting every row.
  const top: number[] = [];
  for (let r = 0; r < n; r++) {
    const value = values[r]!;
    if (Number.isNaN(value) || value <= median) continue;
    if (top.length === TOP_PER_NUMERIC_COLUMN && value <= values[top[top.length - 1]!]!) continue;
    let at = top.length;
    while (at > 0 && values[top[at - 1]!]! < value) at--;
    top.splice(at, 0, r);
    if (top.length > TOP_PER_NUMERIC_COLUMN) top.pop();
  }
  return top;
}

/** Marks unusual rows: trouble words, rare values of dominant columns, top numeric values. */
function unusualRows(
  header: readonly string[],
  rows: readonly string[][],
  texts: readonly string[],
): number[] {
  const n = rows.length;
  const found: number[] = [];
  const seen = new Uint8Array(n);
  const add = (r: number) => {
    if (!seen[r]) {
      seen[r] = 1;
      found.push(r);
    }
  };
  for (let r = 0; r < n; r++) {
    const text = texts[r]!;
    if (TROUBLE_HINT.test(text) && TROUBLE.test(text)) add(r);
  }
  for (let c = 0; c < header.length; c++) {
    // A column that is mostly one value: its other values stand out. The first row's value is
    // counted without a map lookup, since in such columns it is usually the common one.
    const common = rows[0]![c]!;
    let commonCount = 0;
    const others = new Map<string, number>();
    for (let r = 0; r < n && others.size <= 12; r++) {
      const value = rows[r]![c]!;
      if (value === common) commonCount++;
      else others.set(value, (others.get(value) ?? 0) + 1);
    }
    if (others.size > 0 && others.size <= 11) {
      let dominant = commonCount;
      for (const count of others.values()) dominant = Math.max(dominant, count);
      if (dominant >= n * 0.6) {
        const rare = Math.max(1, Math.floor(n * 0.1));
        for (let r = 0; r < n; r++) {
          const value = rows[r]![c]!;
          const count = value === common ? commonCount : others.get(value)!;
          if (count <= rare) add(r);
        }
      }
    }
    if (!ID_COLUMN.test(header[c]!.trim())) for (const r of topOfColumn(rows, c)) add(r);
  }
  return found.slice(0, MAX_UNUSUAL_ROWS);
}

/** Chooses the rows to keep; `terms` are the lowercase query terms, `rowTexts` the raw rows. */
export function selectRows(
  header: readonly string[],
  rows: readonly string[][],
  terms: readonly string[],
  rowTexts?: readonly string[],
): RowSelection {
  const n = rows.length;
  const keep = new Uint8Array(n);
  let edges = 0;
  let query = 0;
  let unusual = 0;
  for (let r = 0; r < n; r++) {
    if (r < FIRST_ROWS || r >= n - LAST_ROWS) {
      keep[r] = 1;
      edges++;
    }
  }
  const texts = rowTexts ?? rows.map((row) => row.join(" "));
  for (const r of rankRowsByTerms(texts, terms, MAX_QUERY_ROWS, keep)) {
    keep[r] = 1;
    query++;
  }
  for (const r of unusualRows(header, rows, texts)) {
    if (!keep[r]) {
      keep[r] = 1;
      unusual++;
    }
  }
  return { keep, edges, query, unusual, kept: edges + query + unusual };
}
