import { describe, expect, test } from "bun:test";
import { compressJson } from "../../src/compress/json/compress-json.ts";
import { expandJson } from "../../src/compress/json/json-expand.ts";
import { readJson } from "../../src/compress/json/json-reader.ts";
import { writeJson } from "../../src/compress/json/json-writer.ts";
import { contextFor } from "../helpers/compress-context.ts";

function lossless(input: string) {
  return compressJson(input, contextFor(input, { lossy: false }));
}

/** The compact JSON of `text` after expanding every compact form. */
function expanded(text: string): string {
  const parsed = readJson(text);
  if (!parsed) throw new Error(`not JSON: ${text.slice(0, 80)}`);
  return writeJson(expandJson(parsed.value));
}

function minified(text: string): string {
  return writeJson(readJson(text)!.value);
}

// `npm ls --json`-style dependency listing, pretty-printed as npm prints it.
const npmPackages = Array.from({ length: 24 }, (_, i) => ({
  name: `pkg-${String.fromCharCode(97 + (i % 26))}${i}`,
  version: `${1 + (i % 4)}.${i % 7}.${(i * 3) % 10}`,
  resolved: `https://registry.npmjs.org/pkg-${i}/-/pkg-${i}-${1 + (i % 4)}.${i % 7}.${(i * 3) % 10}.tgz`,
  integrity: `sha512-${Buffer.from(`package ${i} integrity`).toString("base64")}`,
  dev: i % 3 === 0,
  license: i % 5 === 0 ? "ISC" : "MIT",
}));

describe("lossless JSON", () => {
  test("re-minifies pretty-printed JSON and keeps number lexemes and key order", () => {
    const input = `{\n  "version": "1.0",\n  "ratio": 1.0,\n  "big": 123456789012345678901234567890,\n  "2": "two",\n  "1": "one",\n  "nested": {\n    "empty": [],\n    "exp": 1E-7\n  }\n}\n`;
    const out = lossless(input)!;
    expect(out.text).toBe(
      '{"version":"1.0","ratio":1.0,"big":123456789012345678901234567890,"2":"two","1":"one","nested":{"empty":[],"exp":1E-7}}',
    );
    expect(out.lossy).toBe(false);
    expect(out.strategy).toBe("json:minify");
  });

  test("declines what is not JSON or cannot get shorter", () => {
    for (const input of [
      "plain text",
      '{"a":1} trailing',
      "[1,2",
      '{"a":1,"b":[1,2]}',
      "[]",
      '"x"',
    ]) {
      expect(lossless(input)).toBeUndefined();
    }
  });

  test("writes an array of like objects as a table that expands back to the input", () => {
    const input = JSON.stringify(npmPackages, null, 2);
    const out = lossless(input)!;
    expect(out.strategy).toBe("json:table");
    expect(out.lossy).toBe(false);
    const table = JSON.parse(out.text);
    expect(table.$columns).toEqual(["name", "version", "resolved", "integrity", "dev", "license"]);
    expect(table.$rows).toHaveLength(24);
    expect(table.$rows[5]).toEqual([
      "pkg-f5",
      "2.5.5",
      "https://registry.npmjs.org/pkg-5/-/pkg-5-2.5.5.tgz",
      npmPackages[5]!.integrity,
      false,
      "ISC",
    ]);
    expect(expanded(out.text)).toBe(minified(input));
    expect(out.text).not.toContain("hash=");
  });

  test("rows of another shape stay objects in place; nested objects of one shape become sub-columns", () => {
    const rows = Array.from({ length: 12 }, (_, i) => ({
      sha: `c0ffee${i}`,
      author: { name: `dev${i % 3}`, email: `dev${i % 3}@example.com` },
      message: `fix: handle case ${i}`,
    }));
    const odd = { sha: "deadbeef", message: "Merge branch 'main'", parents: ["a", "b"] };
    const input = JSON.stringify([...rows.slice(0, 6), odd, ...rows.slice(6)]);
    const out = lossless(input)!;
    const table = JSON.parse(out.text);
    expect(table.$columns).toEqual(["sha", { author: ["name", "email"] }, "message"]);
    expect(table.$rows[0]).toEqual(["c0ffee0", ["dev0", "dev0@example.com"], "fix: handle case 0"]);
    expect(table.$rows[6]).toEqual(odd);
    expect(expanded(out.text)).toBe(input);
  });

  test("run-encodes repeated items and integer sequences", () => {
    const heartbeat = { event: "heartbeat", ok: true };
    const input = JSON.stringify({
      beats: Array.from({ length: 40 }, () => heartbeat),
      lines: Array.from({ length: 200 }, (_, i) => 1000 + i),
      even: Array.from({ length: 50 }, (_, i) => i * 2),
      mixed: ["start", 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, "end", "end", "end", "end", "end", "end"],
    });
    const out = lossless(input)!;
    const value = JSON.parse(out.text);
    expect(value.beats).toEqual([{ $repeat: [heartbeat], $times: 40 }]);
    expect(value.lines).toEqual([{ $range: "1000..1199" }]);
    expect(value.even).toEqual([{ $range: "0..98", $step: 2 }]);
    expect(value.mixed[1]).toEqual({ $range: "0..9" });
    expect(expanded(out.text)).toBe(input);
  });

  test("does not write compact forms when the input already uses their keys", () => {
    const input = JSON.stringify(
      { $rows: Array.from({ length: 20 }, (_, i) => ({ id: i, name: `n${i}` })) },
      null,
      1,
    );
    const out = lossless(input)!;
    expect(out.strategy).toBe("json:minify");
    expect(out.text).toBe(minified(input));
  });

  test("rewrites JSON held in a string (an MCP tool result) inside the string", () => {
    const inner = JSON.stringify(npmPackages.slice(0, 10), null, 2);
    const input = JSON.stringify({ content: [{ type: "text", text: inner }], isError: false });
    const out = lossless(input)!;
    expect(out.strategy).toContain("embedded");
    const outer = JSON.parse(out.text);
    expect(outer.isError).toBe(false);
    const text = outer.content[0].text as string;
    expect(text.startsWith('{"$columns":["name","version"')).toBe(true);
    expect(expanded(text)).toBe(minified(inner));
  });

  test("leaves long opaque strings alone", () => {
    const blob = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919) % 251)).toString(
      "base64",
    );
    const input = JSON.stringify({ name: "logo.png", data: blob }, null, 2);
    const out = lossless(input)!;
    expect(JSON.parse(out.text).data).toBe(blob);
    expect(out.lossy).toBe(false);
  });

  test("is deterministic", () => {
    const input = JSON.stringify(npmPackages, null, 2);
    expect(lossless(input)).toEqual(lossless(input)!);
  });

  test("reads JSON Lines as rows: a table when that pays, otherwise one value per line", () => {
    const events = npmPackages.map((pkg, i) => ({
      t: 1_700_000_000 + i,
      event: "install",
      pkg: pkg.name,
    }));
    const input = `${events.map((event) => JSON.stringify(event)).join("\n")}\n`;
    const out = lossless(input)!;
    expect(out.strategy).toBe("json-lines:table");
    expect(expanded(out.text)).toBe(JSON.stringify(events));
    const spaced = [{ a: 1, b: [1, 2] }, { c: "x" }].map((v) =>
      JSON.stringify(v, null, 1).replace(/\n/g, " "),
    );
    const lines = lossless(`${spaced.join("\n")}\n`)!;
    expect(lines.text).toBe('{"a":1,"b":[1,2]}\n{"c":"x"}');
    expect(lossless("not json\n{}")).toBeUndefined();
  });
});

describe("columns with one value in every row", () => {
  // A page of a deployments API: every event is a deployment in one region, triggered by CI.
  const deployments = Array.from({ length: 40 }, (_, i) => ({
    id: `evt_${(10_000 + i * 4_919).toString(16)}`,
    type: "deployment",
    service: ["api", "web", "worker", "billing"][i % 4],
    region: "eu-west-1",
    status: i === 17 ? "failed" : "succeeded",
    duration_ms: 900 + ((i * 137) % 600),
    ratio: "1.0",
    weight: 1.0,
    triggered_by: "ci",
    error: null,
  }));

  test("are stated once under $same, left out of each row, and expand back exactly", () => {
    // As a float-typed API writes it.
    const input = JSON.stringify({ data: deployments, has_more: false }, null, 2).replaceAll(
      '"weight": 1,',
      '"weight": 1.0,',
    );
    const out = lossless(input)!;
    expect(out.strategy).toBe("json:table");
    const table = JSON.parse(out.text).data;
    expect(Object.keys(table)).toEqual(["$columns", "$same", "$rows"]);
    // Every column is still named, in order; the constants keep their place on expansion.
    expect(table.$columns).toEqual(Object.keys(deployments[0]!));
    expect(table.$same).toEqual({
      type: "deployment",
      region: "eu-west-1",
      ratio: "1.0",
      weight: 1,
      triggered_by: "ci",
      error: null,
    });
    // The lexeme `1.0` is kept as written.
    expect(out.text).toContain('"weight":1.0');
    expect(table.$rows[17]).toEqual(["evt_16db7", "web", "failed", 1429]);
    expect(expanded(out.text)).toBe(minified(input));
  });

  test("are left in the rows when stating them would not pay, or could be ambiguous", () => {
    // Three short rows: `,"$same":{"a":1}` costs more than the cells it saves.
    const few = JSON.stringify([
      { a: 1, name: "first row" },
      { a: 1, name: "second row" },
      { a: 1, name: "third row" },
    ]);
    const small = lossless(few);
    if (small) expect(small.text).not.toContain("$same");
    // Duplicate keys: a constant could not be put back by its name.
    const rows = Array.from(
      { length: 30 },
      (_, i) => `{"k":"same value here","k":${i},"n":"row ${i}"}`,
    );
    const duplicated = `[${rows.join(",")}]`;
    const out = lossless(duplicated)!;
    expect(out.text).not.toContain("$same");
    expect(expanded(out.text)).toBe(duplicated);
    // Identical rows are a repeat, not a table of constants.
    const same = JSON.stringify(Array.from({ length: 30 }, () => ({ ok: true, code: 200 })));
    expect(lossless(same)!.text).toBe('[{"$repeat":[{"ok":true,"code":200}],"$times":30}]');
  });

  test("rows of another shape stay objects, and other rows' constants are not imposed on them", () => {
    const odd = { id: "evt_odd", type: "rollback", note: "manual" };
    const rows = [...deployments.slice(0, 10), odd, ...deployments.slice(10)];
    const input = JSON.stringify(rows);
    const out = lossless(input)!;
    const table = JSON.parse(out.text);
    expect(table.$same.type).toBe("deployment");
    expect(table.$rows[10]).toEqual(odd);
    expect(expanded(out.text)).toBe(input);
  });

  test("an input that already uses $same gets no compact forms", () => {
    const input = JSON.stringify(
      Array.from({ length: 20 }, (_, i) => ({ $same: "x", id: i, region: "eu-west-1" })),
    );
    const out = lossless(input);
    expect(out).toBeUndefined();
  });
});
