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

interface TreeLine {
  /** Nesting level (0 for the root's direct dependencies), or -1 for a line outside the tree. */
  readonly depth: number;
  readonly entry: string;
}

/** Reads `│ │ ├── name@1.0.0`-style lines; undefined for a line that is not one. */
function readTreeLine(line: string): TreeLine | undefined {
  let i = 0;
  while (i + 1 < line.length && (line[i] === "│" || line[i] === " ") && line[i + 1] === " ") i += 2;
  const branch = line[i];
  if ((branch !== "├" && branch !== "└") || line[i + 1] !== "─") return undefined;
  const kind = line[i + 2];
  if ((kind !== "─" && kind !== "┬") || line[i + 3] !== " ") return undefined;
  return { depth: i / 2, entry: line.slice(i + 4) };
}

/** Whether `lines` look like `npm ls` output: a root line, then mostly npm's tree lines. */
export function looksLikeNpmTree(lines: readonly string[]): boolean {
  let tree = 0;
  let npmStyle = 0;
  let other = 0;
  for (const line of lines.slice(1)) {
    if (line === "") continue;
    const parsed = readTreeLine(line);
    if (!parsed) other++;
    else {
      tree++;
      if (line.includes("─┬ ") || /@\S/.test(parsed.entry)) npmStyle++;
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
  for (const line of lines) {
    const parsed = readTreeLine(line);
    const out = parsed ? `${"  ".repeat(parsed.depth + 1)}${parsed.entry}` : line;
    whole.push(out);
    if (parsed?.entry.endsWith(" deduped") && !matchesTerms(parsed.entry, terms)) deduped++;
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
