/**
 * The lines a test run's passes are summed up in: a count per file, suite or class, and the
 * slowest passing tests with their timings.
 * @module
 */

/** How many of the slowest passing tests are named. */
const SLOWEST_SHOWN = 3;

/** A passing test's name and duration. */
export interface Timed {
  readonly name: string;
  readonly ms: number;
}

/**
 * "14 passed (lossless JSON: 10, columns: 4)", "10 passed (slugify)", "3 passed", or with a file
 * or package all groups share: "30 passed in test/a.spec.ts (slugify: 10, arithmetic: 20)";
 * `unit` (with its trailing space) names what passed when it is not tests: "23 test files passed".
 */
export function countLine(total: number, groups: ReadonlyMap<string, number>, unit = ""): string {
  const passed = `${total} ${unit}passed`;
  const names = [...groups.keys()];
  if (names.length === 1) return names[0] === "" ? passed : `${passed} (${names[0]})`;
  const prefix = sharedPrefix(names);
  const parts = [...groups].map(
    ([name, n]) => `${name === "" ? "(top level)" : name.slice(prefix.length)}: ${n}`,
  );
  const where = prefix === "" ? "" : ` in ${prefix.replace(/(?: > |::|\.)$/, "")}`;
  return `${passed}${where} (${parts.join(", ")})`;
}

/**
 * The longest start every group name shares that ends at a separator (" > ", "::" or "."), so
 * "pkg.a.TestX" and "pkg.b.TestY" share "pkg.", and every name keeps something after it.
 */
function sharedPrefix(names: readonly string[]): string {
  let common = names[0]!;
  for (const name of names) {
    let k = 0;
    while (k < common.length && k < name.length && common.charCodeAt(k) === name.charCodeAt(k)) k++;
    common = common.slice(0, k);
  }
  let best = 0;
  for (const separator of [" > ", "::", "."]) {
    const at = common.lastIndexOf(separator);
    if (at > 0) best = Math.max(best, at + separator.length);
  }
  const prefix = common.slice(0, best);
  return names.every((name) => name.length > prefix.length) ? prefix : "";
}

/** Names the slowest passing tests, when more than a handful carried timings. */
export function slowestNote(timed: Timed[]): string | undefined {
  if (timed.length <= SLOWEST_SHOWN) return undefined;
  const top = [...timed].sort((a, b) => b.ms - a.ms).slice(0, SLOWEST_SHOWN);
  return `slowest passing: ${top.map((t) => `${t.name} [${formatMs(t.ms)}]`).join("; ")}`;
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)}s` : `${Number(ms.toFixed(2))}ms`;
}
