/**
 * Mutators: take a well-formed input (from a generator or the corpus) and damage it the ways real
 * tool output and network streams get damaged, so the fuzz reaches past the "not detected" path.
 * @module
 */

import type { Rng } from "./rng.ts";

/** Strings that sit on boundaries parsers get wrong. */
export const BOUNDARY_STRINGS: readonly string[] = [
  "\0",
  "\ud800",
  "\udfff",
  "\udc00\ud800",
  "\r",
  "\r\n",
  "\n",
  "\n\n",
  "\r\r",
  "\ufeff",
  "\u2028",
  "\u0085",
  "\t",
  "\x1b[31m",
  "\x1b[0m",
  "\x1b[2K\r",
  "\b",
  "\f",
  "\v",
  "data:",
  "data: ",
  "event:",
  ":",
  '"',
  "\\",
  "\\u",
  "\\ud800",
  "{",
  "}",
  "[",
  "]",
  ",",
  "-0",
  "1e999999",
  "123456789012345678901234567890",
  "-1.5E-400",
  "NaN",
  "0x1F",
  "hash=0123456789abcdef01234567",
  "[headroom: ",
  '"$columns"',
  '"$rows"',
  '{"$repeat":[1],"$times":3}',
  '{"$range":"1..5"}',
  "@@ -1,3 +1,4 @@",
  "diff --git a/x b/x",
  "--- a/x",
  "+++ b/x",
  "\\ No newline at end of file",
  "├── ",
  "│   ",
  "└── ",
  "<!--",
  "-->",
  "<script>",
  "</",
  "<![CDATA[",
  "&amp;",
  "&#x1F600;",
  "&#99999999;",
  "|---|",
  "| a |",
  "src/index.ts:12:",
  "--",
  "Traceback (most recent call last):",
  "    at f (x.js:1:1)",
  "ERROR",
  "Exit code: 1\nWall time: 0.2 seconds\nOutput:\n",
  "中",
  "😀",
  "\u0301",
  "İ",
  "Σ",
];

function longLine(rng: Rng): string {
  const unit = rng.pick(["x", "ab", " ", "0", "é", "😀", "a,", "{", "[", "\t"]);
  return unit.repeat(rng.pick([300, 1001, 5000, 33_000, 70_000]) / unit.length);
}

function deepNesting(rng: Rng): string {
  const depth = rng.pick([50, 399, 401, 1000, 5000]);
  const open = rng.pick(["[", '{"a":', '[{"k":']);
  const close = open === "[" ? "]" : open === '{"a":' ? "}" : "}]";
  return (
    open.repeat(depth) +
    rng.pick(["1", "null", '"x"']) +
    close.repeat(rng.chance(0.8) ? depth : rng.int(depth))
  );
}

/** A boundary string, or one of the expensive ones (very long line, deep nesting). */
export function boundary(rng: Rng): string {
  const r = rng.next();
  if (r < 0.06) return longLine(rng);
  if (r < 0.1) return deepNesting(rng);
  if (r < 0.13) return "9".repeat(rng.pick([20, 309, 400, 2000]));
  return rng.pick(BOUNDARY_STRINGS);
}

function lineEnds(text: string, rng: Rng): string {
  const mode = rng.int(4);
  if (mode === 0) return text.replace(/\r?\n/g, "\r\n");
  if (mode === 1) return text.replace(/\r?\n/g, "\r");
  if (mode === 2) return text.replace(/\r\n?/g, "\n");
  // Mixed, line by line.
  return text.replace(/\r?\n/g, () => rng.pick(["\n", "\r\n", "\r", "\n"]));
}

function lines(text: string): string[] {
  return text.split("\n");
}

/** One random damage to `text`; `donor` supplies text to splice in. */
export function mutateOnce(text: string, rng: Rng, donor: () => string): string {
  const n = text.length;
  const at = rng.int(n + 1);
  const len = rng.int(Math.min(n - at, rng.pick([1, 8, 64, 1000])) + 1);
  switch (rng.int(14)) {
    case 0: {
      // Bit flip in one UTF-16 code unit (may make a lone surrogate or a control character).
      if (n === 0) return text;
      const i = Math.min(at, n - 1);
      const code = text.charCodeAt(i) ^ (1 << rng.int(rng.chance(0.7) ? 7 : 16));
      return text.slice(0, i) + String.fromCharCode(code) + text.slice(i + 1);
    }
    case 1:
      return text.slice(0, at); // truncation
    case 2:
      return text.slice(at); // truncation at the front
    case 3:
      return text.slice(0, at) + text.slice(at + len); // deletion
    case 4:
      return text.slice(0, at) + text.slice(at, at + len) + text.slice(at); // duplication
    case 5:
    case 6:
      return text.slice(0, at) + boundary(rng) + text.slice(at);
    case 7: {
      // Splice with another input.
      const other = donor();
      const from = rng.int(other.length + 1);
      const piece = other.slice(from, from + rng.int(2000));
      return rng.chance(0.5)
        ? text.slice(0, at) + piece + text.slice(at)
        : text.slice(0, at) + other.slice(from);
    }
    case 8:
      return lineEnds(text, rng);
    case 9: {
      // Repeat one line many times (the runs the collapsers look for).
      const ls = lines(text);
      const i = rng.int(ls.length);
      ls.splice(i, 0, ...Array.from({ length: rng.range(2, 60) }, () => ls[i]!));
      return ls.join("\n");
    }
    case 10: {
      // Swap or drop lines.
      const ls = lines(text);
      const i = rng.int(ls.length);
      const j = rng.int(ls.length);
      if (rng.chance(0.5)) [ls[i], ls[j]] = [ls[j]!, ls[i]!];
      else ls.splice(i, 1);
      return ls.join("\n");
    }
    case 11: {
      // Truncate one line (a cut-off write).
      const ls = lines(text);
      const i = rng.int(ls.length);
      ls[i] = ls[i]!.slice(0, rng.int(ls[i]!.length + 1));
      return ls.join("\n");
    }
    case 12:
      return rng.chance(0.5)
        ? `\ufeff${text}`
        : `${text}${rng.pick(["\n", "\r\n", "", "\n\n\n", " "])}`;
    default: {
      // Case or indentation change of a line.
      const ls = lines(text);
      const i = rng.int(ls.length);
      const l = ls[i]!;
      ls[i] = rng.chance(0.5) ? l.toUpperCase() : rng.pick(["  ", "\t", "    "]) + l;
      return ls.join("\n");
    }
  }
}

/** Applies 1..max mutations. */
export function mutate(text: string, rng: Rng, donor: () => string, max = 4): string {
  let out = text;
  for (let k = rng.range(1, max); k > 0; k--) out = mutateOnce(out, rng, donor);
  return out;
}

/** Bytes that break UTF-8 decoding in every way the decoder distinguishes. */
const BAD_UTF8: readonly (readonly number[])[] = [
  [0xff],
  [0xfe],
  [0x80],
  [0xbf],
  [0xc0, 0x80], // overlong NUL
  [0xc3], // truncated 2-byte
  [0xe2, 0x82], // truncated 3-byte
  [0xf0, 0x9f, 0x98], // truncated 4-byte
  [0xed, 0xa0, 0x80], // encoded surrogate
  [0xf4, 0x90, 0x80, 0x80], // beyond U+10FFFF
  [0xe0, 0x80, 0x80], // overlong
  [0xef, 0xbb, 0xbf], // BOM
  [0x00],
  [0x0d],
  [0x0a],
  [0x0d, 0x0a],
];

const encoder = new TextEncoder();

/** One random damage to bytes. */
export function mutateBytesOnce(bytes: Uint8Array, rng: Rng): Uint8Array {
  const n = bytes.length;
  const at = rng.int(n + 1);
  const len = rng.int(Math.min(n - at, rng.pick([1, 4, 64])) + 1);
  const join = (...parts: ArrayLike<number>[]) => {
    const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  };
  switch (rng.int(6)) {
    case 0: {
      if (n === 0) return bytes;
      const out = bytes.slice();
      const i = Math.min(at, n - 1);
      out[i] = out[i]! ^ (1 << rng.int(8));
      return out;
    }
    case 1:
      return bytes.slice(0, at);
    case 2:
      return join(bytes.subarray(0, at), bytes.subarray(at + len));
    case 3:
      return join(
        bytes.subarray(0, at + len),
        bytes.subarray(at, at + len),
        bytes.subarray(at + len),
      );
    case 4:
      return join(bytes.subarray(0, at), rng.pick(BAD_UTF8), bytes.subarray(at));
    default:
      return join(bytes.subarray(0, at), encoder.encode(boundary(rng)), bytes.subarray(at));
  }
}

export function mutateBytes(bytes: Uint8Array, rng: Rng, max = 4): Uint8Array {
  let out = bytes;
  for (let k = rng.range(1, max); k > 0; k--) out = mutateBytesOnce(out, rng);
  return out;
}
