/**
 * Compression of a Claude Code Read (see read-numbered.ts for the numbering and read-policy.ts for
 * which files may be compressed). A saved command output is never a file someone edits, so it is
 * compressed whatever its kind: a Read of the file Claude Code saved a long output to (the
 * caller says so), or a file with terminal escapes or `\r` redraws in it, which is also cleaned
 * line by line (the numbering stays aligned), or at least sent cleaned.
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
  const kind = detectContent(body, options.probe);
  const saved = noisy || options.savedOutput === true;
  if (!saved && !mayCompressRead(read.lines, kind)) return undefined;
  const clean: NumberedRead = { first: read.first, lines };
  const prefix = noisy ? "read+terminal" : "read";
  const inner = bare(body, options);
  if (inner)
    return { ...inner, text: renumber(clean, inner.text), strategy: `${prefix}+${inner.strategy}` };
  if (!noisy) return undefined;
  return { text: renumber(clean, body), kind, strategy: `${prefix}:clean`, lossy: false };
}
