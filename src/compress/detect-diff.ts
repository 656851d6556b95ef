/**
 * Recognises unified and combined diffs (git diff, git show, diff -u, svn diff) in the sample.
 * @module
 */

import type { Sample } from "./detect-sample.ts";

const HUNK = /^@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@/;
const COMBINED_HUNK = /^@@@+ (?:-\d+(?:,\d+)? )+\+\d+(?:,\d+)? @@@+/;

/**
 * A diff has a hunk header and, from its first file or hunk header on, mostly diff lines: file
 * headers, git's extended headers, hunk headers, and context/added/removed lines.
 */
export function looksLikeDiff(sample: Sample): boolean {
  const { lines } = sample;
  let first = -1;
  let hunks = 0;
  let fileHeaders = 0;
  let diffLines = 0;
  let counted = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const header = isFileHeader(line, lines[i + 1]);
    const hunk = HUNK.test(line) || COMBINED_HUNK.test(line);
    if (first < 0) {
      if (!header && !hunk) continue;
      first = i;
    }
    if (hunk) hunks++;
    if (header) fileHeaders++;
    counted++;
    if (header || hunk || isBodyLine(line) || isExtendedHeader(line)) diffLines++;
  }
  if (first < 0) return false;
  // "diff --git" with no hunk at all (mode changes, renames, binary files) is still a diff.
  if (hunks === 0) return fileHeaders > 0 && lines[first]?.startsWith("diff --git ") === true;
  return diffLines >= counted * 0.6;
}

function isFileHeader(line: string, next: string | undefined): boolean {
  return (
    line.startsWith("diff --git ") ||
    line.startsWith("diff --combined ") ||
    line.startsWith("diff --cc ") ||
    line.startsWith("diff -u") ||
    line.startsWith("diff -r") ||
    line.startsWith("Index: ") ||
    (line.startsWith("--- ") && next?.startsWith("+++ ") === true)
  );
}

/** Context, added, removed and "\ No newline" lines; a blank line separates files. */
function isBodyLine(line: string): boolean {
  if (line.length === 0) return true;
  const c = line.charCodeAt(0);
  return c === 32 || c === 43 || c === 45 || c === 92;
}

/** git's extended header lines and svn's separator. */
function isExtendedHeader(line: string): boolean {
  return /^(?:index |new file mode |deleted file mode |old mode |new mode |similarity index |dissimilarity index |rename from |rename to |copy from |copy to |Binary files |={10,}$)/.test(
    line,
  );
}
