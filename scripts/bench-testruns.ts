/**
 * Test runs and compiler/linter diagnostics: tokens saved (o200k) on each captured output in
 * tests/fixtures/outputs/{testrun,diagnostics}, as a raw output, as Claude Code's Bash tool
 * delivers it (whole up to 30,000 characters, else a persisted-output preview) and as Codex's
 * exec_command delivers it (a header, and head and tail around a truncation note past ~10,000
 * characters); then compression speed on a 1 MB input of each tool (the output repeated), and
 * the cost the readers add to a 1 MB log that is neither.
 *
 *   bun run scripts/bench-testruns.ts
 */

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { compressText } from "../src/compress/compress-text.ts";
import { compressLog } from "../src/compress/log.ts";
import { formatMarker, originalHash } from "../src/compress/marker.ts";
import { countWithEncoding, loadEncoding } from "../src/compress/tokens.ts";
import { printTable, round, timeIt } from "./bench/stats.ts";

await loadEncoding("o200k_base");
const tokens = (text: string) => countWithEncoding(text, "o200k_base");
const root = join(import.meta.dir, "..", "tests", "fixtures", "outputs");

function compressed(text: string): string {
  const hash = originalHash(text);
  return compressText(text, { query: "", lossy: true, hash: () => hash })?.text ?? text;
}

/** What Claude Code's Bash tool hands the model: whole, or a 2 KB preview of a saved file. */
function asClaudeCode(text: string): string {
  if (text.length <= 30_000) return text;
  return `<persisted-output>\nOutput too large (${text.length} characters). Full output saved to: /tmp/claude/tool-output.txt\n\nPreview (first 2KB):\n${text.slice(0, 2048)}\n...\n</persisted-output>`;
}

/** What Codex's exec_command hands the model: a header, then head and tail past ~10,000 chars. */
function asCodex(text: string): string {
  const lines = text.split("\n");
  const header = `Chunk ID: 1a2b3c\nWall time: 2.1 seconds\nProcess exited with code 1\nOriginal token count: ${tokens(text)}\nOutput:\n`;
  if (text.length <= 10_000) return header + text;
  const head = text.slice(0, 5_000);
  const tail = text.slice(-5_000);
  return `${header}Warning: truncated output (original token count: ${tokens(text)})\nTotal output lines: ${lines.length}\n\n${head}…${text.length - 10_000} chars truncated…${tail}`;
}

function saved(before: number, after: number): string {
  return `${round(100 * (1 - after / before), 1)}%`;
}

const rows: (string | number)[][] = [];
const totals = { raw: [0, 0], claude: [0, 0], codex: [0, 0] };
const files: { name: string; text: string }[] = [];
for (const kind of ["testrun", "diagnostics"]) {
  for (const name of readdirSync(join(root, kind)).sort()) {
    const text = readFileSync(join(root, kind, name), "utf8");
    files.push({ name: `${kind}/${name}`, text });
    const forms = { raw: text, claude: asClaudeCode(text), codex: asCodex(text) };
    const row: (string | number)[] = [`${kind}/${name}`];
    for (const form of ["raw", "claude", "codex"] as const) {
      const before = tokens(forms[form]);
      const after = tokens(compressed(forms[form]));
      totals[form][0]! += before;
      totals[form][1]! += after;
      row.push(before, saved(before, after));
    }
    rows.push(row);
  }
}
rows.push([
  "all",
  totals.raw[0]!,
  saved(totals.raw[0]!, totals.raw[1]!),
  totals.claude[0]!,
  saved(totals.claude[0]!, totals.claude[1]!),
  totals.codex[0]!,
  saved(totals.codex[0]!, totals.codex[1]!),
]);
printTable(["output", "raw tokens", "saved", "Claude Code", "saved", "Codex", "saved"], rows);

const speed: (string | number)[][] = [];
const ctx = (text: string) => ({
  query: "",
  lossy: true,
  marker: (s: string) => formatMarker(s, originalHash(text)),
});
for (const { name, text } of files) {
  let big = text;
  while (big.length < 1024 * 1024) big += `\n${text}`;
  const hash = originalHash(big);
  const ms = timeIt(() => compressText(big, { query: "", lossy: true, hash: () => hash }));
  speed.push([
    name,
    round(big.length / 1024 / 1024, 2),
    round(ms, 1),
    round(big.length / 1024 / 1024 / (ms / 1000), 1),
  ]);
}
// A 1 MB build log that is neither a test run nor diagnostics: what trying the readers first adds.
const build: string[] = [];
for (let i = 0; build.join("\n").length < 1024 * 1024; i++) {
  build.push(
    `[${String(i % 100).padStart(3)}%] Building C object src/CMakeFiles/app.dir/module_${i}.c.o`,
  );
  if (i % 500 === 250)
    build.push(`src/module_${i}.c:${i}:5: warning: unused variable 'x${i}' [-Wunused-variable]`);
}
const buildLog = build.join("\n");
const family = timeIt(() =>
  compressText(buildLog, { query: "", lossy: true, hash: () => "0".repeat(24) }),
);
const plain = timeIt(() => compressLog(buildLog, ctx(buildLog)));
speed.push(["(build log, log family)", 1, round(family, 1), round(1 / (family / 1000), 1)]);
speed.push(["(build log, log compressor alone)", 1, round(plain, 1), round(1 / (plain / 1000), 1)]);
printTable(["1 MB input", "MB", "ms (median of 7)", "MB/s"], speed);
