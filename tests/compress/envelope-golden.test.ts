/**
 * Golden outputs: what compressText makes of every captured agent shape (lossy, no question),
 * committed in tests/fixtures/agent-shapes/compressed/ as `<name>.txt`: a first line naming the
 * kind, strategy and lossiness (or "unchanged"), then the compressed text as is. A change in any compressor that touches
 * these shapes shows here as a readable diff; after checking it, rewrite the files with
 * `UPDATE_GOLDEN=1 bun test tests/compress/envelope-golden.test.ts`.
 */

import { expect, test } from "bun:test";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { compressText } from "../../src/compress/compress-text.ts";
import { originalHash } from "../../src/compress/marker.ts";
import { SHAPES_DIR, sentText } from "../helpers/agent-shapes.ts";

const GOLDEN_DIR = join(SHAPES_DIR, "compressed");
const update = process.env.UPDATE_GOLDEN === "1";
const names = readdirSync(SHAPES_DIR)
  .filter((name) => name.endsWith(".json"))
  .map((name) => name.slice(0, -".json".length))
  .sort();

test("every captured shape has a golden output", () => {
  expect(names.length).toBeGreaterThanOrEqual(16);
});

for (const name of names)
  test(`${name} compresses to its golden output`, () => {
    const text = sentText(JSON.parse(readFileSync(join(SHAPES_DIR, `${name}.json`), "utf8")).sent);
    const result = compressText(text, { query: "", lossy: true, hash: () => originalHash(text) });
    const actual = result
      ? `# kind=${result.kind} strategy=${result.strategy} lossy=${result.lossy}\n${result.text}`
      : "# unchanged\n";
    const path = join(GOLDEN_DIR, `${name}.txt`);
    if (update) {
      mkdirSync(GOLDEN_DIR, { recursive: true });
      writeFileSync(path, actual);
    }
    expect(actual).toBe(readFileSync(path, "utf8"));
  });
