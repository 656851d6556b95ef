// Seeded fuzz of detection, every compressor and the text router (the long run is
// scripts/fuzz.ts): structured tool outputs, recorded ones and damaged ones never make a
// compressor throw or swallow an error, always give the same bytes, only ever shorten, mark
// exactly what they drop, and lossless JSON expands back to its input.
import { describe, expect, test } from "bun:test";
import { runSeeds } from "./lib/harness.ts";
import { compressorTargets } from "./lib/targets-compress.ts";

// Fewer seeds for the slower targets keep the whole fuzz suite within a few seconds.
const SEEDS: Record<string, number> = {
  "compress:json": 120,
  "compress:diff": 120,
  "compress:html": 120,
  "compress-text": 250,
};

describe("fuzz: compressors", () => {
  for (const target of compressorTargets) {
    const count = SEEDS[target.name] ?? 200;
    test(`${target.name}: ${count} seeded inputs keep every property`, () => {
      expect(runSeeds(target, 1, count)).toEqual([]);
    });
  }
});
