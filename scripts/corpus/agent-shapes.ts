/**
 * How Claude Code (2.1.332) and Codex (0.169.0) hand a command's output to the model, rebuilt
 * from the raw output so the corpus can be scored as each agent delivers it. The framing was
 * checked byte for byte against captures of both CLIs (see tests/corpus/README.md, "Agent
 * shapes"); what varies run to run (Codex's chunk id and wall time, Claude Code's spill path)
 * is a parameter.
 * @module
 */

/** Claude Code's Bash tool sends outputs up to this many characters whole. */
export const CLAUDE_BASH_MAX_CHARS = 30_000;

/** Claude Code's Read fails on files over this many bytes unless given an offset and limit. */
export const CLAUDE_READ_MAX_BYTES = 256 * 1024;

/** Lines per Read when a file is too big for one: the page size the model asks for. */
export const CLAUDE_READ_PAGE_LINES = 2_000;

/** Codex cuts an output whose estimated tokens exceed this. */
export const CODEX_TOKEN_BUDGET = 10_000;

/** Codex estimates tokens as UTF-8 bytes over four, rounded up; the cut keeps budget × 4 bytes. */
const CODEX_BYTES_PER_TOKEN = 4;

const encoder = new TextEncoder();

/** The number of UTF-8 bytes of `text`. */
export function utf8Length(text: string): number {
  return encoder.encode(text).length;
}

/** `text` without trailing newlines (a loop: a regex anchored at the end rescans long runs). */
function trimTrailingNewlines(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 10) end--;
  return text.slice(0, end);
}

/** `text` without leading newlines. */
function trimLeadingNewlines(text: string): string {
  let start = 0;
  while (start < text.length && text.charCodeAt(start) === 10) start++;
  return text.slice(start);
}

/** A failed command's result (`is_error`) longer than this keeps only its two ends. */
export const CLAUDE_ERROR_MAX_CHARS = 10_000;

/** How many characters of each end a cut error result keeps. */
const CLAUDE_ERROR_END_CHARS = 5_000;

/**
 * What Claude Code's Bash tool sends for an output of at most CLAUDE_BASH_MAX_CHARS. A failing
 * command's result starts with `Exit code N`, and past 10,000 characters only its first and
 * last 5,000 are sent around `... [N characters truncated] ...`.
 */
export function claudeBashResult(output: string, exitCode: number): string {
  const body = trimTrailingNewlines(output);
  const text = body === "" ? "(Bash completed with no output)" : body;
  if (exitCode === 0) return text;
  const error = `Exit code ${exitCode}\n${text}`;
  if (error.length <= CLAUDE_ERROR_MAX_CHARS) return error;
  const cut = error.length - 2 * CLAUDE_ERROR_END_CHARS;
  return (
    `${error.slice(0, CLAUDE_ERROR_END_CHARS)}\n\n... [${cut} characters truncated] ...\n\n` +
    error.slice(-CLAUDE_ERROR_END_CHARS)
  );
}

/**
 * What Claude Code's Bash tool sends instead of a longer output: a `<persisted-output>` note
 * with the file it saved and a preview of about 2 KB, cut back to a whole line.
 */
export function claudePersistedResult(output: string, exitCode: number, savedPath: string): string {
  const body = trimTrailingNewlines(output);
  const size = (utf8Length(body) / 1024).toFixed(1);
  const head = trimLeadingNewlines(body).slice(0, 2_000);
  const lastNewline = head.lastIndexOf("\n");
  const preview = lastNewline > 0 ? head.slice(0, lastNewline) : head;
  const note =
    `<persisted-output>\nOutput too large (${size}KB). Full output saved to: ${savedPath}\n\n` +
    `Preview (first 2KB):\n${preview}\n...\n</persisted-output>`;
  return exitCode === 0 ? note : `Exit code ${exitCode}\n${note}`;
}

/**
 * What Claude Code's Read tool sends for a file: every line as `N\t<line>`, N counting from
 * `offset` (1-based, unpadded), joined with `\n`. Carriage returns at a line's end go (`\r\n`,
 * `\r\r\n`); a `\r` inside a line stays. A file ending in a newline has one more, empty, numbered line. `limit` caps
 * the number of lines.
 */
export function claudeReadResult(
  file: string,
  offset = 1,
  limit = Number.POSITIVE_INFINITY,
): string {
  const lines = file.split("\n");
  const first = offset - 1;
  const last = Math.min(lines.length, first + limit);
  const numbered: string[] = [];
  for (let i = first; i < last; i++) {
    const line = lines[i]!;
    let end = line.length;
    while (end > 0 && line.charCodeAt(end - 1) === 13) end--;
    numbered.push(`${i + 1}\t${line.slice(0, end)}`);
  }
  return numbered.join("\n");
}

/** Whether Claude Code spills this output to a file, so the model Reads it (numbered lines). */
export function claudeSpills(output: string, exitCode: number): boolean {
  return exitCode === 0 && trimTrailingNewlines(output).length > CLAUDE_BASH_MAX_CHARS;
}

/**
 * The texts the model sees from Claude Code for one command's output: the Bash result when it
 * fits; otherwise the saved output as the model then Reads it (whole up to 256 KB, else in pages
 * of 2,000 lines, each a separate tool result). The `<persisted-output>` note itself is left out:
 * it is a 2 KB preview the model reads before asking for the file. A failing command is taken to
 * stay an error result at any length (the captures show the cut error form, never a spilled one).
 */
export function claudeDelivery(output: string, exitCode: number): string[] {
  if (!claudeSpills(output, exitCode)) return [claudeBashResult(output, exitCode)];
  const body = trimTrailingNewlines(output);
  if (utf8Length(body) <= CLAUDE_READ_MAX_BYTES) return [claudeReadResult(body)];
  const lineCount = body.split("\n").length;
  const pages: string[] = [];
  for (let offset = 1; offset <= lineCount; offset += CLAUDE_READ_PAGE_LINES) {
    pages.push(claudeReadResult(body, offset, CLAUDE_READ_PAGE_LINES));
  }
  return pages;
}

/** Codex's token estimate of an output. */
export function codexTokenCount(output: string): number {
  return Math.ceil(utf8Length(output) / CODEX_BYTES_PER_TOKEN);
}

/** The longest prefix of `text` whose UTF-8 form fits in `bytes` (never splits a character). */
function headBytes(text: string, bytes: number): string {
  let used = 0;
  let i = 0;
  while (i < text.length) {
    const code = text.codePointAt(i)!;
    const width = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (used + width > bytes) break;
    used += width;
    i += code >= 0x10000 ? 2 : 1;
  }
  return text.slice(0, i);
}

/** The longest suffix of `text` whose UTF-8 form fits in `bytes`. */
function tailBytes(text: string, bytes: number): string {
  let used = 0;
  let i = text.length;
  while (i > 0) {
    const low = text.charCodeAt(i - 1);
    const pair = low >= 0xdc00 && low <= 0xdfff && i >= 2;
    const code = pair ? text.codePointAt(i - 2)! : low;
    const width = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (used + width > bytes) break;
    used += width;
    i -= pair && code >= 0x10000 ? 2 : 1;
  }
  return text.slice(i);
}

/** The number of lines of an output, as `wc -l` counts them plus a last unterminated one. */
function lineCount(output: string): number {
  if (output === "") return 0;
  let lines = 1;
  for (let i = output.indexOf("\n"); i !== -1; i = output.indexOf("\n", i + 1)) lines++;
  return output.endsWith("\n") ? lines - 1 : lines;
}

/** The run-to-run parts of a Codex exec_command result. */
export interface CodexRun {
  readonly chunkId: string;
  readonly wallSeconds: number;
}

/**
 * What Codex's exec_command sends: a header, then the output (trailing newline kept). Past the
 * token budget, a warning and the line count, then the first and last budget × 2 bytes around
 * `…N tokens truncated…`, cut inside lines.
 */
export function codexExecResult(
  output: string,
  exitCode: number,
  run: CodexRun = { chunkId: "000000", wallSeconds: 0 },
): string {
  const tokens = codexTokenCount(output);
  const header =
    `Chunk ID: ${run.chunkId}\nWall time: ${run.wallSeconds.toFixed(4)} seconds\n` +
    `Process exited with code ${exitCode}\nOriginal token count: ${tokens}\nOutput:\n`;
  if (tokens <= CODEX_TOKEN_BUDGET) return header + output;
  const keep = (CODEX_TOKEN_BUDGET * CODEX_BYTES_PER_TOKEN) / 2;
  return (
    `${header}Warning: truncated output (original token count: ${tokens})\n` +
    `Total output lines: ${lineCount(output)}\n\n` +
    `${headBytes(output, keep)}…${tokens - CODEX_TOKEN_BUDGET} tokens truncated…${tailBytes(output, keep)}`
  );
}
