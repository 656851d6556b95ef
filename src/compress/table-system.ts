/**
 * Tables printed by system tools whose layout the generic parsers cannot read: Debian's package
 * lists and `ss` socket tables (parsed into grids), and `apt-cache policy`, `mount` and `env`
 * (rewritten in forms of their own). One entry point for detection, one for parsing, one for
 * the rewrites.
 * @module
 */

import type { Sample } from "./detect-sample.ts";
import { compressAptPolicy, looksLikeAptPolicy } from "./table-apt-policy.ts";
import { compressEnv, looksLikeEnv } from "./table-env.ts";
import { looksLikeMount, rewriteMount } from "./table-mount.ts";
import { looksLikePackageList, parsePackageList } from "./table-packages.ts";
import type { Grid } from "./table-render.ts";
import { parseSocketTable, socketHeaderAt } from "./table-sockets.ts";
import type { CompressContext, CompressOutput } from "./types.ts";

/** Whether the sample is one of the system tables handled here. */
export function looksLikeSystemTable(sample: Sample): boolean {
  const lines = sample.lines;
  return (
    looksLikePackageList(sample) ||
    socketHeaderAt(lines) >= 0 ||
    looksLikeAptPolicy(lines) ||
    looksLikeMount(lines) ||
    looksLikeEnv(lines)
  );
}

/** Parses one of the system tables; undefined for anything else. */
export function parseSystemTable(lines: readonly string[]): Grid | undefined {
  return parsePackageList(lines) ?? parseSocketTable(lines);
}

/**
 * Compresses the system outputs that are no grid (`lines` without trailing blank lines);
 * undefined when `lines` are none of them or nothing pays.
 */
export function compressSystemText(
  lines: readonly string[],
  ctx: CompressContext,
): CompressOutput | undefined {
  if (looksLikeAptPolicy(lines)) return compressAptPolicy(lines, ctx);
  if (looksLikeMount(lines)) {
    const text = rewriteMount(lines);
    return text === undefined ? undefined : { text, strategy: "table:mount-runs", lossy: false };
  }
  if (looksLikeEnv(lines)) return compressEnv(lines, ctx);
  return undefined;
}
