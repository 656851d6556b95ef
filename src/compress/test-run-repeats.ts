/**
 * node --test's spec reporter prints each failure twice: where it happened, and again whole under
 * "✖ failing tests:" at the end. The first copy's details (message, diff, stack) are dropped when
 * the second copy has exactly the same lines; the failing test's own line stays in place.
 * @module
 */

import { leadingSpaces } from "./test-run-reading.ts";

const SECTION = "✖ failing tests:";
const FAILURE = /^( *)✖ \S/;

/** The indexes of the lines that repeat a failure's details printed again below. */
export function repeatedFailureDetails(lines: readonly string[]): number[] {
  const section = lines.findIndex((line) => line.trimEnd() === SECTION);
  if (section < 0) return [];
  // The closing section: "✖ test (time)" at the margin, its details indented by two.
  const closing = new Map<string, string>();
  for (let k = section + 1; k < lines.length; k++) {
    if (!lines[k]!.startsWith("✖ ")) continue;
    const end = detailsEnd(lines, k, 0);
    closing.set(lines[k]!.trimEnd(), dedent(lines, k + 1, end, 2));
    k = end - 1;
  }
  const drop: number[] = [];
  for (let k = 0; k < section; k++) {
    const m = FAILURE.exec(lines[k]!);
    if (!m) continue;
    const indent = m[1]!.length;
    const end = detailsEnd(lines, k, indent);
    const same = closing.get(lines[k]!.trim());
    if (end > k + 1 && same !== undefined && same === dedent(lines, k + 1, end, indent + 2)) {
      for (let j = k + 1; j < end; j++) drop.push(j);
    }
    k = end - 1;
  }
  return drop;
}

/**
 * Where the details under the line at `at` end: at the first non-blank line no deeper than
 * `indent` (at the margin, also a "test at" line), without the blank lines before it.
 */
function detailsEnd(lines: readonly string[], at: number, indent: number): number {
  let end = at + 1;
  let last = at + 1;
  while (end < lines.length) {
    const line = lines[end]!;
    if (line.trim() !== "") {
      if (leadingSpaces(line) <= indent) break;
      last = end + 1;
    }
    end++;
  }
  return last;
}

function dedent(lines: readonly string[], from: number, to: number, by: number): string {
  const out: string[] = [];
  for (let k = from; k < to; k++) {
    const line = lines[k]!;
    out.push(leadingSpaces(line) >= by ? line.slice(by) : line.trimStart());
  }
  return out.join("\n");
}
