// The log samples the other log tests use stay realistic (sizes, and the facts they must keep).
import { describe, expect, test } from "bun:test";
import { LOG_SAMPLES } from "../helpers/log-samples.ts";

describe("log samples", () => {
  test("are realistic in size", () => {
    for (const sample of LOG_SAMPLES) {
      expect(sample.text.split("\n").length).toBeGreaterThan(40);
      for (const fact of sample.keep) {
        expect(sample.text).toContain(fact);
      }
    }
  });
});
