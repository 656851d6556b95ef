// The search samples the other search tests use stay realistic in size.
import { describe, expect, test } from "bun:test";
import { SEARCH_SAMPLES } from "../helpers/search-samples.ts";

describe("search samples", () => {
  test("are realistic in size", () => {
    for (const sample of SEARCH_SAMPLES) expect(sample.text.split("\n").length).toBeGreaterThan(20);
  });
});
