/**
 * Native compilers: gcc and clang ("file:l:c: warning: message [-Wflag]" with code frames and
 * notes) and rustc as cargo prints it ("error[E0308]: message", " --> file:l:c", frame).
 * @module
 */

import {
  type Diagnostic,
  emptyOwners,
  header,
  MAX_HEADER,
  type Parsed,
} from "./diagnostics-record.ts";

const GCC_HEADER =
  /^(\S.*?):(\d+):(\d+): (warning|error|fatal error): (.*?)(?: \[(-W[^\]\s]*|-Werror[^\]\s]*)\])?$/;
const GCC_NOTE = /^\S.*?:\d+:\d+: note: /;
const GCC_CONTEXT =
  /^(?:\S.*?: (?:In (?:function|member function|constructor|destructor|static function|lambda function|instantiation of) .*:|At (?:top level|global scope):)|In file included from \S.*[:,]|\s+from \S.*[:,])$/;
const MYPY_CODE_SUFFIX = / {2}\[[\w-]+\]$/;
const RUSTC_HEADER = /^(warning|error)(?:\[(E\d{4})\])?: (.+)$/;
const RUSTC_LOCATION = /^ *--> (\S.*?):(\d+):(\d+)$/;

/**
 * gcc and clang: "file:line:col: warning: message [-Wflag]", then the code frame (indented
 * lines, "  12 |   code", "     |   ^~~") and any "note:" lines about it. The "In function 'f':"
 * and "In file included from" lines before a diagnostic are its context and go with it.
 */
export function parseGcc(lines: readonly string[]): Parsed {
  const owner = emptyOwners(lines);
  const out: Diagnostic[] = [];
  let context: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.length <= MAX_HEADER && GCC_CONTEXT.test(line)) {
      context.push(i);
      continue;
    }
    const m = header(line, GCC_HEADER);
    // "message  [code]" is mypy's form (read by its own parser), never gcc's "[-Wflag]".
    if (!m || MYPY_CODE_SUFFIX.test(m[5]!)) {
      context = [];
      continue;
    }
    const index = out.length;
    const frame: string[] = [];
    for (const c of context) {
      owner[c] = index;
      frame.push(lines[c]!);
    }
    context = [];
    owner[i] = index;
    while (i + 1 < lines.length) {
      const next = lines[i + 1]!;
      const framed = next.startsWith(" ") && next.trim() !== "";
      if (!framed && !(next.length <= MAX_HEADER && GCC_NOTE.test(next))) break;
      i++;
      owner[i] = index;
      frame.push(next);
    }
    out.push({
      file: m[1]!,
      place: `${m[2]}:${m[3]}`,
      severity: m[4]!,
      code: m[6] ?? "",
      message: [m[5]!],
      frame,
    });
  }
  return { length: out.length, diagnostics: out, owner };
}

/**
 * rustc (and cargo): "warning: message" or "error[E0425]: message", then " --> file:line:col",
 * then the code frame, help and notes up to the blank line that ends it.
 */
export function parseRustc(lines: readonly string[]): Parsed {
  const owner = emptyOwners(lines);
  const out: Diagnostic[] = [];
  for (let i = 0; i + 1 < lines.length; i++) {
    const m = header(lines[i]!, RUSTC_HEADER);
    const at = m ? header(lines[i + 1]!, RUSTC_LOCATION) : null;
    if (!m || !at) continue;
    const index = out.length;
    owner[i] = index;
    owner[++i] = index;
    const frame: string[] = [];
    while (i + 1 < lines.length && lines[i + 1]!.trim() !== "") {
      i++;
      owner[i] = index;
      frame.push(lines[i]!);
    }
    out.push({
      file: at[1]!,
      place: `${at[2]}:${at[3]}`,
      severity: m[1]!,
      code: m[2] ?? "",
      message: [m[3]!],
      frame,
    });
  }
  return { length: out.length, diagnostics: out, owner };
}
