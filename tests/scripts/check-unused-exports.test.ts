// The unused-export check of npm run check (scripts/check-unused-exports.ts), run on small
// repositories written to a temporary folder.
import { afterEach, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parseAllowlist, unusedExportProblems } from "../../scripts/check-unused-exports.ts";

let root = "";
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Writes `files` (path → text) into a fresh repository folder. */
function repo(files: Record<string, string>): string {
  root = mkdtempSync(join(tmpdir(), "headroom-unused-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe("unusedExportProblems", () => {
  test("reports a value nobody imports and a type nobody uses, not what is imported", () => {
    const dir = repo({
      "src/lib.ts": [
        "export const used = 1;",
        "export function onlyHere(): number { return used + 1; }",
        "export interface Shape { a: number }",
        "export function make(): Shape { return { a: onlyHere() }; }",
        "export type Orphan = string;",
        "export default 3;",
      ].join("\n"),
      "src/main.ts": 'import { make, used } from "./lib.ts";\nexport const x = make().a + used;',
    });
    expect(unusedExportProblems(dir, ["src/main.ts"], new Set())).toEqual([
      "src/lib.ts: Orphan is exported but nothing imports it",
      "src/lib.ts: default is exported but nothing imports it",
      "src/lib.ts: onlyHere is exported but nothing imports it",
    ]);
  });

  test("counts tests, scripts, type imports, re-exports and dynamic imports as uses", () => {
    const dir = repo({
      "src/a.ts": "export const a = 1;\nexport type A = number;",
      "src/b.ts": "export const b = 2;",
      "src/c.ts": "export const c = 3;\nexport const c2 = 4;",
      "src/d.ts": "export const d = 5;",
      "src/barrel.ts": 'export { b } from "./b.ts";',
      "tests/a.test.ts": 'import { a } from "../src/a.ts";\nimport type { A } from "../src/a.ts";',
      "scripts/run.ts": 'import { b } from "../src/barrel.ts";\nawait import("../src/c.ts");',
      "src/entry.ts": 'import type * as D from "./d.ts";\nexport type X = typeof D;',
    });
    expect(unusedExportProblems(dir, ["src/entry.ts"], new Set())).toEqual([]);
  });

  test("refuses imports of test files", () => {
    const dir = repo({
      "tests/samples.test.ts": "export const SAMPLES = [1];",
      "tests/other.test.ts": 'import { SAMPLES } from "./samples.test.ts";',
    });
    expect(unusedExportProblems(dir, [], new Set())).toEqual([
      "tests/other.test.ts imports a test file: ./samples.test.ts",
    ]);
  });

  test("an allowlisted finding passes; an allowlist entry that is no longer unused does not", () => {
    const dir = repo({ "src/lib.ts": "export const kept = 1;\nexport const gone = 2;" });
    const allowed = parseAllowlist(
      "# accepted for now\nsrc/lib.ts: kept\nsrc/lib.ts: fixed # since fixed\n\n",
    );
    expect([...allowed]).toEqual(["src/lib.ts: kept", "src/lib.ts: fixed"]);
    expect(unusedExportProblems(dir, [], allowed)).toEqual([
      "src/lib.ts: fixed is in scripts/unused-exports-allowlist.txt but no longer unused",
      "src/lib.ts: gone is exported but nothing imports it",
    ]);
  });
});
