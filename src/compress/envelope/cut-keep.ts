/**
 * Keeping a client's cut visible when a cut output is compressed as one text: if the compressor
 * dropped the cut line (to a log compressor it is one more ordinary line), it goes back after
 * the last kept line from before the cut, so the model still sees where the middle is missing.
 * @module
 */

import { locateLines } from "./locate-lines.ts";

/**
 * `compressed` (made from `lines`) with line `cutIndex` of `lines` replaced by `cutLine` as the
 * client wrote it (cleaning may have redrawn it away), or put back where it was; undefined when
 * the compressor rewrote lines so that none of them can be placed.
 */
export function keepCutLine(
  lines: readonly string[],
  cutIndex: number,
  cutLine: string,
  compressed: string,
): string | undefined {
  const out = compressed.split("\n");
  const found = locateLines(lines, out);
  const kept = found.indexOf(cutIndex);
  if (kept >= 0) {
    out[kept] = cutLine;
    return out.join("\n");
  }
  let at = 0;
  let placed = false;
  found.forEach((index, i) => {
    if (index >= 0) placed = true;
    if (index >= 0 && index < cutIndex) at = i + 1;
  });
  if (!placed) return undefined;
  out.splice(at, 0, cutLine);
  return out.join("\n");
}
