/**
 * The command line that runs this same headroom again: the compiled executable itself (its
 * runtime flags are built in), or Bun with those flags and the entry script from source.
 * @module
 */

import { PARSER_HEADER_FLAG } from "../runtime/header-limit.ts";

/** `headroom <args>` as an argv array. */
export function selfCommand(args: readonly string[]): string[] {
  const compiled = typeof Bun !== "undefined" && Bun.main.startsWith("/$bunfs/");
  return compiled
    ? [process.execPath, ...args]
    : [process.execPath, PARSER_HEADER_FLAG, Bun.main, ...args];
}
