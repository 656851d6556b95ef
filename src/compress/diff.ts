/**
 * The diff compressor. Every changed line is always kept, except the hunks of lock files and
 * minified bundles in lossy mode.
 *
 * Lossless means the output still applies with `git apply` wherever the input did: it drops only
 * `---`/`+++` lines that repeat the `diff --git` header, and only when an `index` or other
 * extended header line remains (git needs one of them before the first hunk). `index` lines
 * themselves stay: three-way apply and binary patches need their blob ids.
 *
 * Lossy output is for reading: context is trimmed to one line around changes with recomputed
 * hunk headers, binary payloads, the hunks of lock/minified files and the old content of deleted
 * files are dropped, and `index` lines go unless one is a file's last remaining header (so
 * trimmed patches mostly still apply).
 * The marker says what was left out.
 * @module
 */

import { isGeneratedPath } from "./diff-generated.ts";
import { countChanges, trimHunk } from "./diff-hunk.ts";
import { type DiffFile, type ParsedDiff, parseDiff, Role } from "./diff-parse.ts";
import { matchesTerms, queryTerms } from "./table-query.ts";
import type { CompressContext, CompressOutput, Compressor } from "./types.ts";

/** Unchanged lines kept on each side of a change in lossy mode (the hunk header names the spot). */
const CONTEXT_LINES = 1;
/** Gaps up to this many unchanged lines are kept rather than split into a new hunk. */
const BRIDGE_LINES = 2;
/** Lossy output must be at most this fraction of the lossless one to be worth a marker. */
const LOSSY_GAIN = 0.9;
/** Files listed by name in the marker. */
const MAX_NAMED_FILES = 4;

interface DroppedFile {
  path: string;
  added: number;
  removed: number;
}

interface RenderStats {
  omittedContext: number;
  generated: DroppedFile[];
  deleted: DroppedFile[];
  binaryPayloads: number;
  indexLines: number;
  added: number;
  removed: number;
}

/** Writes an integer with thousands separators (locale-independent, so output is stable). */
function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

function plural(n: number, word: string): string {
  return `${formatCount(n)} ${word}${n === 1 ? "" : "s"}`;
}

/** Whether the `---`/`+++` pair of `file` only repeats what its `diff --git` header says. */
function sideLinesRedundant(parsed: ParsedDiff, file: DiffFile): boolean {
  if (file.headerLine < 0 || file.minusLine < 0) return false;
  const header = parsed.lines[file.headerLine]!;
  const minus = parsed.lines[file.minusLine]!;
  const plus = parsed.lines[file.plusLine]!;
  const eol = header.endsWith("\r") ? "\r" : "";
  if (!minus.endsWith(eol) || !plus.endsWith(eol)) return false;
  const strip = (s: string) => (eol ? s.slice(0, -1) : s);
  const minusPath = strip(minus).slice(4);
  const plusPath = strip(plus).slice(4);
  const head = strip(header);
  if (head.startsWith("diff --git ")) {
    const rest = head.slice(11);
    if (minusPath !== "/dev/null" && plusPath !== "/dev/null") {
      return rest === `${minusPath} ${plusPath}`;
    }
    if (minusPath === "/dev/null" && file.newFile) {
      const aSide = rest.slice(0, rest.length - plusPath.length - 1);
      return rest.endsWith(` ${plusPath}`) && sameFileSides(aSide, plusPath);
    }
    if (plusPath === "/dev/null" && file.deletedFile) {
      const bSide = rest.slice(minusPath.length + 1);
      return rest.startsWith(`${minusPath} `) && sameFileSides(minusPath, bSide);
    }
    return false;
  }
  for (const prefix of ["diff --cc ", "diff --combined "]) {
    if (head.startsWith(prefix)) {
      const path = head.slice(prefix.length);
      return minusPath === `a/${path}` && plusPath === `b/${path}`;
    }
  }
  return false;
}

/** `a/x` and `b/x` (or `x` and `x` without prefixes) name the same file. */
function sameFileSides(a: string, b: string): boolean {
  if (a === b) return true;
  return a.length === b.length && a.length > 2 && a[1] === "/" && a.slice(2) === b.slice(2);
}

/** Whether the question points at this file (by path or by a changed line). */
function fileMatchesQuery(parsed: ParsedDiff, file: DiffFile, terms: readonly string[]): boolean {
  if (terms.length === 0) return false;
  if (matchesTerms(file.path, terms)) return true;
  for (let h = file.firstHunk; h < file.firstHunk + file.hunkCount; h++) {
    const hunk = parsed.hunks[h]!;
    for (let k = hunk.bodyStart; k < hunk.bodyEnd; k++) {
      const line = parsed.lines[k]!;
      if (line.length > 0 && line[0] !== " " && matchesTerms(line, terms)) return true;
    }
  }
  return false;
}

/** Keeps an `index` line only when its mode is unusual (executable, symlink, submodule). */
function indexLineMatters(line: string): boolean {
  const mode = line.trim().split(" ")[2];
  return mode !== undefined && mode !== "100644";
}

/** Renders the diff losslessly or lossily and reports what was left out. */
function render(parsed: ParsedDiff, lossy: boolean, terms: readonly string[]) {
  const { lines, roles, files, hunks } = parsed;
  const stats: RenderStats = {
    omittedContext: 0,
    generated: [],
    deleted: [],
    binaryPayloads: 0,
    indexLines: 0,
    added: 0,
    removed: 0,
  };
  const skipped = new Map<number, DroppedFile>();
  for (let f = 0; f < files.length; f++) {
    const file = files[f]!;
    if (!lossy || file.hunkCount === 0) continue;
    // A deleted file's old content is rarely what a reader of the diff is after.
    const generated = isGeneratedPath(file.path);
    if (!generated && !file.deletedFile) continue;
    if (fileMatchesQuery(parsed, file, terms)) continue;
    const entry = { path: file.path, added: 0, removed: 0 };
    skipped.set(f, entry);
    (generated ? stats.generated : stats.deleted).push(entry);
  }
  const drop = new Uint8Array(lines.length);
  // Index lines that must stay in lossy mode: the only header left to make the patch apply.
  const keepIndex = new Uint8Array(lines.length);
  for (let f = 0; f < files.length; f++) {
    const file = files[f]!;
    if (!sideLinesRedundant(parsed, file)) continue;
    // git apply needs some header line between `diff --git` and the first hunk.
    const otherHeader = file.indexLine >= 0 || file.extendedCount > 0;
    if (!lossy && !otherHeader) continue;
    drop[file.minusLine] = 1;
    drop[file.plusLine] = 1;
    const keepsHunks = file.hunkCount > 0 && !skipped.has(f);
    if (keepsHunks && file.extendedCount === 0 && file.indexLine >= 0)
      keepIndex[file.indexLine] = 1;
  }
  const out: string[] = [];
  let hunkIndex = 0;
  let binaryHeaderSeen = false;
  let i = 0;
  while (i < lines.length) {
    const role = roles[i]!;
    const line = lines[i]!;
    if (role === Role.HunkHeader) {
      const hunk = hunks[hunkIndex++]!;
      const changes = countChanges(lines, hunk);
      stats.added += changes.added;
      stats.removed += changes.removed;
      const entry = skipped.get(hunk.file);
      if (entry) {
        entry.added += changes.added;
        entry.removed += changes.removed;
      } else if (lossy) {
        const trimmed = trimHunk(lines, hunk, {
          context: CONTEXT_LINES,
          bridge: BRIDGE_LINES,
          terms,
        });
        stats.omittedContext += trimmed.omitted;
        for (const kept of trimmed.lines) out.push(kept);
      } else {
        for (let k = hunk.headerLine; k < hunk.bodyEnd; k++) out.push(lines[k]!);
      }
      i = hunk.bodyEnd;
      continue;
    }
    if (role === Role.FileHeader) binaryHeaderSeen = false;
    if (drop[i]) {
      i++;
      continue;
    }
    if (lossy && role === Role.Index && !keepIndex[i] && !indexLineMatters(line)) {
      stats.indexLines++;
      i++;
      continue;
    }
    if (lossy && role === Role.Binary) {
      // Keep the "GIT binary patch" line as a sign that a binary changed; drop the payload.
      if (!binaryHeaderSeen) {
        binaryHeaderSeen = true;
        stats.binaryPayloads++;
        out.push(line);
      }
      i++;
      continue;
    }
    out.push(line);
    i++;
  }
  return { text: out.join("\n"), stats };
}

/** Says what the lossy rendering left out. */
function summarise(stats: RenderStats, fileCount: number): string {
  const parts: string[] = [];
  if (stats.omittedContext > 0) {
    parts.push(`${plural(stats.omittedContext, "unchanged context line")} omitted`);
  }
  if (stats.generated.length > 0) {
    const named = stats.generated
      .slice(0, MAX_NAMED_FILES)
      .map((g) => `${g.path} +${formatCount(g.added)} -${formatCount(g.removed)}`);
    const more = stats.generated.length - named.length;
    const list = more > 0 ? `${named.join(", ")} and ${formatCount(more)} more` : named.join(", ");
    parts.push(
      `hunks of ${plural(stats.generated.length, "lock/generated file")} omitted (${list})`,
    );
  }
  if (stats.deleted.length > 0) {
    const named = stats.deleted
      .slice(0, MAX_NAMED_FILES)
      .map((g) => `${g.path} -${formatCount(g.removed)}`);
    const more = stats.deleted.length - named.length;
    const list = more > 0 ? `${named.join(", ")} and ${formatCount(more)} more` : named.join(", ");
    parts.push(`old content of ${plural(stats.deleted.length, "deleted file")} omitted (${list})`);
  }
  if (stats.binaryPayloads > 0) {
    parts.push(`binary patch data of ${plural(stats.binaryPayloads, "file")} omitted`);
  }
  if (stats.indexLines > 0) parts.push(`${plural(stats.indexLines, "index line")} omitted`);
  const kept =
    stats.generated.length + stats.deleted.length > 0
      ? "all other changed lines kept"
      : "every changed line kept";
  const totals = `${plural(fileCount, "file")}, +${formatCount(stats.added)} -${formatCount(stats.removed)}`;
  return `diff of ${totals}: ${parts.join(", ")}; ${kept}`;
}

function compressDiffText(input: string, ctx: CompressContext): CompressOutput | undefined {
  const trailingNewline = input.endsWith("\n");
  const body = trailingNewline ? input.slice(0, -1) : input;
  const parsed = parseDiff(body);
  if (!parsed) return undefined;
  const tail = trailingNewline ? "\n" : "";

  const lossless = render(parsed, false, []);
  const losslessText = lossless.text + tail;
  const losslessWins = losslessText.length < input.length;
  let best: CompressOutput | undefined = losslessWins
    ? { text: losslessText, strategy: "diff:headers", lossy: false }
    : undefined;
  if (!ctx.lossy) return best;

  const terms = queryTerms(ctx.query);
  const lossy = render(parsed, true, terms);
  const { stats } = lossy;
  const droppedSomething =
    stats.omittedContext > 0 ||
    stats.generated.length > 0 ||
    stats.deleted.length > 0 ||
    stats.binaryPayloads > 0 ||
    stats.indexLines > 0;
  if (!droppedSomething) return best;
  const marker = ctx.marker(summarise(stats, parsed.files.length));
  const lossyText = `${lossy.text}\n${marker}${tail}`;
  const baseline = best ? best.text.length : input.length;
  if (lossyText.length <= baseline * LOSSY_GAIN) {
    best = { text: lossyText, strategy: "diff:trim-context", lossy: true };
  }
  return best;
}

/** Compresses a unified diff: lossless header dedup, or lossy context trimming with a marker. */
export const compressDiff: Compressor = (input, ctx) => {
  try {
    return compressDiffText(input, ctx);
  } catch (error) {
    ctx.probe?.swallowed?.("diff", error);
    return undefined;
  }
};
