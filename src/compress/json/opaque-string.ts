/**
 * Recognises long opaque strings a model cannot read anyway (base64 payloads and data URIs, hex
 * dumps, tokens, minified code or markup) so lossy mode can cut them to a short head.
 * @module
 */

/** Strings shorter than this are never treated as opaque. */
export const OPAQUE_MIN_LENGTH = 320;
/** Characters of an opaque string kept in front of the note. */
export const OPAQUE_HEAD = 32;

/** What kind of opaque content a string is, or undefined when it is readable text. */
export function opaqueKind(s: string): string | undefined {
  const n = s.length;
  if (n < OPAQUE_MIN_LENGTH) return undefined;
  if (/^data:[\w.+-]+\/[\w.+-]+(?:;[\w.+-]+=[\w.+-]+)*;base64,/.test(s.slice(0, 200)))
    return "base64 data URI";
  let base64 = 0;
  let hex = 0;
  let space = 0;
  let newline = 0;
  let punct = 0;
  let upper = 0;
  let lower = 0;
  let digit = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      digit++;
      hex++;
      base64++;
    } else if (c >= 65 && c <= 90) {
      upper++;
      base64++;
      if (c <= 70) hex++;
    } else if (c >= 97 && c <= 122) {
      lower++;
      base64++;
      if (c <= 102) hex++;
    } else if (c === 43 || c === 47 || c === 61 || c === 45 || c === 95) {
      base64++;
      if (c !== 45 && c !== 95) punct++;
    } else if (c === 10 || c === 13) newline++;
    else if (c === 32 || c === 9) space++;
    else if (
      c === 123 ||
      c === 125 ||
      c === 40 ||
      c === 41 ||
      c === 59 ||
      c === 60 ||
      c === 62 ||
      c === 44
    )
      punct++;
  }
  if (hex === n) return "hex";
  // Base64, possibly wrapped at a fixed width (PEM, MIME).
  if (base64 + newline === n && newline * 60 <= n && upper > 0 && lower > 0 && digit > 0) {
    return /^[\w-]+\.[\w-]+\.[\w-]+$/.test(s) ? "token" : "base64";
  }
  if (/^[\w-]+\.[\w-]+\.[\w-]+$/.test(s)) return "token";
  if (/^https?:\/\//.test(s) && n < 4096) return undefined;
  // Minified code or markup: long lines, dense punctuation, few spaces.
  const lines = newline + 1;
  if (n >= 1024 && n / lines > 500 && punct > n * 0.08 && space < n * 0.12) return "minified code";
  // One unbroken run of mostly letters and digits (a hash chain, an encoded payload); lists
  // separated by commas or semicolons stay readable.
  if (space + newline === 0 && n >= 512 && upper + lower + digit > n * 0.9) return "blob";
  return undefined;
}
