/**
 * The repository explains itself: code, tests, scripts and docs cite only what the repository
 * holds. The rules are named in docs/ARCHITECTURE.md, never numbered after a document it lacks.
 */

import { expect, test } from "bun:test";
import { join, relative } from "node:path";

const ROOT = join(import.meta.dir, "..", "..");
// Built from parts, so this file does not match itself.
const FORBIDDEN = new RegExp(
  ["DESIGN\\.md", "invariant\\s+\\d", "\\.\\./shared\\b"].join("|"),
  "i",
);
// Captured program outputs and recorded fixtures quote whatever they quoted.
const QUOTED = /^tests\/(corpus\/samples|fixtures)\//;

test("nothing cites a document the repository does not contain", async () => {
  const found: string[] = [];
  const glob = new Bun.Glob("{src,tests,scripts,docs}/**/*.{ts,md,html,sh}");
  const files = [...glob.scanSync({ cwd: ROOT }), "README.md"];
  for (const file of files) {
    if (QUOTED.test(file) || file === relative(ROOT, import.meta.path)) continue;
    const lines = (await Bun.file(join(ROOT, file)).text()).split("\n");
    lines.forEach((line, i) => {
      if (FORBIDDEN.test(line)) found.push(`${file}:${i + 1}: ${line.trim()}`);
    });
  }
  expect(files.length).toBeGreaterThan(100);
  expect(found).toEqual([]);
});
