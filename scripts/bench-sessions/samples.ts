/**
 * The tool outputs sessions are made of: the corpus of real program outputs in
 * tests/corpus/samples (`NNN-slug.txt`, the exact bytes, beside `NNN-slug.json` with the command,
 * kind, split and the facts an agent needs from it).
 */

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const DEFAULT_CORPUS = join(import.meta.dir, "..", "..", "tests", "corpus", "samples");

/** One corpus sample. */
export interface Sample {
  /** The file name without extension, e.g. "002-bun-test-one-fail". */
  readonly name: string;
  readonly command: string;
  /** The command's exit code. */
  readonly exit: number;
  readonly kind: string;
  readonly split: string;
  readonly facts: readonly string[];
  readonly text: string;
}

/** The samples of `split` ("all" for every one), in file-name order. */
export function loadSamples(dir: string, split: string): Sample[] {
  if (!existsSync(dir)) throw new Error(`no corpus at ${dir} (pass --corpus DIR)`);
  const samples: Sample[] = [];
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith(".json")) continue;
    const name = file.slice(0, -".json".length);
    const textFile = join(dir, `${name}.txt`);
    if (!existsSync(textFile)) continue;
    const meta = JSON.parse(readFileSync(join(dir, file), "utf8"));
    if (split !== "all" && meta.split !== split) continue;
    samples.push({
      name,
      command: String(meta.command ?? name),
      exit: Number(meta.exit ?? 0),
      kind: String(meta.kind ?? "unknown"),
      split: String(meta.split ?? ""),
      facts: Array.isArray(meta.facts) ? meta.facts.map(String) : [],
      text: readFileSync(textFile, "utf8"),
    });
  }
  return samples;
}
