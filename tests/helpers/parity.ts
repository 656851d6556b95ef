import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** One recorded case of the original Headroom's compressors (see tests/fixtures/headroom-parity). */
export interface ParityCase {
  file: string;
  transform: string;
  label?: string;
  config: unknown;
  input: unknown;
  output: unknown;
}

const root = join(import.meta.dir, "..", "fixtures", "headroom-parity");

/** Loads every recorded case of one transform, sorted by file name. */
export function parityCases(transform: string): ParityCase[] {
  const dir = join(root, transform);
  return readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => ({ file: name, ...JSON.parse(readFileSync(join(dir, name), "utf8")) }));
}
