// Property tests on random and mutated search outputs (seeded, so every run checks the same cases).
import { describe, expect, test } from "bun:test";
import { markerHashes, originalHash } from "../../src/compress/marker.ts";
import { compressSearch } from "../../src/compress/search.ts";
import { parseSearchOutput } from "../../src/compress/search-parse.ts";
import { contextFor } from "../helpers/compress-context.ts";
import { mulberry32 } from "../helpers/random.ts";
import { expandGroups, SEARCH_SAMPLES } from "../helpers/search-samples.ts";

const PATHS = [
  "src/index.ts",
  "src/a-1-b.ts",
  "lib/x_2/y-3-z.py",
  "./web/app.jsx",
  "C:\\repo\\main.go",
  "docs/My Notes/todo.md",
  "Makefile",
  "node_modules/pkg/dist/index.min.js",
  "tests/ünïcode/tëst.rs",
];
const TEXTS = [
  "  const value = compute(input);",
  "export function compute(input: number) {",
  "// TODO: handle errors",
  "    raise ValueError('bad: 1:2:3')",
  "import { compute } from './compute';",
  "\tif err != nil { return err }",
  "",
  "a:1:b-2-c",
  "😀 emoji 🚀",
];

function randomSearch(random: () => number): string {
  const lines: string[] = [];
  const count = Math.floor(random() * 200);
  const context = random() < 0.4;
  for (let i = 0; i < count; i++) {
    const roll = random();
    if (roll < 0.03) {
      lines.push("--");
      continue;
    }
    if (roll < 0.06) {
      lines.push(
        ["grep: x: Permission denied", "Binary file a.bin matches", "", "random junk line"][
          Math.floor(random() * 4)
        ]!,
      );
      continue;
    }
    const path = PATHS[Math.floor(random() * PATHS.length)]!;
    const lineNo = 1 + Math.floor(random() * 999);
    let text = TEXTS[Math.floor(random() * TEXTS.length)]!;
    if (random() < 0.02) text = "x".repeat(500 + Math.floor(random() * 5000));
    const sep = context && random() < 0.5 ? "-" : ":";
    const column = random() < 0.2 ? `${1 + Math.floor(random() * 80)}:` : "";
    lines.push(`${path}${sep}${lineNo}${sep}${sep === ":" ? column : ""}${text}`);
  }
  return lines.join("\n");
}

function mutate(text: string, random: () => number): string {
  const lines = text.split("\n");
  const edits = 1 + Math.floor(random() * 15);
  for (let e = 0; e < edits && lines.length > 0; e++) {
    const at = Math.floor(random() * lines.length);
    const roll = random();
    if (roll < 0.3) lines.splice(at, 1);
    else if (roll < 0.6) lines.splice(at, 0, lines[at]!);
    else lines[at] = lines[at]!.slice(0, Math.floor(random() * lines[at]!.length));
  }
  return lines.join("\n");
}

function cases(): string[] {
  const random = mulberry32(777);
  const inputs: string[] = [];
  for (let i = 0; i < 250; i++) inputs.push(randomSearch(random));
  for (let i = 0; i < 100; i++)
    inputs.push(mutate(SEARCH_SAMPLES[i % SEARCH_SAMPLES.length]!.text, random));
  return inputs;
}

/** The input line a shown row came from, and the length of the row's path:line: prefix. */
function sourceOf(
  line: string,
  original: ReadonlyMap<string, string>,
): { source: string; prefix: number } | undefined {
  const exact = original.get(line);
  if (exact?.split("\u0001").includes(line)) return { source: line, prefix: 0 };
  for (const form of [/^(.+?):([1-9]\d*):/, /^(.+?)-([1-9]\d*)-/]) {
    for (let from = 0; from < line.length; ) {
      const m = form.exec(line.slice(from));
      if (!m) break;
      const path = line.slice(0, from) + m[1]!;
      const source = original.get(`${path}\u0000${m[2]}`);
      if (source !== undefined) return { source, prefix: from + m[0].length };
      from += m[1]!.length + 1;
    }
  }
  return undefined;
}

describe("compressSearch properties", () => {
  const inputs = cases();

  test("never throws, never grows, is deterministic", () => {
    for (const input of inputs) {
      for (const lossy of [false, true]) {
        const ctx = contextFor(input, { lossy, query: "compute errors" });
        const a = compressSearch(input, ctx);
        expect(a).toEqual(compressSearch(input, ctx));
        if (a) expect(a.text.length).toBeLessThanOrEqual(input.length);
      }
    }
  });

  test("lossless rewrites of flat output expand back to the same lines", () => {
    let checked = 0;
    for (const input of inputs) {
      const result = compressSearch(input, contextFor(input, { lossy: false }));
      if (!result) continue;
      expect(result.lossy).toBe(false);
      expect(markerHashes(result.text)).toEqual([]);
      if (parseSearchOutput(input)?.style !== "flat") continue;
      checked++;
      expect(expandGroups(result.text)).toEqual(
        input.split("\n").filter((l) => l !== "" && l !== "--"),
      );
    }
    expect(checked).toBeGreaterThan(100);
  });

  test("lossy rewrites carry the original's hash and invent no hit", () => {
    let checked = 0;
    for (const input of inputs) {
      const result = compressSearch(input, contextFor(input, { lossy: true, query: "compute" }));
      if (!result?.lossy) continue;
      checked++;
      expect(markerHashes(result.text)).toEqual([originalHash(input)]);
      // Every row shown is an input line, or (when shortened) a piece of the same hit's text.
      const original = new Map<string, string>();
      for (const line of parseSearchOutput(input)!.lines) {
        const key =
          line.kind === "match" || line.kind === "context"
            ? `${line.path}\u0000${line.lineNo}`
            : line.raw;
        // The same place may be listed twice (random inputs): keep all its texts.
        original.set(key, `${original.get(key) ?? ""}\u0001${line.raw}`);
        original.set(line.raw, `${original.get(line.raw) ?? ""}\u0001${line.raw}`);
      }
      const body = result.text
        .split("\n")
        .filter((l) => !l.startsWith("[… ") && !l.startsWith("[headroom: "))
        .map((l) => l.replace(/^\[…\d+ chars\] /, "").replace(/ \[…\d+ chars\]$/, ""));
      const parsed = parseSearchOutput(input)!;
      // Unparsed lines (tool errors and the like) come first, as they were, before a blank line.
      if (parsed.lines.some((l) => l.kind === "other" && l.raw.trim() !== "")) {
        while (body.length > 0 && body[0] !== "") expect(original.has(body.shift()!)).toBe(true);
      }
      const noLineNumbers = parsed.style === "no-line-numbers";
      for (const line of expandGroups(body.join("\n"), noLineNumbers)) {
        const found = sourceOf(line, original);
        expect(found).toBeDefined();
        expect(found!.source.includes(line.slice(found!.prefix))).toBe(true);
      }
    }
    expect(checked).toBeGreaterThan(50);
  });
});
