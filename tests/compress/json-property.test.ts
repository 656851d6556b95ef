import { describe, expect, test } from "bun:test";
import { compressJson } from "../../src/compress/json/compress-json.ts";
import { expandJson } from "../../src/compress/json/json-expand.ts";
import { readJson } from "../../src/compress/json/json-reader.ts";
import { JsonNumber, JsonObject, type JsonValue } from "../../src/compress/json/json-value.ts";
import { originalHash } from "../../src/compress/marker.ts";
import { contextFor } from "../helpers/compress-context.ts";
import { mulberry32 } from "../helpers/random.ts";

const NUMBERS = [
  "0",
  "-0",
  "1",
  "-17",
  "1.0",
  "0.10",
  "3.14159",
  "1e5",
  "1E+05",
  "-2.5e-3",
  "12345678901234567890123",
];
const WORDS = [
  "ok",
  "error",
  "failed",
  "warn",
  "info",
  "user",
  "héllo",
  "中文",
  "😀",
  'qu"ote',
  "back\\slash",
  "tab\t",
  "nl\n",
  "\u0001",
];
const KEYS = [
  "id",
  "name",
  "status",
  "level",
  "value",
  "2",
  "10",
  "message",
  "items",
  "user",
  "",
  "a b",
  "é",
];

class Gen {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  string(depth: number): string {
    const r = this.next();
    if (r < 0.05)
      return Buffer.from(Array.from({ length: 300 + this.int(600) }, () => this.int(256))).toString(
        "base64",
      );
    if (r < 0.08 && depth < 3) return writeRandom(this.array(depth + 2), this);
    if (r < 0.1) return "x".repeat(this.int(900));
    return Array.from({ length: 1 + this.int(4) }, () => this.pick(WORDS)).join(" ");
  }
  scalar(depth: number): JsonValue {
    const r = this.next();
    if (r < 0.1) return null;
    if (r < 0.2) return this.next() < 0.5;
    if (r < 0.5)
      return new JsonNumber(this.next() < 0.5 ? this.pick(NUMBERS) : String(this.int(1000) - 100));
    return this.string(depth);
  }
  object(depth: number, keys?: readonly string[]): JsonObject {
    const names = keys ?? Array.from({ length: this.int(6) }, () => this.pick(KEYS));
    return new JsonObject(
      [...names],
      names.map(() => this.value(depth + 1)),
    );
  }
  array(depth: number): JsonValue[] {
    // Long arrays only near the top, so inputs stay small (and the test fast).
    const n = this.int(depth <= 1 && this.next() < 0.3 ? 60 : depth <= 2 ? 12 : 4);
    const mode = this.int(5);
    if (mode === 0) {
      const keys = Array.from({ length: 1 + this.int(5) }, () => this.pick(KEYS));
      return Array.from({ length: n }, () =>
        this.next() < 0.9 ? this.object(depth, keys) : this.value(depth + 1),
      );
    }
    if (mode === 1) {
      const item = this.value(depth + 1);
      return Array.from({ length: n }, () => (this.next() < 0.8 ? item : this.value(depth + 1)));
    }
    if (mode === 2) {
      const start = this.int(100) - 50;
      const step = this.pick([1, 1, 2, -1, 5, 0]);
      return Array.from({ length: n }, (_, i) => new JsonNumber(String(start + i * step)));
    }
    return Array.from({ length: n }, () => this.value(depth + 1));
  }
  value(depth: number): JsonValue {
    if (depth > 3 || this.next() < 0.45) return this.scalar(depth);
    return this.next() < 0.5 ? this.array(depth) : this.object(depth);
  }
}

/** Serializes with random (valid) whitespace and random escaping, as different tools would. */
function writeRandom(value: JsonValue, gen: Gen): string {
  const ws = () => (gen.next() < 0.3 ? gen.pick([" ", "\n  ", "\t", "\r\n", "  "]) : "");
  if (value === null) return "null";
  if (typeof value === "boolean") return String(value);
  if (value instanceof JsonNumber) return value.text;
  if (typeof value === "string") {
    const plain = JSON.stringify(value);
    return gen.next() < 0.2
      ? plain.replace(
          /[^\x20-\x7e]|\//g,
          (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
        )
      : plain;
  }
  if (Array.isArray(value))
    return `[${ws()}${value.map((v) => writeRandom(v, gen)).join(`,${ws()}`)}${ws()}]`;
  if (value instanceof JsonObject) {
    const entries = value.keys.map(
      (k, i) => `${JSON.stringify(k)}${ws()}:${ws()}${writeRandom(value.values[i]!, gen)}`,
    );
    return `{${ws()}${entries.join(`,${ws()}`)}${ws()}}`;
  }
  return "null";
}

/** Equality of parsed trees where a string holding JSON equals another holding the same JSON. */
function same(a: JsonValue, b: JsonValue): boolean {
  if (typeof a === "string" && typeof b === "string") {
    if (a === b) return true;
    const pa = readJson(a);
    const pb = readJson(b);
    return !!pa && !!pb && same(expandJson(pa.value), expandJson(pb.value));
  }
  if (a instanceof JsonNumber && b instanceof JsonNumber) return a.text === b.text;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => same(v, b[i]!));
  if (a instanceof JsonObject && b instanceof JsonObject) {
    return (
      a.keys.length === b.keys.length &&
      a.keys.every((k, i) => k === b.keys[i]) &&
      a.values.every((v, i) => same(v, b.values[i]!))
    );
  }
  return a === b;
}

function check(input: string, lossy: boolean, query = ""): void {
  const run = () => compressJson(input, contextFor(input, { lossy, query }));
  const out = run();
  expect(run()).toEqual(out);
  if (!out) return;
  expect(out.text.length).toBeLessThan(input.length);
  expect(() => JSON.parse(out.text)).not.toThrow();
  const markers = [...out.text.matchAll(/hash=([0-9a-f]{24})/g)].map((m) => m[1]);
  if (out.lossy) {
    expect(lossy).toBe(true);
    expect(markers).toEqual([originalHash(input)]);
  } else {
    expect(markers).toEqual([]);
    expect(same(expandJson(readJson(out.text)!.value), readJson(input)!.value)).toBe(true);
  }
}

describe("JSON compressor properties", () => {
  test("random valid JSON: valid, shorter, deterministic, lossless unless marked", () => {
    for (let seed = 1; seed <= 250; seed++) {
      const gen = new Gen(seed);
      const input = writeRandom(gen.value(0), gen);
      check(input, false);
      check(input, true, gen.pick(["", "error", "why did user 42 fail?", "héllo 中文"]));
    }
  });

  test("random arrays of records, as tools return them", () => {
    for (let seed = 1000; seed < 1100; seed++) {
      const gen = new Gen(seed);
      const rows = gen.array(1);
      const input =
        gen.next() < 0.5
          ? writeRandom(rows, gen)
          : writeRandom(
              new JsonObject(["data", "total"], [rows, new JsonNumber(String(rows.length))]),
              gen,
            );
      check(input, false);
      check(input, true);
    }
  });

  test("mutated JSON: never throws, agrees with JSON.parse on validity, valid stays valid", () => {
    const alphabet = ["{", "}", "[", "]", '"', ",", ":", "0", "a", "\\", " ", "e", "-", "."];
    for (let seed = 1; seed <= 300; seed++) {
      const gen = new Gen(seed * 7);
      let text = writeRandom(gen.array(0), gen);
      for (let k = 1 + gen.int(3); k > 0; k--) {
        const at = gen.int(text.length + 1);
        const r = gen.next();
        if (r < 0.4) text = text.slice(0, at) + text.slice(at + 1);
        else if (r < 0.8) text = text.slice(0, at) + gen.pick(alphabet) + text.slice(at);
        else text = text.slice(0, at) + text.slice(at, at + 20) + text.slice(at);
      }
      let valid = true;
      try {
        JSON.parse(text);
      } catch {
        valid = false;
      }
      expect(readJson(text) !== undefined).toBe(valid);
      for (const lossy of [false, true]) {
        const out = compressJson(text, contextFor(text, { lossy }));
        // Invalid JSON is declined, unless every line is a JSON value of its own (JSON Lines).
        if (!valid) expect(out === undefined || out.strategy.startsWith("json-lines:")).toBe(true);
        else check(text, lossy);
      }
    }
  });
});
