/**
 * The headers agents put before a command's output (docs/agent-shapes.md): Codex's exec_command
 * block (`Chunk ID:`, `Wall time:`, `Process exited with code N`, `Original token count:`, then
 * `Output:`) and Claude Code's `Exit code N` line on a failed Bash call. The header is kept byte
 * for byte and only the output under it is compressed.
 * @module
 */

/** A text split into its header (with its final newline) and the command's output. */
export interface Headed {
  /** "exec" for Codex's header, "exit" for Claude Code's exit line. */
  readonly name: "exec" | "exit";
  readonly header: string;
  readonly body: string;
}

/** Codex header lines, before the `Output:` line that ends the header. */
const CODEX_LINE =
  /^(?:Chunk ID: [\w-]{1,64}|Wall time: [\d.]{1,20} seconds?|Process exited with code -?\d{1,6}|Process running with session ID \d{1,20}|Original token count: \d{1,12}|Exit code: -?\d{1,6}|Total output lines: \d{1,12})\r?$/;
const CLAUDE_EXIT = /^Exit code -?\d{1,6}\n/;

/** Codex's header, up to and including `Output:\n`; undefined when the text has none. */
export function splitExecHeader(text: string): Headed | undefined {
  let pos = 0;
  for (let k = 0; k < 8; k++) {
    const nl = text.indexOf("\n", pos);
    if (nl < 0 || nl - pos > 80) return undefined;
    const line = text.slice(pos, nl);
    if (line === "Output:" || line === "Output:\r") {
      if (k < 2) return undefined;
      return { name: "exec", header: text.slice(0, nl + 1), body: text.slice(nl + 1) };
    }
    if (!CODEX_LINE.test(line)) return undefined;
    pos = nl + 1;
  }
  return undefined;
}

/** Claude Code's `Exit code N` first line of a failed Bash call. */
export function splitExitCode(text: string): Headed | undefined {
  const match = CLAUDE_EXIT.exec(text.slice(0, 24));
  if (!match) return undefined;
  return { name: "exit", header: match[0], body: text.slice(match[0].length) };
}

/** Claude Code's preview of an output it saved to a file: left alone, the model reads the file. */
export function isPersistedOutput(text: string): boolean {
  return text.startsWith("<persisted-output>") && text.trimEnd().endsWith("</persisted-output>");
}
