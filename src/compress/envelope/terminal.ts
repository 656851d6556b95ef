/**
 * Terminal noise in a captured output: colour and cursor escapes, `\r` progress redraws and
 * backspace overstrikes. The model needs what the terminal finally showed, so the output is
 * cleaned before it is classified (see log-clean.ts for what the cleaning keeps).
 * @module
 */

import { terminalLines } from "../log-clean.ts";

// A progress bar redraws many times; a lone carriage return is content (a commit message that
// quotes one, a Windows path in a log), and cleaning would drop the text before it.
const MIN_REDRAWS = 3;

/**
 * Whether `text` has anything a terminal would not show as written: escapes, backspaces, or
 * `\r` redraws (CRLF endings alone do not count, nor fewer than three bare carriage returns).
 */
export function hasTerminalNoise(text: string): boolean {
  if (text.includes("\u001b") || text.includes("\u009b") || text.includes("\b")) return true;
  let redraws = 0;
  for (let i = text.indexOf("\r"); i >= 0; i = text.indexOf("\r", i + 1))
    if (text.charCodeAt(i + 1) !== 10 && ++redraws >= MIN_REDRAWS) return true;
  return false;
}

/** What a terminal finally shows of `text`. */
export function cleanTerminal(text: string): string {
  return terminalLines(text).join("\n");
}
