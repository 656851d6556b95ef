import { describe, expect, test } from "bun:test";
import { compressJson } from "../../src/compress/json/compress-json.ts";
import { expandJson } from "../../src/compress/json/json-expand.ts";
import { readJson } from "../../src/compress/json/json-reader.ts";
import { writeJson } from "../../src/compress/json/json-writer.ts";
import { contextFor } from "../helpers/compress-context.ts";
import { outputFixture } from "../helpers/output-fixture.ts";

const HONO = outputFixture("json/hono-package.json");
const LOCK = outputFixture("json/package-lock.json");

function lossless(input: string) {
  return compressJson(input, contextFor(input, { lossy: false }));
}

function expanded(text: string): string {
  return writeJson(expandJson(readJson(text)!.value));
}

function minified(text: string): string {
  return writeJson(readJson(text)!.value);
}

describe("maps of like objects become $key tables", () => {
  test("hono's exports map is one table keyed by subpath, and expands back exactly", () => {
    const out = lossless(HONO)!;
    expect(out.strategy).toContain("map-table");
    expect(out.text).toContain(
      '"exports":{"$columns":["$key","types","import","require"],"$rows":[[".","./dist/types/index.d.ts","./dist/index.js","./dist/cjs/index.js"],',
    );
    expect(expanded(out.text)).toBe(minified(HONO));
    expect(out.text.length).toBeLessThan(minified(HONO).length * 0.9);
  });

  test("package-lock.json: small like maps inside entries are tables, and all expands back", () => {
    const out = lossless(LOCK)!;
    expect(out.text).toContain(
      '"peerDependenciesMeta":{"$columns":["$key","optional"],"$same":{"optional":true},"$rows":[["@aws-sdk/credential-provider-node"],',
    );
    expect(expanded(out.text)).toBe(minified(LOCK));
  });

  test("an input that already uses $key gets no synthetic forms", () => {
    const map = Object.fromEntries(
      Object.entries(JSON.parse(HONO).exports as Record<string, object>).map(([k, v]) => [
        k,
        { $key: k, ...v },
      ]),
    );
    const text = JSON.stringify({ exports: map }, null, 2);
    const out = lossless(text)!;
    expect(out.text).not.toContain("$columns");
    expect(expanded(out.text)).toBe(minified(text));
  });
});
