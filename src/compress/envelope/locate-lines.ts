/**
 * Finding the original lines a compressor kept, so a framing can be put back around them.
 * @module
 */

/**
 * For each line of a compressed text, the position of the original line it is, or -1 for a line
 * the compressor wrote. Matches go in order (compressors keep lines in order); each original
 * line's text maps to its positions and a cursor per text only moves forward, so it is linear.
 */
export function locateLines(fileLines: readonly string[], compressed: readonly string[]): number[] {
  const positions = new Map<string, number[]>();
  fileLines.forEach((line, i) => {
    const list = positions.get(line);
    if (list) list.push(i);
    else positions.set(line, [i]);
  });
  const cursors = new Map<string, number>();
  const found: number[] = [];
  let next = 0;
  for (const line of compressed) {
    // A blank line is only the very next line: blank lines are everywhere, and a compressor
    // writes its own between the sections it keeps.
    if (line.trim() === "") {
      const same = fileLines[next] === line;
      found.push(same ? next : -1);
      if (same) next++;
      continue;
    }
    const list = positions.get(line);
    let k = list ? (cursors.get(line) ?? 0) : 0;
    while (list && k < list.length && list[k]! < next) k++;
    if (!list || k >= list.length) {
      found.push(-1);
      continue;
    }
    cursors.set(line, k + 1);
    found.push(list[k]!);
    next = list[k]! + 1;
  }
  return found;
}
