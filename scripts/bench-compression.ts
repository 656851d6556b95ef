/**
 * Compression benchmark: tokens saved per kind of tool output, whether planted critical facts
 * survive (kept, or retrievable through the marker), and throughput, on a corpus produced by
 * real programs where possible; then ours versus the original Headroom's recorded outputs on the
 * parity fixtures. Prints tables and a JSON summary.
 *
 *   bun run scripts/bench-compression.ts [--lossless]
 */

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { compressText } from "../src/compress/compress-text.ts";
import { compressJson } from "../src/compress/json/compress-json.ts";
import { formatMarker } from "../src/compress/marker.ts";
import { countTokens, loadEncoding } from "../src/compress/tokens.ts";
import { nativeSha256 } from "../src/runtime/native-sha256.ts";
import { buildCorpus } from "./bench/corpus.ts";
import { printTable, round, timeIt } from "./bench/stats.ts";

const { values } = parseArgs({ options: { lossless: { type: "boolean" } } });
const lossy = !values.lossless;
await loadEncoding("o200k_base");
const tokens = (text: string) => countTokens(text, "gpt-4o");

// ---------------------------------------------------------------- the corpus
const corpus = buildCorpus();
const rows: (string | number)[][] = [];
const byKind = new Map<string, { before: number; after: number }>();
const details: unknown[] = [];
for (const sample of corpus) {
  const hash = nativeSha256(sample.text).slice(0, 24);
  const options = { query: sample.query, lossy, hash: () => hash };
  const result = compressText(sample.text, options);
  const out = result?.text ?? sample.text;
  const before = tokens(sample.text);
  const after = tokens(out);
  const ms = timeIt(() => compressText(sample.text, options));
  const recoverable = out.includes(`hash=${hash}`);
  const facts = sample.facts.map((fact) =>
    out.includes(fact)
      ? "kept"
      : recoverable && sample.text.includes(fact)
        ? "retrievable"
        : "LOST",
  );
  const totals = byKind.get(sample.kind) ?? { before: 0, after: 0 };
  byKind.set(sample.kind, { before: totals.before + before, after: totals.after + after });
  const mbps = sample.text.length / 1024 / 1024 / (ms / 1000);
  rows.push([
    sample.kind,
    sample.name.slice(0, 44),
    sample.source,
    before,
    after,
    `${round((1 - after / before) * 100, 1)}%`,
    result?.strategy ?? "-",
    facts.join(" "),
    round(ms, 2),
    round(mbps, 1),
  ]);
  details.push({
    kind: sample.kind,
    name: sample.name,
    source: sample.source,
    before,
    after,
    strategy: result?.strategy ?? null,
    facts,
    ms: round(ms, 3),
  });
}
console.log(`\nCorpus (${lossy ? "lossy" : "lossless"}; tokens are o200k):`);
printTable(
  [
    "kind",
    "sample",
    "source",
    "tokens in",
    "tokens out",
    "saved",
    "strategy",
    "facts",
    "ms",
    "MB/s",
  ],
  rows,
);

const kindRows = [...byKind].map(([kind, t]) => [
  kind,
  t.before,
  t.after,
  `${round((1 - t.after / t.before) * 100, 1)}%`,
]);
const all = [...byKind.values()].reduce(
  (a, b) => ({ before: a.before + b.before, after: a.after + b.after }),
  { before: 0, after: 0 },
);
kindRows.push([
  "overall",
  all.before,
  all.after,
  `${round((1 - all.after / all.before) * 100, 1)}%`,
]);
console.log("\nBy kind:");
printTable(["kind", "tokens in", "tokens out", "saved"], kindRows);

// ---------------------------------------------------------------- JSON speed targets
const bigRows = Array.from({ length: 10_000 }, (_, i) => ({
  id: i,
  ts: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
  level: i % 97 === 0 ? "error" : "info",
  service: `svc-${i % 12}`,
  latency_ms: (i * 37) % 500,
  message: `request ${i} handled`,
}));
const bigText = JSON.stringify(bigRows);
const bigHash = nativeSha256(bigText).slice(0, 24);
const jsonContext = {
  query: "",
  lossy,
  marker: (summary: string) => formatMarker(summary, bigHash),
};
const tenKMs = timeIt(() => compressJson(bigText, jsonContext));
const jsonMbps = bigText.length / 1024 / 1024 / (tenKMs / 1000);
console.log(
  `\nJSON: a 10,000-row array (${round(bigText.length / 1024 / 1024, 2)} MB) in ${round(tenKMs, 1)} ms = ${round(jsonMbps, 1)} MB/s (targets: < 50 ms, >= 50 MB/s)`,
);

// ---------------------------------------------------------------- parity fixtures
const fixtures = join(import.meta.dir, "..", "tests", "fixtures", "headroom-parity");

/** The recorded input and output texts of a fixture (smart_crusher wraps them in objects). */
function fixtureTexts(fixture: {
  input: unknown;
  output: unknown;
}): { input: string; output: string; query: string } | undefined {
  const input = fixture.input as string | { content?: string; query?: string };
  const output = fixture.output as { compressed?: string } | string;
  const inputText = typeof input === "string" ? input : input?.content;
  const outputText = typeof output === "string" ? output : output?.compressed;
  if (typeof inputText !== "string" || typeof outputText !== "string") return undefined;
  return {
    input: inputText,
    output: outputText,
    query: typeof input === "string" ? "" : (input.query ?? ""),
  };
}

const parityRows: (string | number)[][] = [];
const parityJson: unknown[] = [];
for (const transform of ["smart_crusher", "log_compressor", "diff_compressor"]) {
  let oursSaved = 0;
  let theirsSaved = 0;
  let cases = 0;
  let atLeast = 0;
  for (const file of readdirSync(join(fixtures, transform))
    .filter((name) => name.endsWith(".json"))
    .sort()) {
    const fixture = JSON.parse(readFileSync(join(fixtures, transform, file), "utf8"));
    const texts = fixtureTexts(fixture);
    if (!texts) continue;
    const { input, output: theirs, query } = texts;
    const hash = nativeSha256(input).slice(0, 24);
    const ours = compressText(input, { query, lossy, hash: () => hash })?.text ?? input;
    const base = tokens(input);
    const oursCase = base - tokens(ours);
    const theirsCase = Math.max(0, base - tokens(theirs));
    oursSaved += oursCase;
    theirsSaved += theirsCase;
    cases++;
    if (oursCase >= theirsCase) atLeast++;
  }
  parityRows.push([transform, cases, oursSaved, theirsSaved, `${atLeast}/${cases}`]);
  parityJson.push({
    transform,
    cases,
    ours_tokens_saved: oursSaved,
    original_tokens_saved: theirsSaved,
    cases_at_least_original: atLeast,
  });
}
console.log("\nParity fixtures (tokens saved, ours vs the original's recorded outputs):");
printTable(["transform", "cases", "ours", "original", "cases where ours >= original"], parityRows);

console.log(
  JSON.stringify({
    mode: lossy ? "lossy" : "lossless",
    by_kind: Object.fromEntries(
      [...byKind].map(([kind, t]) => [
        kind,
        {
          before: t.before,
          after: t.after,
          saved_percent: round((1 - t.after / t.before) * 100, 1),
        },
      ]),
    ),
    overall_saved_percent: round((1 - all.after / all.before) * 100, 1),
    json_10k_rows_ms: round(tenKMs, 2),
    json_mb_per_s: round(jsonMbps, 1),
    samples: details,
    parity: parityJson,
  }),
);
