/**
 * The command line that runs this same headroom again: the compiled executable itself, or Bun
 * with the entry script when running from source.
 * @module
 */

/** `headroom <args>` as an argv array. */
export function selfCommand(args: readonly string[]): string[] {
  const compiled = typeof Bun !== "undefined" && Bun.main.startsWith("/$bunfs/");
  return compiled ? [process.execPath, ...args] : [process.execPath, Bun.main, ...args];
}
