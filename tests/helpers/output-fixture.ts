import { readFileSync } from "node:fs";
import { join } from "node:path";

/** A real program's captured output from tests/fixtures/outputs/<kind>/<name>. */
export function outputFixture(path: string): string {
  return readFileSync(join(import.meta.dir, "..", "fixtures", "outputs", path), "utf8");
}
