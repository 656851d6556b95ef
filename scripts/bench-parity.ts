/**
 * headroom's compressors against the original Headroom's, on the original's own recorded cases
 * (tests/fixtures/headroom-parity: each holds an input and what the original's compressor made
 * of it). Prints, per compressor, the o200k tokens of the inputs, of the original's outputs and of
 * ours (compressText, lossy, the case's question when it has one), side by side in one run.
 * These inputs are small and tidy; tests/corpus is where real outputs are measured.
 *
 *   bun run scripts/bench-parity.ts
 */

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { compressText } from "../src/compress/compress-text.ts";
import { originalHash } from "../src/compress/marker.ts";
import { countTokens, loadTokenizerFor } from "../src/compress/tokens.ts";
import type { Json } from "../src/core/json-value.ts";

const ROOT = join(import.meta.dir, "..", "tests", "fixtures", "headroom-parity");
const MODEL = "gpt-4o";

/** Where each recorded transform keeps its input text, question and compressed output. */
const TRANSFORMS: Record<string, (c: Json) => { input: string; query: string; theirs: string }> = {
  log_compressor: (c) => ({
    input: c.input as string,
    query: "",
    theirs: (c.output as Json).compressed as string,
  }),
  diff_compressor: (c) => ({
    input: c.input as string,
    query: "",
    theirs: (c.output as Json).compressed as string,
  }),
  smart_crusher: (c) => ({
    input: (c.input as Json).content as string,
    query: ((c.input as Json).query as string | undefined) ?? "",
    theirs: (c.output as Json).compressed as string,
  }),
  text_crusher: (c) => ({
    input: (c.input as Json).content as string,
    query: ((c.input as Json).context as string | undefined) ?? "",
    theirs: (c.output as Json).compressed as string,
  }),
};

await loadTokenizerFor(MODEL);
const tokens = (text: string) => countTokens(text, MODEL);
const percent = (saved: number, before: number) =>
  before ? `${((100 * saved) / before).toFixed(1)}%` : "-";

console.log(
  "| compressor | cases | input tokens | original's output | saved | headroom's output | saved |",
);
console.log("|---|---:|---:|---:|---:|---:|---:|");
for (const [transform, read] of Object.entries(TRANSFORMS)) {
  const dir = join(ROOT, transform);
  let before = 0;
  let theirs = 0;
  let ours = 0;
  let cases = 0;
  for (const name of readdirSync(dir).filter((n) => n.endsWith(".json"))) {
    const { input, query, theirs: their } = read(JSON.parse(readFileSync(join(dir, name), "utf8")));
    if (typeof input !== "string" || typeof their !== "string") continue;
    const hash = originalHash(input);
    const result = compressText(input, { query, lossy: true, hash: () => hash });
    cases++;
    before += tokens(input);
    theirs += tokens(their);
    ours += tokens(result?.text ?? input);
  }
  console.log(
    `| ${transform} | ${cases} | ${before} | ${theirs} | ${percent(before - theirs, before)} | ${ours} | ${percent(before - ours, before)} |`,
  );
}
