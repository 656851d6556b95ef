// Seeded fuzz of the SSE parser (the long run is scripts/fuzz.ts): random and damaged streams in
// random chunkings agree with a whole-text reference parser, stay within the cap, and terminate.
import { describe, expect, test } from "bun:test";
import { runSeeds } from "./lib/harness.ts";
import { sseTarget } from "./lib/targets-sse.ts";
import { usageTarget } from "./lib/targets-usage.ts";

describe("fuzz: SSE parser", () => {
  test("600 seeded streams: same events for every chunking, bounded buffers, clean terminator", () => {
    expect(runSeeds(sseTarget, 1, 600)).toEqual([]);
  });
});

describe("fuzz: usage", () => {
  test("3000 seeded bodies and events: usage reads never throw and stay finite and non-negative", () => {
    expect(runSeeds(usageTarget, 1, 3000)).toEqual([]);
  });
});
