import { describe, expect, test } from "bun:test";
import { scanJson } from "../../src/compress/detect-json.ts";
import { mulberry32 } from "../helpers/random.ts";

/** Scans the whole text (what detect.ts does for inputs under the scan limit). */
function scanAll(text: string) {
  let start = 0;
  while (start < text.length && " \t\n\r".includes(text[start] ?? "")) start++;
  let end = text.length;
  while (end > start && " \t\n\r".includes(text[end - 1] ?? "")) end--;
  return scanJson(text, start, end, end);
}

/** JSON.parse's verdict for a single object or array document. */
function parsesAsContainer(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null;
  } catch {
    return false;
  }
}

function randomValue(random: () => number, depth: number): unknown {
  const r = random();
  if (depth > 3 || r < 0.35) {
    const leaf = random();
    if (leaf < 0.25) return Math.round((random() - 0.5) * 1e6) / (random() < 0.5 ? 1 : 1000);
    if (leaf < 0.5)
      return ["plain", 'q"uote', "back\\slash", "tab\tnl\n", "é🚀", "\u0001", ""][
        Math.floor(random() * 7)
      ];
    if (leaf < 0.7) return random() < 0.5;
    if (leaf < 0.8) return null;
    return random() * 1e-9;
  }
  if (r < 0.65)
    return Array.from({ length: Math.floor(random() * 4) }, () => randomValue(random, depth + 1));
  const object: Record<string, unknown> = {};
  for (let k = Math.floor(random() * 4); k > 0; k--)
    object[`k${Math.floor(random() * 50)}`] = randomValue(random, depth + 1);
  return object;
}

const NOISE = ' \n\t{}[]":,.-+eE0123456789tfnul\\/abc';

function mutate(text: string, random: () => number): string {
  const chars = [...text];
  for (let k = 1 + Math.floor(random() * 3); k > 0; k--) {
    const at = Math.floor(random() * (chars.length + 1));
    const ch = NOISE[Math.floor(random() * NOISE.length)] ?? " ";
    if (random() < 0.5) chars.splice(at, 1);
    else chars.splice(at, 0, ch);
  }
  return chars.join("");
}

describe("scanJson agrees with JSON.parse", () => {
  test("on 300 generated documents and 300 mutations of them", () => {
    const random = mulberry32(42);
    let valid = 0;
    let invalid = 0;
    for (let i = 0; i < 300; i++) {
      const value = random() < 0.5 ? [randomValue(random, 0)] : { root: randomValue(random, 0) };
      const text = JSON.stringify(value, null, random() < 0.5 ? 2 : undefined);
      for (const candidate of [text, mutate(text, random)]) {
        const scan = scanAll(candidate);
        const single = scan.result === "complete" && scan.values === 1;
        expect(single).toBe(parsesAsContainer(candidate));
        if (parsesAsContainer(candidate)) valid++;
        else invalid++;
      }
    }
    // Both sides of the comparison were exercised.
    expect(valid).toBeGreaterThan(300);
    expect(invalid).toBeGreaterThan(100);
  });

  test("number and literal edge cases", () => {
    for (const good of [
      "[0]",
      "[-0.5e+10]",
      "[1E9]",
      "[true,false,null]",
      '{"a":[{}]}',
      '["\\u00e9\\/"]',
    ]) {
      expect(scanAll(good).result).toBe("complete");
    }
    for (const bad of [
      "[01]",
      "[1.]",
      "[.5]",
      "[-]",
      "[1e]",
      "[tru]",
      "[nul]",
      '["\\x"]',
      '["\\u12g4"]',
      "[1,]",
      '{"a":1,}',
      '{"a" 1}',
      "{a:1}",
      "[1 2]",
      '["a\u0001"]',
      "[",
      "]",
    ]) {
      expect(scanAll(bad).result).toBe("invalid");
    }
  });
});

describe("scanJson prefixes and JSON Lines", () => {
  test("a document cut by the scan limit is a valid prefix", () => {
    const text = JSON.stringify(
      Array.from({ length: 500 }, (_, i) => ({ id: i, v: "x".repeat(i % 7) })),
    );
    for (const stop of [1, 7, 100, 1234, text.length - 1]) {
      expect(scanJson(text, 0, stop, text.length).result).toBe("prefix");
    }
  });

  test("a cut inside a token is still a prefix, an error before the cut is not", () => {
    const text = '[{"name": "abcdef", "n": 12345, "ok": true}]';
    expect(scanJson(text, 0, text.indexOf("cdef"), text.length).result).toBe("prefix");
    expect(scanJson(text, 0, text.indexOf("345"), text.length).result).toBe("prefix");
    expect(scanJson(text, 0, text.indexOf("rue"), text.length).result).toBe("prefix");
    const broken = '[{"name": abcdef", "n": 1}]';
    expect(scanJson(broken, 0, 20, broken.length).result).toBe("invalid");
  });

  test("JSON Lines: objects one per line", () => {
    const text = '{"a":1}\n{"a":2}\r\n\n{"a":3}';
    expect(scanAll(text)).toEqual({ result: "complete", values: 3, lineObjects: true });
  });

  test("several values that are not one object per line are not JSON Lines", () => {
    expect(scanAll('{"a":1}\n[1]').lineObjects).toBe(false);
    expect(scanAll('{\n"a":1}\n{"a":2}').lineObjects).toBe(false);
    expect(scanAll('{"a":1} {"a":2}').result).toBe("invalid");
  });
});
