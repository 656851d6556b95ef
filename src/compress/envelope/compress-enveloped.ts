/**
 * Sees through the framing agents put around a tool's output (docs/agent-shapes.md) before the
 * output's kind is detected: Claude Code's numbered Read lines, Codex's exec header, Claude
 * Code's `Exit code N` line, Gemini CLI's shell result (`Output:` and its trailing facts), a client's cut in the middle of a long output, and terminal noise.
 * The framing is put back around the compressed body byte for byte; Claude Code's
 * `<persisted-output>` previews are left alone. The body itself goes through the usual
 * detection and per-kind compressors (`bare`), so this layer never decides how a kind compresses.
 * @module
 */

import type { TextCompression, TextCompressionOptions } from "../compress-text.ts";
import { detectContent, detectsAsInstall } from "../detect.ts";
import { compressRead } from "./compress-read.ts";
import { splitCut } from "./cut.ts";
import { keepCutLine } from "./cut-keep.ts";
import { isPersistedOutput, splitExecHeader, splitExitCode } from "./exec-header.ts";
import { splitGeminiShell } from "./gemini-shell.ts";
import { closeJsonPrefix } from "./json-prefix.ts";
import { findSuffixElements } from "./json-suffix.ts";
import { parseNumberedRead } from "./read-numbered.ts";
import { cleanTerminal, hasTerminalNoise } from "./terminal.ts";

/** Detection and the per-kind compressors, on a text with no framing. */
export type BareCompress = (
  text: string,
  options: TextCompressionOptions,
) => TextCompression | undefined;

/** Compresses `text` inside its framing; undefined when nothing shorter came out. */
export function compressEnveloped(
  text: string,
  options: TextCompressionOptions,
  bare: BareCompress,
): TextCompression | undefined {
  if (isPersistedOutput(text)) return undefined;
  let result: TextCompression | undefined;
  try {
    result = compressFramed(text, options, bare);
  } catch (error) {
    // Fail open: a bug in this layer must not cost the output its ordinary compression.
    options.probe?.swallowed?.("envelope", error);
    return bare(text, options);
  }
  return result && result.text.length < text.length ? result : undefined;
}

function compressFramed(
  text: string,
  options: TextCompressionOptions,
  bare: BareCompress,
): TextCompression | undefined {
  const read = parseNumberedRead(text);
  if (read) return compressRead(read, options, bare);
  const shell = splitGeminiShell(text);
  if (shell) {
    const inner = compressBody(shell.body, options, bare);
    return (
      inner && {
        ...inner,
        text: shell.header + inner.text + shell.footer,
        strategy: `gemini-shell+${inner.strategy}`,
      }
    );
  }
  const headed = splitExecHeader(text) ?? splitExitCode(text);
  if (headed) {
    const inner = compressBody(headed.body, options, bare);
    return (
      inner && {
        ...inner,
        text: headed.header + inner.text,
        strategy: `${headed.name}+${inner.strategy}`,
      }
    );
  }
  return compressBody(text, options, bare);
}

/** A command's output: cut in the middle or whole. */
function compressBody(
  body: string,
  options: TextCompressionOptions,
  bare: BareCompress,
): TextCompression | undefined {
  const cut = splitCut(body);
  if (!cut) return compressClean(body, options, bare);
  // Head and tail are usually one kind of output, best compressed together, with the cut line
  // put back if the compressor dropped it; each side is compressed alone only when that fails.
  const rest = body.slice(cut.preamble.length);
  const noisy = hasTerminalNoise(rest);
  const cleaned = noisy ? cleanTerminal(rest) : rest;
  const whole = compressClean(rest, options, bare, noisy, cleaned);
  const lines = cleaned.split("\n");
  const cutIndex = cut.head.split("\n").length - 1;
  const cutLine = cut.cut.endsWith("\n") ? cut.cut.slice(0, -1) : cut.cut;
  const kept = whole && keepCutLine(lines, cutIndex, cutLine, whole.text);
  if (whole && kept !== undefined)
    return { ...whole, text: cut.preamble + kept, strategy: `cut+${whole.strategy}` };
  const head = compressLines(cut.head, options, bare);
  const tail = compressLines(cut.tail, options, bare) ?? compressJsonTail(cut.tail, options, bare);
  const done = head ?? tail;
  if (!done) return undefined;
  const text = cut.preamble + (head?.text ?? cut.head) + cut.cut + (tail?.text ?? cut.tail);
  return {
    text,
    kind: done.kind,
    strategy: `cut+${done.strategy}`,
    lossy: Boolean(head?.lossy || tail?.lossy),
  };
}

/** Whole lines (ending with a newline, or empty): compressed without that final newline. */
function compressLines(
  lines: string,
  options: TextCompressionOptions,
  bare: BareCompress,
): TextCompression | undefined {
  const newline = lines.endsWith("\n") ? "\n" : "";
  const inner = compressClean(lines.slice(0, lines.length - newline.length), options, bare);
  return inner && { ...inner, text: inner.text + newline };
}

/**
 * Terminal noise is cleaned before detection; the cleaned text is what goes out, compressed
 * further when its kind compresses, or on its own as a lossless rewrite (whether that saves
 * enough is the router's call). A caller that has already looked at the noise passes what it
 * found (`noisy`, and the cleaned text), so it is not worked out twice.
 */
function compressClean(
  body: string,
  options: TextCompressionOptions,
  bare: BareCompress,
  noisy = hasTerminalNoise(body),
  clean?: string,
): TextCompression | undefined {
  if (!noisy) return bare(body, options) ?? compressCutJson(body, options, bare);
  // Install logs settle their own redraws (npm's spinner erases itself; apt's bars end at 100%).
  if (detectsAsInstall(body, options.probe)) return bare(body, options);
  const cleaned = clean ?? cleanTerminal(body);
  const inner = bare(cleaned, options);
  if (inner) return { ...inner, strategy: `terminal+${inner.strategy}` };
  if (cleaned.length >= body.length) return undefined;
  return {
    text: cleaned,
    kind: detectContent(cleaned, options.probe),
    strategy: "terminal:clean",
    lossy: false,
  };
}

/**
 * JSON the client cut off: the complete part is closed and compressed as JSON, and a note after
 * it keeps the cut visible, with the partial value that followed.
 */
function compressCutJson(
  body: string,
  options: TextCompressionOptions,
  bare: BareCompress,
): TextCompression | undefined {
  const prefix = closeJsonPrefix(body);
  if (!prefix) return undefined;
  const inner = bare(prefix.closed, options);
  if (inner?.kind !== "json") return undefined;
  const rest = prefix.rest.trim();
  const after = rest ? `, in the middle of: ${rest}` : "";
  const note = `[the JSON was cut off here${after}; the brackets that close it above were added]`;
  return { ...inner, text: `${inner.text}\n${note}`, strategy: `json-cut+${inner.strategy}` };
}

/**
 * The tail of cut JSON: the complete elements of the array it ends in are compressed as one
 * array, between the partial element before them and the closing brackets after them.
 */
function compressJsonTail(
  tail: string,
  options: TextCompressionOptions,
  bare: BareCompress,
): TextCompression | undefined {
  const found = findSuffixElements(tail);
  if (!found) return undefined;
  const inner = bare(`[${found.elements}]`, options);
  if (inner?.kind !== "json") return undefined;
  const note = "[the complete elements that follow, compressed together as one array:]";
  const text = `${found.before}\n${note}\n${inner.text}\n${found.after}`;
  return { ...inner, text, strategy: `json-tail+${inner.strategy}` };
}
