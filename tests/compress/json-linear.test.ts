import { describe, expect, test } from "bun:test";
import { compressJson } from "../../src/compress/json/compress-json.ts";
import { readJson } from "../../src/compress/json/json-reader.ts";
import { JsonNumber, JsonObject, type JsonValue } from "../../src/compress/json/json-value.ts";
import { writeJson } from "../../src/compress/json/json-writer.ts";
import { medianOf } from "../../src/compress/json/median.ts";
import { OPAQUE_MIN_LENGTH } from "../../src/compress/json/opaque-string.ts";
import { itemScores, relevanceScores } from "../../src/compress/json/relevance.ts";
import { contextFor } from "../helpers/compress-context.ts";
import { mulberry32 } from "../helpers/random.ts";

/** Steps the compressor takes on `text` (see work-meter.ts), as its probe is told. */
function steps(text: string, lossy: boolean, query: string): number {
  let total = 0;
  const probe = { steps: (n: number) => (total += n) };
  compressJson(text, contextFor(text, { lossy, query, probe }));
  return total;
}

/** Tool outputs of `n` items, of the shapes the compressor treats differently. */
const SHAPES: Record<string, (n: number) => string> = {
  "log records": (n) =>
    JSON.stringify(
      Array.from({ length: n }, (_, i) => ({
        id: i,
        ts: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
        level: i % 97 === 0 ? "error" : "info",
        service: `svc-${i % 12}`,
        latency_ms: (i * 37) % 500,
        message: `request ${i} handled`,
        region: "eu-west-1",
      })),
    ),
  "a pretty API page with nested records": (n) =>
    JSON.stringify(
      {
        data: Array.from({ length: n }, (_, i) => ({
          id: `evt_${i}`,
          status: i % 50 === 7 ? "failed" : "ok",
          user: { login: `u${i % 9}`, id: i % 9 },
          tags: ["a", "b", i % 3],
          note: i % 11 === 0 ? "timeout while connecting" : null,
        })),
      },
      null,
      2,
    ),
  numbers: (n) => JSON.stringify(Array.from({ length: n }, (_, i) => (i * 7919) % 1000)),
  "log lines": (n) =>
    JSON.stringify(
      Array.from({ length: n }, (_, i) => `line ${i}: ${i % 40 === 0 ? "ERROR disk full" : "ok"}`),
    ),
  "a map of records": (n) =>
    JSON.stringify(
      Object.fromEntries(
        Array.from({ length: n }, (_, i) => [`pkg-${i}`, { version: `1.${i % 7}.0`, dev: i % 2 }]),
      ),
    ),
  repeats: (n) => JSON.stringify(Array.from({ length: n }, (_, i) => (i % 3 === 0 ? { a: 1 } : i))),
  "JSON Lines": (n) =>
    Array.from({ length: n }, (_, i) =>
      JSON.stringify({ t: i, msg: i % 30 === 0 ? "failed" : "fine", v: i % 13 }),
    ).join("\n"),
  "records with item lists": (n) =>
    JSON.stringify(
      Array.from({ length: n / 8 }, (_, i) => ({
        id: i,
        items: Array.from({ length: 20 }, (_, j) => ({ sku: `s${j}`, qty: (i + j) % 5 })),
      })),
    ),
  "JSON inside a string": (n) =>
    JSON.stringify({
      content: [
        {
          type: "text",
          text: JSON.stringify(
            Array.from({ length: n }, (_, i) => ({ id: i, ok: i % 17 !== 0 })),
            null,
            2,
          ),
        },
      ],
    }),
};

describe("work grows linearly with the input", () => {
  for (const [name, make] of Object.entries(SHAPES)) {
    test(`${name}: doubling the input at most about doubles the steps`, () => {
      for (const lossy of [false, true]) {
        for (const query of ["", "why did request 4242 fail in svc-3?"]) {
          const small = steps(make(1000), lossy, query);
          const large = steps(make(2000), lossy, query);
          const larger = steps(make(4000), lossy, query);
          expect(small).toBeGreaterThan(1000);
          expect(large / small).toBeLessThan(2.2);
          expect(larger / large).toBeLessThan(2.2);
        }
      }
    });
  }
});

const WORDS = ["Error", "ok", "TIMEOUT", "héllo", "İstanbul", "ΣΊΣΥΦΟΣ", "中文", "😀", "a b", "x"];

/** A random value; strings may need escaping, hold JSON, or be long. */
function randomValue(next: () => number, depth: number): JsonValue {
  const r = next();
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  if (depth > 2 || r < 0.4) {
    const s = next();
    if (s < 0.1) return null;
    if (s < 0.2) return next() < 0.5;
    if (s < 0.4) return new JsonNumber(pick(["0", "-0", "1.0", "1e5", "12", "-3.25"]));
    if (s < 0.45) return "x".repeat(OPAQUE_MIN_LENGTH - 1 + Math.floor(next() * 3));
    if (s < 0.5) return pick(["{}", "[1]", " padded", "\ttab", '"quoted"', "back\\slash"]);
    return Array.from({ length: 1 + Math.floor(next() * 3) }, () => pick(WORDS)).join(" ");
  }
  if (r < 0.7) {
    const keys = Array.from({ length: Math.floor(next() * 5) }, () => pick(["id", "é", "a b", ""]));
    return new JsonObject(
      keys,
      keys.map(() => randomValue(next, depth + 1)),
    );
  }
  return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth + 1));
}

/** Writes JSON with random whitespace and escaping (`\u` escapes, `\/`), as tools differ. */
function writeLoosely(value: JsonValue, next: () => number): string {
  const ws = () => (next() < 0.4 ? ["\n  ", " ", "\t", "\r\n"][Math.floor(next() * 4)]! : "");
  if (typeof value === "string") {
    const plain = JSON.stringify(value);
    if (next() < 0.7) return plain;
    return plain.replace(/[^\x20-\x7e]|\//g, (c) => {
      const code = c.charCodeAt(0);
      return c === "/" ? "\\/" : `\\u${code.toString(16).padStart(4, next() < 0.5 ? "0" : "0")}`;
    });
  }
  if (Array.isArray(value))
    return `[${ws()}${value.map((v) => writeLoosely(v, next)).join(`${ws()},${ws()}`)}${ws()}]`;
  if (value instanceof JsonObject) {
    const entries = value.keys.map(
      (k, i) => `${writeLoosely(k, next)}${ws()}:${ws()}${writeLoosely(value.values[i]!, next)}`,
    );
    return `{${ws()}${entries.join(`${ws()},${ws()}`)}${ws()}}`;
  }
  return writeJson(value);
}

/** The same tree with no remembered source text, so writing it writes every node. */
function unsourced(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(unsourced);
  if (value instanceof JsonObject) return new JsonObject(value.keys, value.values.map(unsourced));
  return value;
}

function objectsIn(value: JsonValue, out: JsonObject[] = []): JsonObject[] {
  if (Array.isArray(value)) for (const item of value) objectsIn(item, out);
  else if (value instanceof JsonObject) {
    out.push(value);
    for (const item of value.values) objectsIn(item, out);
  }
  return out;
}

describe("shortcuts agree with the long way", () => {
  test("an object's remembered compact text is exactly what writing it produces", () => {
    let checked = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const next = mulberry32(seed);
      const text = writeLoosely(randomValue(next, 0), next);
      const parsed = readJson(text);
      expect(parsed).toBeDefined();
      for (const object of objectsIn(parsed!.value)) {
        expect(object.source).toBeDefined();
        expect(object.sourceText).toBe(writeJson(unsourced(object)));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(200);
  });

  test("a raw lone surrogate leaves objects without a compact text, and they are still written right", () => {
    const text = `[{"a":"x\ud800y"},{"b":1}]`;
    const parsed = readJson(text)!;
    for (const object of objectsIn(parsed.value)) expect(object.source).toBeUndefined();
    expect(writeJson(parsed.value)).toBe('[{"a":"x\\ud800y"},{"b":1}]');
  });

  test("objects the reader marks quiet hold nothing a rewrite could change", () => {
    let quiet = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const next = mulberry32(seed * 31);
      const text = writeLoosely(randomValue(next, 0), next);
      for (const object of objectsIn(readJson(text)!.value)) {
        const loud = object.values.some(
          (value) =>
            Array.isArray(value) ||
            value instanceof JsonObject ||
            (typeof value === "string" &&
              (value.length >= OPAQUE_MIN_LENGTH || /^[[{\s]/.test(value))),
        );
        if (object.quiet) {
          expect(loud).toBe(false);
          quiet++;
        }
      }
    }
    expect(quiet).toBeGreaterThan(20);
  });

  test("scoring rows in the document's text equals lowercasing each row", () => {
    const terms = ["error", "istanbul", "σίσυφος", "σ", "i̇", "héllo", "ok", '":"', "},{", "😀"];
    for (let seed = 1; seed <= 120; seed++) {
      const next = mulberry32(seed * 7);
      const rows = Array.from({ length: 5 + Math.floor(next() * 30) }, (_, i) => ({
        id: i,
        word: WORDS[Math.floor(next() * WORDS.length)],
        more: next() < 0.3 ? { nested: WORDS[Math.floor(next() * WORDS.length)] } : null,
      }));
      const text = JSON.stringify(rows, null, next() < 0.5 ? 2 : undefined);
      const items = readJson(text)!.value as JsonValue[];
      // Some rows rewritten (no longer in the document), some items not objects at all.
      const mixed = items.map((item, i) =>
        i % 7 === 3 ? unsourced(item) : i % 11 === 5 ? `row ${i} ERROR` : item,
      );
      const texts = mixed.map((item) => writeJson(item));
      const fast = itemScores(mixed, texts, terms);
      const slow = relevanceScores(
        texts.map((t) => t.toLowerCase()),
        terms,
      );
      expect([...fast]).toEqual([...slow]);
    }
  });

  test("the median by selection is the median of the sorted values", () => {
    const sortedMedian = (values: Float64Array) => {
      const sorted = values.slice().sort();
      const mid = sorted.length >> 1;
      return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
    };
    for (let seed = 1; seed <= 300; seed++) {
      const next = mulberry32(seed * 13);
      const n = 1 + Math.floor(next() * 400);
      const kind = seed % 5;
      const values = Float64Array.from({ length: n }, (_, i) =>
        kind === 0
          ? Math.floor(next() * 4)
          : kind === 1
            ? i
            : kind === 2
              ? n - i
              : kind === 3
                ? (i % 2 ? -i : i) * 0.5
                : next() * 1e6 - 5e5,
      );
      expect(medianOf(values.slice())).toBe(sortedMedian(values));
    }
    expect(medianOf(new Float64Array(0))).toBeNaN();
    expect(medianOf(Float64Array.from([7]))).toBe(7);
  });
});
