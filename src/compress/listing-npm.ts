/**
 * `npm ls` dependency trees. npm draws them as `├─┬ name@1.0.0` / `│ └── dep@2.0.0`, which the
 * generic tree reader does not parse and which costs several tokens of drawing per package.
 * Lossless: the drawing becomes two spaces per level (which child is last, and which has children,
 * follows from the indentation). Lossy: `deduped` entries — packages already listed, with their
 * version, elsewhere in the tree — go unless they match the question.
 * @module
 */

import { formatCount } from "./git-rows.ts";
import { matchesTerms, queryTerms } from "./table-query.ts";
import type { CompressContext, CompressOutput } from "./types.ts";

/** Lossy output must be at most this fraction of the lossless one to be worth a marker. */
const LOSSY_GAIN = 0.85;

const BAR = 0x2502; // │
const TEE = 0x251c; // ├
const ELBOW = 0x2514; // └
const DASH = 0x2500; // ─
const FORK = 0x252c; // ┬

/**
 * Where the entry of a `│ │ ├── name@1.0.0`-style line starts (its nesting level is half of
 * that minus two), or -1 for a line that is not one. Character codes only: this runs per line.
 */
function entryStart(line: string): number {
  let i = 0;
  while (i + 1 < line.length) {
    const c = line.charCodeAt(i);
    if ((c !== BAR && c !== 32) || line.charCodeAt(i + 1) !== 32) break;
    i += 2;
  }
  const branch = line.charCodeAt(i);
  if ((branch !== TEE && branch !== ELBOW) || line.charCodeAt(i + 1) !== DASH) return -1;
  const kind = line.charCodeAt(i + 2);
  if ((kind !== DASH && kind !== FORK) || line.charCodeAt(i + 3) !== 32) return -1;
  return i + 4;
}

/** Whether `lines` look like `npm ls` output: a root line, then mostly npm's tree lines. */
function looksLikeNpmTree(lines: readonly string[]): boolean {
  let tree = 0;
  let npmStyle = 0;
  let other = 0;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === "") continue;
    const start = entryStart(line);
    if (start < 0) other++;
    else {
      tree++;
      if (line.charCodeAt(start - 2) === FORK || line.indexOf("@", start) >= 0) npmStyle++;
    }
  }
  return tree >= 3 && npmStyle >= tree * 0.8 && other <= tree * 0.05;
}

/** Compresses `npm ls` output given as lines; undefined when it is not one. */
export function compressNpmTree(
  lines: readonly string[],
  ctx: CompressContext,
): CompressOutput | undefined {
  if (!looksLikeNpmTree(lines)) return undefined;
  const terms = queryTerms(ctx.query);
  const whole: string[] = [];
  const cut: string[] = [];
  let deduped = 0;
  const indents: string[] = [];
  for (const line of lines) {
    const start = entryStart(line);
    if (start < 0) {
      whole.push(line);
      cut.push(line);
      continue;
    }
    const level = (start - 4) / 2 + 1;
    indents[level] ??= "  ".repeat(level);
    const entry = line.slice(start);
    const out = indents[level] + entry;
    whole.push(out);
    if (entry.endsWith(" deduped") && !matchesTerms(entry, terms)) deduped++;
    else cut.push(out);
  }
  const losslessText = whole.join("\n");
  const lossless: CompressOutput = {
    text: losslessText,
    strategy: "listing:npm-tree",
    lossy: false,
  };
  if (!ctx.lossy || deduped === 0) return lossless;
  const summary = `${formatCount(deduped)} "deduped" entries left out (each package is listed with its version where it first appears)`;
  const lossyText = `${cut.join("\n")}\n${ctx.marker(summary)}`;
  if (lossyText.length > losslessText.length * LOSSY_GAIN) return lossless;
  return { text: lossyText, strategy: "listing:npm-tree-deduped", lossy: true };
}
