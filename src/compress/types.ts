/**
 * Shared shapes of the compressors: each is a pure, deterministic function of its input text and
 * a context, and either declines (returns undefined) or returns a shorter text.
 * @module
 */

import type { CompressProbe } from "./probe.ts";

/** What a piece of tool output was detected as. */
export type ContentKind =
  | "json"
  | "log"
  | "search"
  | "diff"
  | "git"
  | "install"
  | "listing"
  | "table"
  | "html"
  | "code"
  | "text";

/** What a compressor knows besides its input. */
export interface CompressContext {
  /** The user's latest question (may be empty); rows and lines that match it are kept. */
  readonly query: string;
  /** Whether content may be dropped. Only true when a marker's hash can be redeemed later. */
  readonly lossy: boolean;
  /**
   * Returns the elision marker for the current input: `summary` says what was left out, and the
   * marker carries the hash under which the whole original input is stored.
   */
  marker(summary: string): string;
  /** Sees what tests look for (see probe.ts); production passes none. */
  readonly probe?: CompressProbe | undefined;
}

/** A compressor's answer when it changed something. */
export interface CompressOutput {
  /** The compressed text; never longer than the input. */
  readonly text: string;
  /** A short tag naming what was done, e.g. "json:table" or "log:collapse". */
  readonly strategy: string;
  /** True when content was dropped, so the original must be stored under the marker's hash. */
  readonly lossy: boolean;
}

/** A compressor: the same input and context always give the same output, and it never throws. */
export type Compressor = (input: string, ctx: CompressContext) => CompressOutput | undefined;
