/**
 * The compressor of the "log" kind: the readers that understand one family of output exactly
 * (compiler and linter diagnostics, then test runs) get the first try, and whatever they decline
 * goes to the general log compressor.
 * @module
 */

import { compressDiagnostics } from "./diagnostics.ts";
import { compressLog } from "./log.ts";
import { compressTestRun } from "./test-run.ts";
import type { Compressor } from "./types.ts";

/** Diagnostics, then test runs, then any log. */
export const compressLogFamily: Compressor = (input, ctx) =>
  compressDiagnostics(input, ctx) ?? compressTestRun(input, ctx) ?? compressLog(input, ctx);
