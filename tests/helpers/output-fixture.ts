import { readFileSync } from "node:fs";
import { join } from "node:path";

/** A real program's captured output from tests/fixtures/outputs/<kind>/<name>. */
export function outputFixture(path: string): string {
  return readFileSync(join(import.meta.dir, "..", "fixtures", "outputs", path), "utf8");
}

/**
 * A shell listing of 120 hosts as JSON whose row 58 alone carries `needle` in its note: lossy
 * compression drops that row, so only a retrieval of the original can answer a question on it.
 */
export function hostListingWithNeedle(needle: string): string {
  return JSON.stringify(
    Array.from({ length: 120 }, (_, i) => ({
      id: i + 1,
      host: `web-${(i % 6) + 1}`,
      status: "healthy",
      note: i === 57 ? needle : `routine check ${i}`,
    })),
    null,
    2,
  );
}
