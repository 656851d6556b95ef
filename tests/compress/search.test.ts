import { describe, expect, test } from "bun:test";
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { markerHashes, originalHash } from "../../src/compress/marker.ts";
import { compressSearch } from "../../src/compress/search.ts";
import { parseSearchOutput } from "../../src/compress/search-parse.ts";
import { contextFor } from "../helpers/compress-context.ts";
import { expandGroups, SEARCH_SAMPLES } from "../helpers/search-samples.ts";

function lossless(input: string) {
  return compressSearch(input, contextFor(input, { lossy: false }));
}

function lossy(input: string, query = "") {
  return compressSearch(input, contextFor(input, { lossy: true, query }));
}

const withoutBlanksAndSeparators = (text: string): string[] =>
  text.split("\n").filter((l) => l !== "" && l !== "--");

describe("parseSearchOutput", () => {
  test("reads path:line:text, path-line-text context, separators and Windows drives", () => {
    const parsed = parseSearchOutput(
      [
        "src/a-1-b.ts-11-before",
        "src/a-1-b.ts:12:hit: 3:4",
        "--",
        "C:\\repo\\x.ts:7:other hit",
      ].join("\n"),
    )!;
    expect(parsed.style).toBe("flat");
    expect(parsed.lines.map((l) => [l.kind, l.path, l.lineNo, l.text])).toEqual([
      ["context", "src/a-1-b.ts", "11", "before"],
      ["match", "src/a-1-b.ts", "12", "hit: 3:4"],
      ["separator", "", "", "--"],
      ["match", "C:\\repo\\x.ts", "7", "other hit"],
    ]);
  });

  test("reads ripgrep --heading groups", () => {
    const parsed = parseSearchOutput(
      "src/main.rs\n3:fn main() {\n4-    run();\n\nsrc/lib.rs\n9:pub fn run() {}",
    )!;
    expect(parsed.style).toBe("heading");
    expect(
      parsed.lines.filter((l) => l.kind === "match").map((l) => `${l.path}@${l.lineNo}`),
    ).toEqual(["src/main.rs@3", "src/lib.rs@9"]);
  });

  test("does not mistake logs, prose or JSON for search output", () => {
    const notSearch = [
      "2024-05-01 10:00:00 INFO started\n2024-05-01 10:00:01 INFO listening on :8080",
      "The meeting is at 10:30:00 tomorrow.\nBring the notes.",
      '{"a": 1, "b": "x:1:y"}',
      "12:34:56 tick\n12:34:57 tock",
    ];
    for (const text of notSearch) expect(compressSearch(text, contextFor(text))).toBeUndefined();
  });
});

describe("compressSearch, lossless", () => {
  test("writes each file's path once above its rows, single hits stay inline", () => {
    const input = [
      "src/auth/session.ts:12:export function createSession(user: User) {",
      "src/auth/session.ts:40:  return createSession(refreshed);",
      "src/auth/session.ts:77:// createSession is called on every login",
      "src/routes/login.ts:31:  const session = createSession(user);",
      "src/routes/oauth.ts:18:    const s = createSession(profile.user);",
      "src/routes/oauth.ts:52:    return createSession(linked);",
    ].join("\n");
    const result = lossless(input)!;
    expect(result.lossy).toBe(false);
    expect(result.strategy).toBe("search:group");
    expect(result.text).toBe(
      [
        "src/auth/session.ts",
        "12:export function createSession(user: User) {",
        "40:  return createSession(refreshed);",
        "77:// createSession is called on every login",
        "",
        "src/routes/login.ts:31:  const session = createSession(user);",
        "",
        "src/routes/oauth.ts",
        "18:    const s = createSession(profile.user);",
        "52:    return createSession(linked);",
      ].join("\n"),
    );
  });

  test("round-trips on every sample (separators aside) and saves tokens", () => {
    for (const sample of SEARCH_SAMPLES) {
      const result = lossless(sample.text);
      const text = result?.text ?? sample.text;
      const noLines = sample.name.includes("without line numbers");
      if (!sample.name.includes("--heading")) {
        expect(expandGroups(text, noLines)).toEqual(withoutBlanksAndSeparators(sample.text));
      }
      const saved = 1 - countTokens(text) / countTokens(sample.text);
      expect(saved).toBeGreaterThanOrEqual(sample.minSavedLossless);
      expect(text).not.toContain("hash=");
    }
  });

  test("keeps columns and context markers", () => {
    const input = [
      "web/a.ts:3:7:  foo();",
      "web/a.ts:9:1:foo()",
      "web/a.ts-10-  bar();",
      "web/a.ts:20:3:  foo(1);",
    ].join("\n");
    expect(lossless(input)!.text).toBe(
      ["web/a.ts", "3:7:  foo();", "9:1:foo()", "10-  bar();", "20:3:  foo(1);"].join("\n"),
    );
  });

  test("declines when grouping would not save (one hit per file)", () => {
    expect(lossless("a.ts:1:x\nb.ts:2:y\nc.ts:3:z")).toBeUndefined();
  });
});

describe("compressSearch, lossy, on realistic outputs", () => {
  for (const sample of SEARCH_SAMPLES) {
    test(`${sample.name}: keeps the best hits, counts the rest, saves ${Math.round(sample.minSavedLossy * 100)}%+`, () => {
      const result = lossy(sample.text, sample.query)!;
      expect(result.lossy).toBe(true);
      expect(result.strategy).toBe("search:select");
      for (const fact of sample.keep) expect(result.text).toContain(fact);
      expect(markerHashes(result.text)).toEqual([originalHash(sample.text)]);
      const saved = 1 - countTokens(result.text) / countTokens(sample.text);
      expect(saved).toBeGreaterThanOrEqual(sample.minSavedLossy);
    });
  }

  test("counts add up: per-file notes, hidden files and the overall summary", () => {
    for (const sample of SEARCH_SAMPLES) {
      const parsed = parseSearchOutput(sample.text)!;
      const total = parsed.lines.filter((l) => l.kind === "match").length;
      const text = lossy(sample.text, sample.query)!.text;
      const summary =
        /\[headroom: (\d+) of (\d+) matches kept from (\d+) of (\d+) files; (\d+) omitted/.exec(
          text,
        )!;
      expect(summary).not.toBeNull();
      const [kept, all, , , omitted] = summary.slice(1).map(Number) as [
        number,
        number,
        number,
        number,
        number,
      ];
      expect(all).toBe(total);
      expect(kept + omitted).toBe(total);
      let perFile = 0;
      for (const m of text.matchAll(/^\[… (\d+) more match(?:es)?\]$/gm)) perFile += Number(m[1]);
      const hidden = /^\[… \d+ more files? with (\d+) match(?:es)?:/m.exec(text);
      expect(perFile + (hidden ? Number(hidden[1]) : 0)).toBe(omitted);
    }
  });
});

describe("compressSearch, lossy, behaviour", () => {
  const usages = (n: number): string[] =>
    Array.from(
      { length: n },
      (_, i) =>
        `src/feature${i % 9}/view.tsx:${10 + i}:  const price = formatPrice(item.amount, "EUR");`,
    );

  test("keeps the definition and the lines about the question", () => {
    const input = [
      ...usages(60),
      "src/lib/money.ts:8:export function formatPrice(amount: number, currency: string): string {",
      "src/lib/money.ts:14:  throw new RangeError('unsupported currency: ' + currency);",
      ...usages(60),
    ].join("\n");
    const text = lossy(
      input,
      "where is formatPrice defined and when does it throw a RangeError?",
    )!.text;
    expect(text).toContain(
      "8:export function formatPrice(amount: number, currency: string): string {",
    );
    expect(text).toContain("14:  throw new RangeError('unsupported currency: ' + currency);");
  });

  test("keeps tool errors printed among the hits", () => {
    const input = ["grep: ./secrets: Permission denied", ...usages(80)].join("\n");
    expect(lossy(input)!.text.startsWith("grep: ./secrets: Permission denied\n")).toBe(true);
  });

  test("shortens a huge minified hit around the question's term", () => {
    const blob = `${"a;".repeat(20_000)}function needleFinder(x){return x}${"b;".repeat(20_000)}`;
    const input = [`dist/app.min.js:1:${blob}`, ...usages(20)].join("\n");
    const text = lossy(input, "needleFinder")!.text;
    expect(text).toContain("function needleFinder(x){return x}");
    expect(text.length).toBeLessThan(5000);
    expect(text).toMatch(/1 long line shortened/);
  });

  test("leaves small result sets to the lossless rewrite", () => {
    const input = usages(9).join("\n");
    const result = lossy(input);
    expect(result?.lossy ?? false).toBe(false);
  });

  test("is deterministic", () => {
    for (const sample of SEARCH_SAMPLES) {
      expect(lossy(sample.text, sample.query)).toEqual(lossy(sample.text, sample.query));
    }
  });
});
