/**
 * Tables printed by system tools whose layout the generic parsers cannot read: Debian's package
 * lists and `ss` socket tables. One entry point for detection and one for parsing.
 * @module
 */

import type { Sample } from "./detect-sample.ts";
import { looksLikePackageList, parsePackageList } from "./table-packages.ts";
import type { Grid } from "./table-render.ts";
import { parseSocketTable, socketHeaderAt } from "./table-sockets.ts";

/** Whether the sample is one of the system tables parsed here. */
export function looksLikeSystemTable(sample: Sample): boolean {
  return looksLikePackageList(sample) || socketHeaderAt(sample.lines) >= 0;
}

/** Parses one of the system tables; undefined for anything else. */
export function parseSystemTable(lines: readonly string[]): Grid | undefined {
  return parsePackageList(lines) ?? parseSocketTable(lines);
}
