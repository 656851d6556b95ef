/**
 * Compression of a Claude Code Read (see read-numbered.ts for the numbering and read-policy.ts for
 * which files may be compressed). A file with terminal escapes or `\r` redraws in it is a saved
 * command output, never a file someone edits, so it is cleaned line by line (the numbering stays
 * aligned) and compressed whatever its kind, or at least sent cleaned.
 * @module
 */

import type { TextCompression, TextCompressionOptions } from "../compress-text.ts";
import { detectContent } from "../detect.ts";
import { terminalLines } from "../log-clean.ts";
import type { BareCompress } from "./compress-enveloped.ts";
import { type NumberedRead, renumber } from "./read-numbered.ts";
import { mayCompressRead } from "./read-policy.ts";
import { hasTerminalNoise } from "./terminal.ts";

export function compressRead(
  read: NumberedRead,
  options: TextCompressionOptions,
  bare: BareCompress,
): TextCompression | undefined {
  const raw = read.lines.join("\n");
  const noisy = hasTerminalNoise(raw);
  const lines = noisy ? terminalLines(raw) : read.lines;
  const body = noisy ? lines.join("\n") : raw;
  const kind = detectContent(body);
  if (!noisy && !mayCompressRead(read.lines, kind)) return undefined;
  const clean: NumberedRead = { first: read.first, lines };
  const prefix = noisy ? "read+terminal" : "read";
  const inner = bare(body, options);
  if (inner)
    return { ...inner, text: renumber(clean, inner.text), strategy: `${prefix}+${inner.strategy}` };
  if (!noisy) return undefined;
  return { text: renumber(clean, body), kind, strategy: `${prefix}:clean`, lossy: false };
}
