import { describe, expect, test } from "bun:test";
import { compressText } from "../../src/compress/compress-text.ts";
import { originalHash } from "../../src/compress/marker.ts";
import { outputFixture } from "../helpers/output-fixture.ts";

const TREE = outputFixture("tree/npm-ls-all.txt");
const BIG = outputFixture("tree/npm-ls-all-jest-eslint.txt");

function route(text: string, lossy: boolean, query = "") {
  return compressText(text, { query, lossy, hash: () => originalHash(text) });
}

/** Each tree line of npm's drawing as [depth, entry]. */
function drawn(text: string): [number, string][] {
  const out: [number, string][] = [];
  for (const line of text.split("\n")) {
    const m = /^((?:[│ ] )*)[├└]─[─┬] (.*)$/.exec(line);
    if (m) out.push([m[1]!.length / 2, m[2]!]);
  }
  return out;
}

describe("npm ls --all", () => {
  test("lossless: every entry on its own line, indented two spaces per level", () => {
    const out = route(TREE, false)!;
    expect(out.strategy).toBe("listing:npm-tree");
    const lines = out.text.trimEnd().split("\n");
    expect(lines[0]).toBe("headroom@0.1.0 /work/main");
    const entries = drawn(TREE);
    expect(entries.length).toBe(lines.length - 1);
    entries.forEach(([depth, entry], i) => {
      expect(lines[i + 1]).toBe(`${"  ".repeat(depth + 1)}${entry}`);
    });
    expect(out.text).not.toContain("├");
  });

  test("lossy: deduped entries go, except those the question names", () => {
    const out = route(BIG, true, "which semver version is used?")!;
    expect(out.lossy).toBe(true);
    expect(out.text).toContain("semver@6.3.2 deduped");
    expect(out.text).not.toContain("@babel/core@7.29.17 deduped");
    // Every package still appears with its version.
    for (const [, entry] of drawn(BIG)) {
      expect(out.text).toContain(entry.replace(/ deduped$/, ""));
    }
    expect(out.text).toContain(`hash=${originalHash(BIG)}`);
    expect(out.text.length).toBeLessThan(BIG.length / 2);
  });

  test("a small tree with few deduped entries stays lossless", () => {
    expect(route(TREE, true)?.lossy).toBe(false);
  });
});
