/**
 * `git status` (long and `--short`): a run of entries in the same state is written as one state
 * label followed by the paths, several to a line, instead of the label on every line. Paths stay
 * whole, so each can be searched for and pasted back; nothing is lost. Lossy mode also cuts a long
 * run to its first and last paths plus those matching the question.
 * @module
 */

import { SHORT_STATUS, STATUS_ENTRY } from "./detect-git.ts";
import { formatCount, keepRows } from "./git-rows.ts";
import { queryTerms } from "./table-query.ts";
import type { CompressContext, CompressOutput } from "./types.ts";

/** Paths written on one line of a run. */
const PATHS_PER_LINE = 8;
/** Paths a lossy run keeps: first, last, and matches in between. */
const RUN_BUDGET = { head: 20, tail: 5, matches: 20 };
/** A lossy result must be at most this fraction of the lossless one to be worth a marker. */
const LOSSY_GAIN = 0.8;

interface Entry {
  /** Everything before the path: `\tmodified:   ` or ` M `. */
  readonly state: string;
  readonly path: string;
}

/** Splits an entry line; undefined when its path holds a space, a quote or an arrow. */
function parseEntry(line: string, short: boolean): Entry | undefined {
  let state: string;
  let path: string;
  if (short) {
    if (!SHORT_STATUS.test(line)) return undefined;
    state = line.slice(0, 3);
    path = line.slice(3);
  } else {
    if (!STATUS_ENTRY.test(line)) return undefined;
    const colon = line.indexOf(":   ");
    let end = colon < 0 ? 1 : colon + 2;
    while (line[end] === " ") end++;
    state = line.slice(0, end);
    path = line.slice(end);
  }
  if (/[\s"]/.test(path) || path.includes("->")) return undefined;
  return { state, path };
}

/** Writes one run of paths under its state label. */
function renderRun(state: string, paths: readonly string[], out: string[]): void {
  for (let i = 0; i < paths.length; i += PATHS_PER_LINE) {
    out.push(`${state}${paths.slice(i, i + PATHS_PER_LINE).join(" ")}`);
  }
}

function renderStatus(
  lines: readonly string[],
  short: boolean,
  ctx: CompressContext,
): { text: string; joined: number; cut: number } {
  const terms = ctx.lossy ? queryTerms(ctx.query) : [];
  const out: string[] = [];
  let joined = 0;
  let cut = 0;
  let i = 0;
  while (i < lines.length) {
    const entry = parseEntry(lines[i]!, short);
    if (!entry) {
      out.push(lines[i]!);
      i++;
      continue;
    }
    const paths = [entry.path];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const next = parseEntry(lines[j]!, short);
      if (!next || next.state !== entry.state) break;
      paths.push(next.path);
    }
    i = j;
    joined += paths.length - Math.ceil(paths.length / PATHS_PER_LINE);
    if (!ctx.lossy) {
      renderRun(entry.state, paths, out);
      continue;
    }
    const keep = keepRows(paths, terms, RUN_BUDGET);
    const kept = paths.filter((_, k) => keep[k]);
    renderRun(entry.state, kept, out);
    if (kept.length < paths.length) {
      cut += paths.length - kept.length;
      out.push(`${entry.state}… ${formatCount(paths.length - kept.length)} more`);
    }
  }
  return { text: out.join("\n"), joined, cut };
}

/** Compresses `git status` output; `short` for `--short`/`--porcelain`. */
export function compressGitStatus(
  lines: readonly string[],
  short: boolean,
  ctx: CompressContext,
): CompressOutput | undefined {
  const whole = renderStatus(lines, short, { ...ctx, lossy: false });
  const lossless: CompressOutput | undefined =
    whole.joined > 0
      ? { text: whole.text, strategy: "git:status-joined", lossy: false }
      : undefined;
  if (!ctx.lossy) return lossless;
  const cut = renderStatus(lines, short, ctx);
  if (cut.cut === 0) return lossless;
  const summary = `git status: ${formatCount(cut.cut)} paths of long runs left out (the first, the last and those matching the question are shown)`;
  const text = `${cut.text}\n${ctx.marker(summary)}`;
  const baseline = lossless ? lossless.text.length : lines.join("\n").length;
  if (text.length > baseline * LOSSY_GAIN) return lossless;
  return { text, strategy: "git:status-cut", lossy: true };
}
