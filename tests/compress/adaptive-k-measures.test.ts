// The hashed measures of adaptive K give exactly what the string definitions give.
import { describe, expect, test } from "bun:test";
import {
  countDistinctItems,
  isBlank,
  normaliseItem,
  wordPairCurve,
} from "../../src/compress/adaptive-k-measures.ts";
import { mulberry32 } from "../helpers/random.ts";

/** The definitions the measures replace: a normalised string per item, a string per word pair. */
function referenceDistinct(texts: readonly string[]): number {
  return new Set(texts.map(normaliseItem)).size;
}

function referenceCurve(texts: readonly string[]): number[] {
  const pairs = new Set<string>();
  return texts.map((text) => {
    const words = text.split(/\s+/).filter((w) => w !== "");
    if (words.length === 1) pairs.add(`${words[0]}\u0000`);
    for (let w = 0; w + 1 < words.length; w++) pairs.add(`${words[w]}\u0000${words[w + 1]}`);
    return pairs.size;
  });
}

// Digits, every kind of blank, letters that lowercase oddly, and U+0000 (which the string keys join on).
const PIECES = [
  "a",
  "b",
  "é",
  "x1",
  "42",
  "0",
  "007",
  " ",
  "  ",
  "\t",
  "\n",
  "\r\n",
  "\u000b",
  "\u00a0",
  "\u1680",
  "\u2003",
  "\u2028",
  "\u3000",
  "\ufeff",
  "\u180e",
  "\u200b",
  "\u0085",
  "\u0000",
  "-",
  "ß",
  "😀",
];

function randomTexts(seed: number, withNul: boolean): string[] {
  const random = mulberry32(seed);
  const pick = () => PIECES[Math.floor(random() * PIECES.length)]!;
  return Array.from({ length: 1 + Math.floor(random() * 60) }, () => {
    const text = Array.from({ length: Math.floor(random() * 25) }, pick).join("");
    return withNul ? text : text.replaceAll("\u0000", "");
  });
}

describe("adaptive K measures", () => {
  test("isBlank is the \\s class for every UTF-16 code unit", () => {
    const differ: number[] = [];
    for (let c = 0; c <= 0xffff; c++) {
      if (isBlank(c) !== /\s/.test(String.fromCharCode(c))) differ.push(c);
    }
    expect(differ).toEqual([]);
  });

  test("distinct counts and pair curves equal the string definitions", () => {
    for (let seed = 1; seed <= 400; seed++) {
      const texts = randomTexts(seed, seed % 3 === 0);
      expect(countDistinctItems(texts)).toBe(referenceDistinct(texts));
      expect(wordPairCurve(texts)).toEqual(referenceCurve(texts));
    }
  });

  test("pairs whose string keys coincide through U+0000 are counted once, as before", () => {
    const texts = ["a\u0000b c", "a b\u0000c", "x\u0000", "x \u0000"];
    expect(wordPairCurve(texts)).toEqual(referenceCurve(texts));
    expect(referenceCurve(texts)).toEqual([1, 1, 2, 2]);
  });

  test("many distinct words (the id table grows) still count exactly", () => {
    const texts = Array.from({ length: 3000 }, (_, i) => `w${i} w${i % 97} W${i % 13}`);
    expect(countDistinctItems(texts)).toBe(referenceDistinct(texts));
    expect(wordPairCurve(texts)).toEqual(referenceCurve(texts));
  });
});
