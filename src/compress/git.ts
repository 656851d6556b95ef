/**
 * The git compressor: `git log` (default, `--oneline`, `--graph`), `git status` and `git branch
 * -a`, each by the module that knows its form.
 * @module
 */

import { detectGitForm } from "./detect-git.ts";
import { sampleLines } from "./detect-sample.ts";
import { compressBranches, compressCommitLines } from "./git-listing.ts";
import { compressGitLog } from "./git-log.ts";
import { compressGitStatus } from "./git-status.ts";
import type { CompressContext, CompressOutput, Compressor } from "./types.ts";

function compressGitText(input: string, ctx: CompressContext): CompressOutput | undefined {
  const form = detectGitForm(sampleLines(input));
  if (!form) return undefined;
  const trailingNewline = input.endsWith("\n");
  const lines = (trailingNewline ? input.slice(0, -1) : input).split("\n");
  if (lines.some((line) => line.endsWith("\r"))) return undefined;
  let output: CompressOutput | undefined;
  if (form === "log") output = compressGitLog(lines, ctx);
  else if (form === "oneline" || form === "graph") output = compressCommitLines(lines, ctx);
  else if (form === "branches") output = compressBranches(lines, ctx);
  else output = compressGitStatus(lines, form === "status-short", ctx);
  if (!output) return undefined;
  const text = trailingNewline ? `${output.text}\n` : output.text;
  return text.length < input.length ? { ...output, text } : undefined;
}

/** Compresses git's own listings; declines anything else. */
export const compressGit: Compressor = (input, ctx) => {
  try {
    return compressGitText(input, ctx);
  } catch (error) {
    ctx.probe?.swallowed?.("git", error);
    return undefined;
  }
};
