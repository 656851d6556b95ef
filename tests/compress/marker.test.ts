import { describe, expect, test } from "bun:test";
import {
  carriesMarker,
  findOriginalHash,
  formatMarker,
  formatNote,
  isNote,
  isOriginalHash,
  markerHashes,
  originalHash,
} from "../../src/compress/marker.ts";

const A = originalHash("first original");
const B = originalHash("second original");

describe("the marker format and its one recogniser", () => {
  test("a written marker is recognised, with its hash", () => {
    const marker = formatMarker("40 of 50 rows omitted", A);
    expect(marker).toBe(
      `[headroom: 40 of 50 rows omitted; the full original is available via headroom_retrieve hash=${A}]`,
    );
    expect(carriesMarker(`rows...\n${marker}\n`)).toBe(true);
    expect(markerHashes(`rows...\n${marker}\n`)).toEqual([A]);
  });

  test("a plain note opens like a marker but carries no hash", () => {
    const note = formatNote("12 rows omitted");
    expect(note).toBe("[headroom: 12 rows omitted]");
    expect(isNote(note)).toBe(true);
    expect(isNote(formatMarker("12 rows omitted", A))).toBe(true);
    expect(carriesMarker(note)).toBe(false);
    expect(isNote(`row 1 ${note}`)).toBe(false);
  });

  test("hashes come back distinct, in order of first appearance", () => {
    const text = [formatMarker("x", B), formatMarker("y", A), formatMarker("z", B)].join("\n");
    expect(markerHashes(text)).toEqual([B, A]);
  });

  test("text that only resembles a marker is not one", () => {
    const lookalikes = [
      "plain tool output",
      `commit hash=${A}`, // no headroom_retrieve before it
      `headroom_retrieve hash=${A}0`, // 25 hex digits: some other hash
      `headroom_retrieve hash=${A.slice(0, 23)}`, // too short
      `headroom_retrieve hash=${A.toUpperCase()}`, // the form is lowercase
    ];
    for (const text of lookalikes) {
      expect(carriesMarker(text)).toBe(false);
      expect(markerHashes(text)).toEqual([]);
    }
  });

  test("the hash is the first 24 hex digits of the original's SHA-256", () => {
    // SHA-256("abc") is ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad.
    expect(originalHash("abc")).toBe("ba7816bf8f01cfea414140de");
    expect(isOriginalHash(originalHash("abc"))).toBe(true);
  });

  test("store keys are exactly 24 lowercase hex digits", () => {
    expect(isOriginalHash(A)).toBe(true);
    expect(isOriginalHash(`${A}0`)).toBe(false);
    expect(isOriginalHash(A.toUpperCase())).toBe(false);
    expect(isOriginalHash(`hash=${A}`)).toBe(false);
  });

  test("a hash is found in whatever a model passes", () => {
    expect(findOriginalHash(`hash=${A.toUpperCase()} `)).toBe(A);
    expect(findOriginalHash(`  ${A}\n`)).toBe(A);
    expect(findOriginalHash("no hash here")).toBeUndefined();
  });
});
