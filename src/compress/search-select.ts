/**
 * Lossy selection of search hits: hits that stand out (definitions, the question's terms) always,
 * then each shown file's best hit and the best of the rest within a budget from adaptive K, files
 * ranked by their best hit, and counts of everything left out (per file, the files not shown, and
 * in all).
 * @module
 */

import { adaptiveK } from "./log-adaptive-k.ts";
import { queryTerms } from "./log-query.ts";
import { rowText } from "./search-group.ts";
import type { ParsedSearch, SearchLine } from "./search-parse.ts";
import { scoreFile, scoreMatch } from "./search-score.ts";

/** Bounds of the number of hits kept in all. */
const MIN_KEPT = 10;
const MAX_KEPT = 40;
/** Most hits kept from one file. */
const MAX_PER_FILE = 8;
/** Files shown with their hits; further files are only named, up to MAX_NAMED. */
const MAX_FILES = 25;
const MAX_NAMED = 30;
/** Unparsed lines (tool errors, "Binary file matches") kept at the top. */
const MAX_OTHER_LINES = 10;
/** Texts longer than this are cut to a window around the question's first term. */
const LONG_TEXT = 300;
const WINDOW = 240;
/** How far above the median score a hit must be to be kept whatever the budget; how many. */
const STANDOUT_MARGIN = 0.75;
const MAX_STANDOUTS = 20;
/** Below this many hits nothing is dropped. */
const MIN_MATCHES_FOR_SELECTION = 16;

interface FileGroup {
  readonly path: string;
  readonly order: number;
  readonly matches: SearchLine[];
  readonly contexts: SearchLine[];
  readonly scores: number[];
  score: number;
}

/** The lossy rewrite's body and the marker summary, or undefined when nothing is worth dropping. */
export interface SearchSelection {
  readonly body: string;
  readonly summary: string;
}

/** Selects the hits worth keeping and writes them grouped by file. */
export function selectSearchHits(parsed: ParsedSearch, query: string): SearchSelection | undefined {
  const terms = queryTerms(query);
  const files = groupFiles(parsed.lines, terms);
  let total = 0;
  let longTexts = 0;
  const texts: string[] = [];
  for (const file of files) {
    total += file.matches.length;
    for (const m of file.matches) {
      texts.push(m.text);
      if (m.text.length > LONG_TEXT) longTexts++;
    }
  }
  if (total < MIN_MATCHES_FOR_SELECTION && longTexts === 0) return undefined;

  const budget = total < MIN_MATCHES_FOR_SELECTION ? total : adaptiveK(texts, MIN_KEPT, MAX_KEPT);
  const ranked = [...files].sort((a, b) => b.score - a.score || a.order - b.order);
  const kept = standoutHits(files);
  const shown = ranked.filter((f) => kept.has(f));
  for (const file of ranked) {
    if (shown.length >= Math.min(MAX_FILES, budget)) break;
    if (!kept.has(file)) shown.push(file);
  }
  chooseHits(shown, budget, kept);
  return render(parsed, files, kept, terms, total);
}

function groupFiles(lines: readonly SearchLine[], terms: readonly string[]): FileGroup[] {
  const byPath = new Map<string, FileGroup>();
  for (const line of lines) {
    if (line.kind !== "match" && line.kind !== "context") continue;
    let file = byPath.get(line.path);
    if (!file) {
      file = {
        path: line.path,
        order: byPath.size,
        matches: [],
        contexts: [],
        scores: [],
        score: 0,
      };
      byPath.set(line.path, file);
    }
    if (line.kind === "match") {
      file.matches.push(line);
      file.scores.push(scoreMatch(line.text, terms));
    } else file.contexts.push(line);
  }
  const files = [...byPath.values()].filter((f) => f.matches.length > 0);
  for (const file of files) {
    let best = Number.NEGATIVE_INFINITY;
    for (const score of file.scores) best = Math.max(best, score);
    file.score = scoreFile(file.path, best, file.matches.length, terms);
  }
  return files;
}

/**
 * Hits clearly better than the typical one (a definition among usages, the lines naming the
 * question's terms) are kept whatever the budget, up to MAX_STANDOUTS.
 */
function standoutHits(files: readonly FileGroup[]): Map<FileGroup, Set<number>> {
  const kept = new Map<FileGroup, Set<number>>();
  const all: number[] = [];
  for (const file of files) for (const score of file.scores) all.push(score);
  if (all.length === 0) return kept;
  all.sort((a, b) => a - b);
  const bar = all[Math.floor(all.length / 2)]! + STANDOUT_MARGIN;
  const standouts: { file: FileGroup; index: number; score: number }[] = [];
  for (const file of files) {
    file.scores.forEach((score, index) => {
      if (score >= bar) standouts.push({ file, index, score });
    });
  }
  standouts.sort((a, b) => b.score - a.score || a.file.order - b.file.order || a.index - b.index);
  for (const s of standouts.slice(0, MAX_STANDOUTS)) {
    const chosen = kept.get(s.file) ?? new Set<number>();
    chosen.add(s.index);
    kept.set(s.file, chosen);
  }
  return kept;
}

/**
 * Every file shown gets its best hit; the rest of the budget goes to the best remaining hits,
 * each further hit from the same file counting a little less, so ties spread across files.
 */
function chooseHits(
  shown: readonly FileGroup[],
  budget: number,
  kept: Map<FileGroup, Set<number>>,
): void {
  const candidates: { file: FileGroup; rank: number; index: number; score: number }[] = [];
  let used = 0;
  for (const chosen of kept.values()) used += chosen.size;
  shown.forEach((file, rank) => {
    let chosen = kept.get(file);
    if (!chosen) {
      let best = 0;
      for (let i = 1; i < file.matches.length; i++)
        if (file.scores[i]! > file.scores[best]!) best = i;
      chosen = new Set([best]);
      kept.set(file, chosen);
      used++;
    }
    file.matches.forEach((_, index) => {
      if (!chosen.has(index)) candidates.push({ file, rank, index, score: file.scores[index]! });
    });
  });
  candidates.sort((a, b) => b.score - a.score || a.rank - b.rank || a.index - b.index);
  // Diminishing returns per file: a few passes over the sorted candidates with a rising bar.
  for (let round = 1; round < MAX_PER_FILE && used < budget; round++) {
    for (const c of candidates) {
      if (used >= budget) break;
      const chosen = kept.get(c.file)!;
      if (chosen.has(c.index) || chosen.size > round) continue;
      chosen.add(c.index);
      used++;
    }
  }
}

function render(
  parsed: ParsedSearch,
  files: readonly FileGroup[],
  kept: ReadonlyMap<FileGroup, Set<number>>,
  terms: readonly string[],
  total: number,
): SearchSelection | undefined {
  const out: string[] = [];
  const others = parsed.lines.filter((l) => l.kind === "other" && l.raw.trim() !== "");
  for (const line of others.slice(0, MAX_OTHER_LINES)) out.push(line.raw);
  if (out.length > 0) out.push("");
  let keptMatches = 0;
  let contextTotal = 0;
  let contextKept = 0;
  let shortened = 0;
  const hidden: FileGroup[] = [];
  let inline = false;
  for (const file of files) {
    contextTotal += file.contexts.length;
    const chosen = kept.get(file);
    if (!chosen || chosen.size === 0) {
      hidden.push(file);
      continue;
    }
    const rows = rowsOf(file, chosen);
    contextKept += rows.length - chosen.size;
    keptMatches += chosen.size;
    const omitted = file.matches.length - chosen.size;
    const texts = rows.map((row) => {
      if (row.text.length <= LONG_TEXT) return row;
      shortened++;
      return { ...row, text: shortenText(row.text, terms) };
    });
    if (texts.length === 1 && omitted === 0 && parsed.style !== "no-line-numbers") {
      const row = texts[0]!;
      const sep = row.kind === "context" ? "-" : ":";
      if (out.length > 0 && out[out.length - 1] !== "" && !inline) out.push("");
      out.push(`${row.path}${sep}${row.lineNo}${sep}${row.text}`);
      inline = true;
      continue;
    }
    inline = false;
    if (out.length > 0 && out[out.length - 1] !== "") out.push("");
    out.push(file.path);
    for (const row of texts) out.push(rowText(row));
    if (omitted > 0) out.push(`[… ${omitted} more ${omitted === 1 ? "match" : "matches"}]`);
    out.push("");
  }
  const otherOmitted = Math.max(0, others.length - MAX_OTHER_LINES);
  const hiddenMatches = hidden.reduce((sum, f) => sum + f.matches.length, 0);
  if (hidden.length > 0) {
    const named = hidden
      .slice(0, MAX_NAMED)
      .map((f) => `${f.path} (${f.matches.length})`)
      .join(", ");
    const more = hidden.length > MAX_NAMED ? `, and ${hidden.length - MAX_NAMED} more files` : "";
    out.push(
      `[… ${hidden.length} more ${hidden.length === 1 ? "file" : "files"} with ${hiddenMatches} ${hiddenMatches === 1 ? "match" : "matches"}: ${named}${more}]`,
    );
  }
  while (out.length > 0 && out[out.length - 1] === "") out.pop();
  const contextOmitted = contextTotal - contextKept;
  if (keptMatches === total && contextOmitted === 0 && shortened === 0 && otherOmitted === 0) {
    return undefined;
  }
  const shownFiles = files.length - hidden.length;
  let summary = `${keptMatches} of ${total} matches kept from ${shownFiles} of ${files.length} files; ${total - keptMatches} omitted`;
  if (contextOmitted > 0) summary += `, with ${contextOmitted} context lines`;
  if (shortened > 0)
    summary += `; ${shortened} long ${shortened === 1 ? "line" : "lines"} shortened`;
  if (otherOmitted > 0) summary += `; ${otherOmitted} other lines omitted`;
  return { body: out.join("\n"), summary };
}

/** The kept hits of a file and the context lines right next to them, in line order. */
function rowsOf(file: FileGroup, chosen: ReadonlySet<number>): SearchLine[] {
  const rows: SearchLine[] = [];
  const near = new Set<number>();
  for (const i of chosen) {
    const n = Number(file.matches[i]!.lineNo);
    if (Number.isFinite(n)) {
      near.add(n - 1);
      near.add(n + 1);
    }
  }
  for (const i of chosen) rows.push(file.matches[i]!);
  for (const c of file.contexts) if (near.has(Number(c.lineNo))) rows.push(c);
  const position = (l: SearchLine): number => (l.lineNo === "" ? 0 : Number(l.lineNo));
  const index = new Map(file.matches.map((m, i) => [m, i] as const));
  return rows.sort(
    (a, b) => position(a) - position(b) || (index.get(a) ?? 0) - (index.get(b) ?? 0),
  );
}

/** Cuts a long text to a window around the question's first term (or its start). */
function shortenText(text: string, terms: readonly string[]): string {
  const lower = text.toLowerCase();
  let at = -1;
  for (const term of terms) {
    const found = lower.indexOf(term);
    if (found >= 0 && (at < 0 || found < at)) at = found;
  }
  let start = at < 0 ? 0 : Math.max(0, at - Math.floor(WINDOW / 3));
  let end = Math.min(text.length, start + WINDOW);
  start = safeCut(text, start);
  end = safeCut(text, end);
  const head = start > 0 ? `[…${start} chars] ` : "";
  const tail = end < text.length ? ` […${text.length - end} chars]` : "";
  return `${head}${text.slice(start, end)}${tail}`;
}

/** Moves a cut off the middle of a surrogate pair. */
function safeCut(text: string, at: number): number {
  const code = text.charCodeAt(at);
  return code >= 0xdc00 && code <= 0xdfff ? at + 1 : at;
}
