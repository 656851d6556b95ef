/**
 * Seed inputs recorded from real tools: the string inputs of the parity fixtures. Mutating real
 * output finds what generators, which only know the shapes we thought of, would miss.
 * @module
 */

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(import.meta.dir, "..", "..", "fixtures", "headroom-parity");

let cached: string[] | undefined;

/** Every recorded string input (sorted by path, so the order never depends on the filesystem). */
export function corpus(): readonly string[] {
  if (cached) return cached;
  const out: string[] = [];
  for (const dir of readdirSync(ROOT).sort()) {
    let files: string[];
    try {
      files = readdirSync(join(ROOT, dir)).sort();
    } catch {
      continue; // a README, not a folder
    }
    for (const file of files) {
      if (!file.endsWith(".json")) continue;
      const input = JSON.parse(readFileSync(join(ROOT, dir, file), "utf8")).input;
      if (typeof input === "string") out.push(input);
      else if (typeof input?.content === "string") out.push(input.content);
      else if (input && typeof input === "object") out.push(JSON.stringify(input, null, 2));
    }
  }
  cached = out;
  return out;
}
