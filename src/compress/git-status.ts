/**
 * `git status` (long and `--short`): consecutive entries with the same state in the same folder
 * are written once as `folder/{a,b,c}`, the shell's brace form, which loses nothing. Lossy mode
 * also cuts folders with many entries to a few names plus those that match the question.
 * @module
 */

import { SHORT_STATUS, STATUS_ENTRY } from "./detect-git.ts";
import { formatCount } from "./git-rows.ts";
import { matchesTerms, queryTerms } from "./table-query.ts";
import type { CompressContext, CompressOutput } from "./types.ts";

/** In lossy mode a folder group keeps this many names (plus matches) before it is cut. */
const NAMES_PER_FOLDER = 10;
/** Lossy mode groups entries by this many leading folders of their paths. */
const LOSSY_DEPTH = 2;
/** A lossy result must be at most this fraction of the lossless one to be worth a marker. */
const LOSSY_GAIN = 0.8;

interface Entry {
  /** Everything before the path: `\tmodified:   ` or ` M `. */
  readonly state: string;
  readonly folder: string;
  readonly name: string;
}

/**
 * Splits an entry line; undefined when its path cannot go into a brace group safely. The folder
 * is the path's own folder, or with `depth` only its first `depth` segments (lossy mode groups
 * whole subtrees such as `src/adapter/`).
 */
function parseEntry(line: string, short: boolean, depth = 0): Entry | undefined {
  let state: string;
  let path: string;
  if (short) {
    if (!SHORT_STATUS.test(line)) return undefined;
    state = line.slice(0, 3);
    path = line.slice(3);
  } else {
    if (!STATUS_ENTRY.test(line)) return undefined;
    const colon = line.indexOf(":   ");
    const at = colon < 0 ? 1 : line.indexOf(" ", colon + 1) + 1;
    let end = at;
    while (line[end] === " ") end++;
    state = line.slice(0, end);
    path = line.slice(end);
  }
  if (/[{},"\s]/.test(path) || path.includes("->")) return undefined;
  let slash = path.lastIndexOf("/", path.length - 2);
  if (depth > 0) {
    let cut = -1;
    for (let k = 0; k < depth; k++) {
      const next = path.indexOf("/", cut + 1);
      if (next < 0 || next >= path.length - 1) break;
      cut = next;
    }
    slash = cut;
  }
  return { state, folder: path.slice(0, slash + 1), name: path.slice(slash + 1) };
}

/** Compresses `git status` output; `short` for `--short`/`--porcelain`. */
export function compressGitStatus(
  lines: readonly string[],
  short: boolean,
  ctx: CompressContext,
): CompressOutput | undefined {
  const lossless = renderStatus(lines, short, { ...ctx, lossy: false });
  if (!ctx.lossy) return lossless;
  const lossy = renderStatus(lines, short, ctx);
  if (!lossy?.lossy || !lossless) return lossless;
  return lossy.text.length <= lossless.text.length * LOSSY_GAIN ? lossy : lossless;
}

function renderStatus(
  lines: readonly string[],
  short: boolean,
  ctx: CompressContext,
): CompressOutput | undefined {
  const terms = ctx.lossy ? queryTerms(ctx.query) : [];
  const depth = ctx.lossy ? LOSSY_DEPTH : 0;
  const out: string[] = [];
  let grouped = 0;
  let cutNames = 0;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const entry = parseEntry(line, short, depth);
    if (!entry) {
      out.push(line);
      i++;
      continue;
    }
    const names = [entry.name];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const next = parseEntry(lines[j]!, short, depth);
      if (!next || next.state !== entry.state || next.folder !== entry.folder) break;
      names.push(next.name);
    }
    i = j;
    if (names.length === 1) {
      out.push(line);
      continue;
    }
    grouped += names.length - 1;
    let shown = names;
    if (ctx.lossy && names.length > NAMES_PER_FOLDER + 2) {
      shown = names.filter((name, k) => k < NAMES_PER_FOLDER || matchesTerms(name, terms));
      cutNames += names.length - shown.length;
      shown = [...shown, `…${formatCount(names.length - shown.length)} more`];
    }
    out.push(`${entry.state}${entry.folder}{${shown.join(",")}}`);
  }
  if (grouped === 0) return undefined;
  if (cutNames === 0) {
    return { text: out.join("\n"), strategy: "git:status-grouped", lossy: false };
  }
  const summary = `git status: ${formatCount(cutNames)} paths in large folders left out (names matching the question kept)`;
  return { text: [...out, ctx.marker(summary)].join("\n"), strategy: "git:status", lossy: true };
}
