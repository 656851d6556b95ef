/**
 * Writes a lossy log selection: kept lines in order (exact repeats collapsed, very long lines
 * shortened), a note in place of every omitted stretch saying what it held, and the totals.
 * @module
 */

import { LineKind } from "./log-classify.ts";
import { collapseRepeats } from "./log-collapse.ts";
import type { LogSelection } from "./log-select.ts";

/** Kept lines longer than this are shortened to their head and tail. */
const LONG_LINE = 1000;
const LONG_HEAD = 600;
const LONG_TAIL = 200;

/** What a rendered selection says and what it left out. */
export interface RenderedLog {
  /** The kept lines and the omission notes, without the final marker. */
  readonly body: string;
  /** A faithful one-line account of what was omitted, for the marker. */
  readonly summary: string;
  /** Lines omitted. */
  readonly omitted: number;
}

// Omitted-line categories in the order they are reported.
const CATEGORIES = [
  "errors",
  "repeated errors",
  "warnings",
  "repeated warnings",
  "stack-frame lines",
  "info lines",
  "debug lines",
  "passing-test lines",
  "progress lines",
  "repeated summaries",
] as const;
type Category = (typeof CATEGORIES)[number];

/** "3 info lines", "1 info line". */
function counted(count: number, category: Category): string {
  if (count !== 1) return `${count} ${category}`;
  const singular = category.endsWith("lines")
    ? category.slice(0, -1)
    : category.endsWith("ies")
      ? `${category.slice(0, -3)}y`
      : category.slice(0, -1);
  return `${count} ${singular}`;
}

function categoryOf(kind: LineKind, repeated: boolean): Category | undefined {
  switch (kind) {
    case LineKind.Error:
      return repeated ? "repeated errors" : "errors";
    case LineKind.Warning:
      return repeated ? "repeated warnings" : "warnings";
    case LineKind.Trace:
      return "stack-frame lines";
    case LineKind.Debug:
      return "debug lines";
    case LineKind.Pass:
      return "passing-test lines";
    case LineKind.Noise:
      return "progress lines";
    case LineKind.Summary:
      return "repeated summaries";
    case LineKind.Blank:
      return undefined;
    default:
      return "info lines";
  }
}

/** Renders the selection; returns undefined when nothing was left out. */
export function renderSelection(
  lines: readonly string[],
  kinds: readonly LineKind[],
  selection: LogSelection,
): RenderedLog | undefined {
  const { keep, repeated } = selection;
  const n = lines.length;
  const out: string[] = [];
  const totals = new Map<Category, number>();
  let omitted = 0;
  let blankOmitted = 0;
  let shortened = 0;
  let i = 0;
  while (i < n) {
    const start = i;
    if (keep[i]) {
      while (i < n && keep[i]) i++;
      const run: string[] = [];
      for (let k = start; k < i; k++) {
        const line = lines[k]!;
        if (line.length > LONG_LINE) shortened++;
        run.push(line.length > LONG_LINE ? shortenLine(line) : line);
      }
      for (const line of collapseRepeats(run)) out.push(line);
      continue;
    }
    while (i < n && !keep[i]) i++;
    const counts = new Map<Category, number>();
    let content = 0;
    for (let k = start; k < i; k++) {
      const category = categoryOf(kinds[k]!, repeated[k] === 1);
      if (category === undefined) continue;
      counts.set(category, (counts.get(category) ?? 0) + 1);
      content++;
    }
    const note = gapNote(counts, content);
    // A lone short line costs no more than the note that would replace it.
    if (content === 1 && i - start === 1 && lines[start]!.length <= note.length) {
      out.push(lines[start]!);
      continue;
    }
    omitted += i - start;
    blankOmitted += i - start - content;
    for (const [category, count] of counts)
      totals.set(category, (totals.get(category) ?? 0) + count);
    if (content === 0) {
      if (out.length > 0 && out[out.length - 1] !== "") out.push("");
      continue;
    }
    out.push(note);
  }
  if (omitted === 0 && shortened === 0) return undefined;
  while (out.length > 0 && out[out.length - 1] === "") out.pop();
  const parts = CATEGORIES.filter((c) => totals.has(c)).map((c) => counted(totals.get(c)!, c));
  if (blankOmitted > 0) parts.push(`${blankOmitted} blank`);
  let summary = `${omitted} of ${n} lines omitted`;
  if (parts.length > 0) summary += ` (${parts.join(", ")})`;
  if (shortened > 0)
    summary += `; ${shortened} long ${shortened === 1 ? "line" : "lines"} shortened`;
  return { body: out.join("\n"), summary, omitted };
}

function gapNote(counts: ReadonlyMap<Category, number>, content: number): string {
  const parts = CATEGORIES.filter((c) => counts.has(c)).map((c) => counted(counts.get(c)!, c));
  if (parts.length === 1) return `[… ${parts[0]} omitted]`;
  return `[… ${content} lines omitted: ${parts.join(", ")}]`;
}

/** Keeps the head and tail of a very long line, cutting only between whole characters. */
function shortenLine(line: string): string {
  const head = cutPoint(line, LONG_HEAD);
  const tail = cutPoint(line, line.length - LONG_TAIL);
  return `${line.slice(0, head)} […${tail - head} chars…] ${line.slice(tail)}`;
}

/** Moves a cut off the middle of a surrogate pair. */
function cutPoint(text: string, at: number): number {
  const code = text.charCodeAt(at);
  return code >= 0xdc00 && code <= 0xdfff ? at + 1 : at;
}
