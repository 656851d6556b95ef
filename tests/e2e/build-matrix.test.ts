/**
 * The release matrix never ships a baseline archive that is the default build under another
 * name (install.sh gives it to x64 CPUs without AVX2, where the default build crashes).
 */

import { expect, test } from "bun:test";
import { identicalTwin, MUST_DIFFER, TARGETS } from "../../scripts/build-matrix.ts";

test("an executable identical to the one it must differ from is refused, with the reason", () => {
  const same = new Map([
    ["linux-x64", "a".repeat(64)],
    ["linux-x64-baseline", "a".repeat(64)],
  ]);
  const refusal = identicalTwin("linux-x64-baseline", same);
  expect(refusal).toStartWith("refusing to ship headroom-linux-x64-baseline: ");
  expect(refusal).toContain("byte-identical to headroom-linux-x64's");
  expect(refusal).toContain("@oven/bun-linux-x64-baseline");

  const different = new Map([...same, ["linux-x64-baseline", "b".repeat(64)]]);
  expect(identicalTwin("linux-x64-baseline", different)).toBeUndefined();
  // Targets with no twin to differ from pass whatever their bytes.
  expect(identicalTwin("linux-x64", same)).toBeUndefined();
});

test("every pair that must differ names two real targets that Bun compiles differently", () => {
  expect(Object.keys(MUST_DIFFER).length).toBeGreaterThan(0);
  for (const [name, other] of Object.entries(MUST_DIFFER)) {
    expect(TARGETS[name]).toBeDefined();
    expect(TARGETS[other]).toBeDefined();
    expect(TARGETS[name]).not.toBe(TARGETS[other]);
  }
});
