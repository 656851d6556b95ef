import { describe, expect, test } from "bun:test";
import { expandJson } from "../../src/compress/json/json-expand.ts";
import { readJson } from "../../src/compress/json/json-reader.ts";
import { JsonNumber, JsonObject, type JsonValue } from "../../src/compress/json/json-value.ts";
import { writeJson } from "../../src/compress/json/json-writer.ts";

function roundTrip(text: string): string | undefined {
  const parsed = readJson(text);
  return parsed ? writeJson(parsed.value) : undefined;
}

describe("readJson / writeJson", () => {
  test("number lexemes survive exactly", () => {
    const text = "[1.0, -0, 0.10, 1e5, 1E+05, -2.50e-3, 12345678901234567890123, 9007199254740993]";
    expect(roundTrip(text)).toBe(
      "[1.0,-0,0.10,1e5,1E+05,-2.50e-3,12345678901234567890123,9007199254740993]",
    );
  });

  test("key order is kept, integer-like keys and duplicates included", () => {
    const text = '{"b": 1, "2": "two", "a": {"10": 0, "9": 1}, "1": null, "b": 3}';
    expect(roundTrip(text)).toBe('{"b":1,"2":"two","a":{"10":0,"9":1},"1":null,"b":3}');
    const parsed = readJson(text)!.value as JsonObject;
    expect(parsed.keys).toEqual(["b", "2", "a", "1", "b"]);
  });

  test("strings are decoded and rewritten with the shortest standard escaping", () => {
    const text = String.raw`["caf\u00e9 \u4e2d", "tab\there", "quote \" slash \/ back \\", "\ud83d\ude00", "\u0001", "lone \ud800"]`;
    const out = roundTrip(text)!;
    // (Built by concatenation: Bun's transpiler rewrites non-ASCII inside String.raw.)
    const expected = `["caf\u00e9 \u4e2d",${String.raw`"tab\there","quote \" slash / back \\",`}"\u{1f600}",${String.raw`"\u0001","lone \ud800"]`}`;
    expect(out).toBe(expected);
    expect(JSON.parse(out)).toEqual(JSON.parse(text));
  });

  test("surrounding whitespace is allowed, anything else is rejected", () => {
    expect(roundTrip('  \n{"a": [true, false, null]}\r\n\t')).toBe('{"a":[true,false,null]}');
    const invalid = [
      "",
      "   ",
      "{",
      "[1,]",
      '{"a":1,}',
      "[01]",
      "[1.]",
      "[.5]",
      "[1e]",
      "[+1]",
      "[NaN]",
      "[Infinity]",
      "{'a': 1}",
      '{"a" 1}',
      '["a\nb"]',
      '["\\x41"]',
      '["\\u12"]',
      '"unterminated',
      "[1] [2]",
      "tru",
      "nul",
      "[true false]",
      '{"a":1 "b":2}',
      "\ufeff[1]",
    ];
    for (const text of invalid) expect(readJson(text)).toBeUndefined();
  });

  test("agrees with JSON.parse on what is valid", () => {
    const samples = [
      '{"a":[1,2,{"b":"c"}],"d":-1.5e-7}',
      "[[[[[]]]]]",
      '"just a string"',
      "42",
      "null",
      '{"":""}',
      '["\\"\\\\\\/\\b\\f\\n\\r\\t"]',
    ];
    for (const text of samples) {
      const parsed = readJson(text);
      expect(parsed).toBeDefined();
      expect(JSON.parse(writeJson(parsed!.value))).toEqual(JSON.parse(text));
    }
  });

  test("very deep nesting is declined instead of overflowing the stack", () => {
    expect(readJson(`${"[".repeat(100_000)}${"]".repeat(100_000)}`)).toBeUndefined();
    expect(readJson(`${"[".repeat(300)}1${"]".repeat(300)}`)).toBeDefined();
  });

  test("reports keys that collide with the compact forms", () => {
    expect(readJson('{"$rows": 1}')!.usesReservedKeys).toBe(true);
    expect(readJson('[{"x": {"$range": "1..3"}}]')!.usesReservedKeys).toBe(true);
    expect(readJson('{"$schema": "x", "$ref": "#/a"}')!.usesReservedKeys).toBe(false);
  });

  test("rows with the same keys share one key array", () => {
    const rows = readJson('[{"a":1,"b":2},{"a":3,"b":4},{"b":5,"a":6}]')!.value as JsonObject[];
    expect(rows[0]!.keys).toBe(rows[1]!.keys);
    expect(rows[2]!.keys).not.toBe(rows[1]!.keys);
    expect(rows[0]!.shape).toBe(rows[1]!.shape);
  });
});

describe("expandJson", () => {
  const n = (text: string) => new JsonNumber(text);
  test("turns tables, repeats and ranges back into plain JSON", () => {
    const table = readJson(
      '{"$columns":["id",{"user":["login","id"]},"ok"],"$rows":[[1,["ann",7],true],[2,null,false],{"other":1}]}',
    )!.value;
    expect(writeJson(expandJson(table))).toBe(
      '[{"id":1,"user":{"login":"ann","id":7},"ok":true},{"id":2,"user":null,"ok":false},{"other":1}]',
    );
    const runs: JsonValue = [
      new JsonObject(["$repeat", "$times"], [[n("1"), "a"], n("3")], true),
      new JsonObject(["$range"], ["10..13"], true),
      new JsonObject(["$range", "$step"], ["9..3", n("-3")], true),
    ];
    expect(writeJson(expandJson(runs))).toBe('[1,"a",1,"a",1,"a",10,11,12,13,9,6,3]');
  });
});
