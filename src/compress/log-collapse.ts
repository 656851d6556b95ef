/**
 * Lossless collapse of exact repetition: a run of identical lines, or of an identical block of a
 * few lines, is written once with a count, so the original can be rebuilt line for line.
 * @module
 */

/** Longest block (in lines) whose back-to-back repetition is detected. */
const MAX_PERIOD = 12;

/** The note appended to a line that occurs `count` times in a row. */
function repeatedLineNote(count: number): string {
  return ` [×${count}]`;
}

/** The note written after a block of `period` lines that occurs `count` times in a row. */
function repeatedBlockNote(period: number, count: number): string {
  return `[×${count}: the ${period} lines above]`;
}

/** Rewrites `lines` with every worthwhile run of exact repetition written once plus its count. */
export function collapseRepeats(lines: readonly string[]): string[] {
  const n = lines.length;
  const ids = internLines(lines);
  const out: string[] = [];
  let i = 0;
  while (i < n) {
    let bestPeriod = 0;
    let bestCount = 0;
    let bestSaved = 0;
    let coveredTo = i + 1;
    for (let period = 1; period <= MAX_PERIOD && i + 2 * period <= n; period++) {
      if (ids[i] !== ids[i + period]) continue;
      let count = 1;
      while (i + (count + 1) * period <= n && sameBlock(ids, i, i + count * period, period))
        count++;
      if (count < 2) continue;
      coveredTo = Math.max(coveredTo, i + count * period);
      const saved = blockChars(lines, i, period) * (count - 1) - noteChars(period, count);
      if (saved > bestSaved && !allBlank(lines, i, period)) {
        bestSaved = saved;
        bestPeriod = period;
        bestCount = count;
      }
    }
    if (bestSaved > 0) {
      if (bestPeriod === 1) out.push(lines[i]! + repeatedLineNote(bestCount));
      else {
        for (let k = 0; k < bestPeriod; k++) out.push(lines[i + k]!);
        out.push(repeatedBlockNote(bestPeriod, bestCount));
      }
      i += bestPeriod * bestCount;
      continue;
    }
    // A repetition not worth a note is copied as it is; skipping over it keeps the scan linear.
    while (i < coveredTo) out.push(lines[i++]!);
  }
  return out;
}

function internLines(lines: readonly string[]): Int32Array {
  const table = new Map<string, number>();
  const ids = new Int32Array(lines.length);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    let id = table.get(line);
    if (id === undefined) {
      id = table.size;
      table.set(line, id);
    }
    ids[i] = id;
  }
  return ids;
}

function sameBlock(ids: Int32Array, a: number, b: number, length: number): boolean {
  for (let k = 0; k < length; k++) if (ids[a + k] !== ids[b + k]) return false;
  return true;
}

function blockChars(lines: readonly string[], start: number, period: number): number {
  let total = 0;
  for (let k = 0; k < period; k++) total += lines[start + k]!.length + 1;
  return total;
}

function allBlank(lines: readonly string[], start: number, period: number): boolean {
  for (let k = 0; k < period; k++) if (lines[start + k]!.trim() !== "") return false;
  return true;
}

function noteChars(period: number, count: number): number {
  return period === 1
    ? repeatedLineNote(count).length
    : repeatedBlockNote(period, count).length + 1;
}
