/**
 * How each client hands a command's output to the model, byte for byte as the captured shapes
 * show (Claude Code 2.1.332, Codex 0.169.0):
 *
 * - Claude Code's Bash sends up to 30,000 characters whole (trailing newlines trimmed). Past that
 *   it saves the output to a file and sends a `<persisted-output>` block with a 2 KB preview; the
 *   model then Reads the file, which comes back with every line prefixed `N\t` (from 1; a final
 *   newline gives an empty last numbered line; lines cut at 5,000 characters).
 * - Codex's exec_command sends a header (`Chunk ID`, `Wall time`, exit code, `Original token
 *   count` at 4 bytes a token) and the output; past 10,000 of those tokens, a warning with the
 *   line count, then the first and last 20,000 bytes around `…N tokens truncated…`.
 */

import { createHash } from "node:crypto";

export const BASH_LIMIT = 30_000;
const PREVIEW_BYTES = 2000;
const READ_LINE_LIMIT = 5000;
const CODEX_TOKEN_LIMIT = 10_000;
const CODEX_BYTES_PER_TOKEN = 4;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Whether Claude Code's Bash spills this output to a file. */
export const spillsToFile = (text: string) => text.length > BASH_LIMIT;

/** Claude Code's Bash tool_result content for an output that fits. */
export function claudeBash(text: string): string {
  return text.replace(/\n+$/, "");
}

/** Claude Code's Bash tool_result content for an output saved to `path`. */
export function claudePersisted(text: string, path: string): string {
  const kb = (encoder.encode(text).length / 1024).toFixed(1);
  const head = text.slice(0, PREVIEW_BYTES).replace(/^\n+/, "");
  const cut = head.lastIndexOf("\n");
  const preview = cut > 0 ? head.slice(0, cut) : head;
  return `<persisted-output>\nOutput too large (${kb}KB). Full output saved to: ${path}\n\nPreview (first 2KB):\n${preview}\n...\n</persisted-output>`;
}

/** Claude Code's Read tool_result content for a whole file. */
export function claudeRead(text: string): string {
  return text
    .split("\n")
    .map((line, index) => `${index + 1}\t${line.slice(0, READ_LINE_LIMIT)}`)
    .join("\n");
}

/** A stable six-hex-digit chunk id for an output (Codex's are random). */
function chunkId(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 6);
}

/** Codex's exec_command function_call_output for an output. */
export function codexExec(text: string, exitCode = 0): string {
  const bytes = encoder.encode(text);
  const tokens = Math.ceil(bytes.length / CODEX_BYTES_PER_TOKEN);
  const header = `Chunk ID: ${chunkId(text)}\nWall time: 0.0000 seconds\nProcess exited with code ${exitCode}\nOriginal token count: ${tokens}\nOutput:\n`;
  if (tokens <= CODEX_TOKEN_LIMIT) return header + text;
  const keep = (CODEX_TOKEN_LIMIT * CODEX_BYTES_PER_TOKEN) / 2;
  const head = decoder.decode(bytes.subarray(0, keep)).replace(/\uFFFD$/, "");
  const tail = decoder.decode(bytes.subarray(bytes.length - keep)).replace(/^\uFFFD/, "");
  const lines = text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
  return `${header}Warning: truncated output (original token count: ${tokens})\nTotal output lines: ${lines}\n\n${head}…${tokens - CODEX_TOKEN_LIMIT} tokens truncated…${tail}`;
}
