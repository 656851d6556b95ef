// Properties of the test-run and diagnostics readers on the captured outputs, damaged in seeded
// random ways (cut, spliced, lines swapped, bad bytes): no error escapes or is swallowed, the same
// input gives the same bytes, the rewrite is shorter and carries exactly its marker.
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { compressDiagnostics } from "../../src/compress/diagnostics.ts";
import { compressLogFamily } from "../../src/compress/log-family.ts";
import { markerHashes, originalHash } from "../../src/compress/marker.ts";
import { compressTestRun } from "../../src/compress/test-run.ts";
import type { Compressor } from "../../src/compress/types.ts";
import { mutate } from "../fuzz/lib/mutate.ts";
import { Rng } from "../fuzz/lib/rng.ts";
import { contextFor } from "../helpers/compress-context.ts";
import { SwallowedErrors } from "../helpers/swallowed-errors.ts";

const root = join(import.meta.dir, "..", "fixtures", "outputs");
const SEEDS: string[] = [];
for (const kind of ["testrun", "diagnostics"]) {
  for (const name of readdirSync(join(root, kind)).sort()) {
    SEEDS.push(readFileSync(join(root, kind, name), "utf8"));
  }
}

const COMPRESSORS: ReadonlyArray<[string, Compressor]> = [
  ["test-run", compressTestRun],
  ["diagnostics", compressDiagnostics],
  ["log family", compressLogFamily],
];

function checkOne(compressor: Compressor, text: string, swallowed: SwallowedErrors): void {
  for (const lossy of [true, false]) {
    const ctx = contextFor(text, { lossy, probe: swallowed.probe });
    const first = compressor(text, ctx);
    expect(compressor(text, ctx)).toEqual(first);
    if (!first) continue;
    expect(first.text.length).toBeLessThan(text.length);
    const hashes = markerHashes(first.text).filter((h) => !text.includes(`hash=${h}`));
    expect(hashes).toEqual(first.lossy ? [originalHash(text)] : []);
    if (first.lossy) expect(lossy).toBe(true);
  }
}

describe("test-run and diagnostics readers on damaged real outputs", () => {
  for (const [name, compressor] of COMPRESSORS) {
    test(`${name}: 300 mutated outputs: no throw, deterministic, shorter, marked iff lossy`, () => {
      const rng = new Rng(0x7e57 + name.length);
      const swallowed = new SwallowedErrors();
      for (let k = 0; k < 300; k++) {
        const base = SEEDS[rng.int(SEEDS.length)]!;
        const donor = () => SEEDS[rng.int(SEEDS.length)]!.slice(0, 4000);
        checkOne(compressor, mutate(base, rng, donor), swallowed);
      }
      expect(swallowed.caught).toEqual([]);
    });
  }

  test("a long stretch of blank lines between passes is read once, not once per line", () => {
    const bun = SEEDS.find((s) => s.startsWith("bun test v"))!;
    const passes = bun.split("\n").filter((line) => line.startsWith("(pass) "));
    // Quadratic work here would be about 10^11 steps: the test would time out.
    const text = `${passes.slice(0, 40).join("\n")}${"\n".repeat(400_000)}${passes.slice(40, 80).join("\n")}\n`;
    const out = compressTestRun(text, contextFor(text));
    expect(out).toBeDefined();
    expect(out!.text).toStartWith("80 passed");
  });

  test("a 10 MB line among test lines stays cheap and is kept as it is", () => {
    const bun = SEEDS.find((s) => s.startsWith("bun test v"))!;
    const long = `(pass) ${"[1".repeat(5_000_000)}`;
    const text = `${bun}\n${long}\n`;
    const out = compressTestRun(text, contextFor(text));
    expect(out).toBeDefined();
    expect(out!.text).toContain(long);
    const tsc = `${"x.ts(1,1): error TS1005: ';' expected.\n".repeat(3)}${"a:1:1: ".repeat(1_400_000)}]\n`;
    const diag = compressDiagnostics(tsc, contextFor(tsc));
    expect(diag === undefined || diag.text.length < tsc.length).toBe(true);
  });
});
