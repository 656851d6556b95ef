/**
 * Figures for the git, system-table, diff, apt-log and JSON-map fixtures: tokens saved (o200k)
 * lossy and lossless, the kind and strategy chosen, and MB/s on a ~1 MB input made by repeating
 * each capture's lines.
 *
 *   bun run scripts/bench-gitdiff-kinds.ts [substring-of-fixture-path]
 */

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { compressText } from "../src/compress/compress-text.ts";
import { countTokens, loadEncoding } from "../src/compress/tokens.ts";
import { nativeSha256 } from "../src/runtime/native-sha256.ts";
import { printTable, round } from "./bench/stats.ts";

await loadEncoding("o200k_base");
const tokens = (text: string) => countTokens(text, "gpt-4o");
const root = join(import.meta.dir, "..", "tests", "fixtures", "outputs");
const filter = process.argv[2] ?? "";
const dirs = ["git", "tree", "table", "diff", "aptlog", "json"];

function run(text: string, lossy: boolean, query = "") {
  const hash = nativeSha256(text).slice(0, 24);
  return compressText(text, { query, lossy, hash: () => hash });
}

/** Lines before the rows of captures whose heading must appear once (tables). */
const HEADING_LINES: Record<string, number> = {
  "table/dpkg-l.txt": 5,
  "table/apt-list-installed.txt": 1,
  "table/ps-aux.txt": 1,
  "table/ss-tanp.txt": 1,
};

/** Repeats the capture's rows until it is about 1 MB, heading once (JSON stays one copy). */
function megabyte(path: string, text: string): string {
  if (text.trimStart().startsWith("{")) return text;
  const lines = text.replace(/\n$/, "").split("\n");
  const heading = HEADING_LINES[path] ?? 0;
  const body = `${lines.slice(heading).join("\n")}\n`;
  const parts = lines.slice(0, heading).map((line) => `${line}\n`);
  let size = 0;
  while (size < 1024 * 1024) {
    parts.push(body);
    size += body.length;
  }
  return parts.join("");
}

const rows: (string | number)[][] = [];
for (const dir of dirs) {
  for (const name of readdirSync(join(root, dir)).sort()) {
    const path = `${dir}/${name}`;
    if (!path.includes(filter)) continue;
    const text = readFileSync(join(root, path), "utf8");
    const lossy = run(text, true);
    const lossless = run(text, false);
    const before = tokens(text);
    const big = megabyte(path, text);
    run(big, true);
    const times: number[] = [];
    for (let k = 0; k < 3; k++) {
      const start = performance.now();
      run(big, true);
      times.push(performance.now() - start);
    }
    const ms = times.sort((a, b) => a - b)[1]!;
    rows.push([
      path,
      before,
      `${round((1 - tokens(lossy?.text ?? text) / before) * 100, 1)}%`,
      `${round((1 - tokens(lossless?.text ?? text) / before) * 100, 1)}%`,
      lossy?.kind ?? "-",
      lossy?.strategy ?? "-",
      round(big.length / 1024 / 1024 / (ms / 1000), 1),
    ]);
  }
}
printTable(["fixture", "tokens", "lossy", "lossless", "kind", "strategy", "MB/s (1 MB)"], rows);
