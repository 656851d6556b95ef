// Seeded fuzz of the request side (the long run is scripts/fuzz.ts): body parsing agrees with a
// strict reference, JSON splices keep every other byte and stay valid, and the compression
// router over random Anthropic, Chat and Responses requests never throws, decides the same way
// each time, replays byte for byte, and touches nothing but live, unprotected tool outputs.
import { beforeAll, describe, expect, test } from "bun:test";
import { loadEncoding } from "../../src/compress/tokens.ts";
import { runSeeds } from "./lib/harness.ts";
import { bodyTarget, jsonEditTarget, requestTarget } from "./lib/targets-request.ts";

beforeAll(async () => {
  // Edits are checked to save real o200k tokens, not just estimated ones.
  await loadEncoding("o200k_base");
});

describe("fuzz: requests", () => {
  test("body: 500 seeded bodies parse exactly as the strict reference does", () => {
    expect(runSeeds(bodyTarget, 1, 500)).toEqual([]);
  });

  test("json-edit: 500 seeded documents locate, splice and append correctly", () => {
    expect(runSeeds(jsonEditTarget, 1, 500)).toEqual([]);
  });

  test("compress-request: 300 seeded requests keep protected zones and replay exactly", () => {
    expect(runSeeds(requestTarget, 1, 300)).toEqual([]);
  });
});
