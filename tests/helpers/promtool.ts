/**
 * `promtool check metrics` on an exposition, minus the lint findings on the original Headroom's
 * families: their names are fixed by dashboards written for it (milliseconds, counters without
 * `_total`), so Prometheus' naming lint is expected to flag them and only them.
 */

import { readFileSync } from "node:fs";
import { join } from "node:path";

const ORIGINAL_NAMES = new Set(
  (
    JSON.parse(
      readFileSync(
        join(import.meta.dir, "../fixtures/original-interface/metric-names.json"),
        "utf8",
      ),
    ) as { families: { name: string }[] }
  ).families.map((family) => family.name),
);

/** What promtool reports beyond the expected naming lint of the original's families. */
export function promtoolFindings(text: string): { unexpected: string[]; original: string[] } {
  const check = Bun.spawnSync(["promtool", "check", "metrics"], {
    stdin: new TextEncoder().encode(text),
  });
  const lines = (check.stdout.toString() + check.stderr.toString())
    .split("\n")
    .filter((line) => line.trim() !== "");
  const original = lines.filter((line) => ORIGINAL_NAMES.has(line.split(" ")[0] ?? ""));
  return { unexpected: lines.filter((line) => !original.includes(line)), original };
}
