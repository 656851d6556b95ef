/**
 * Python's checkers: mypy ("file:l[:c]: error: message  [code]" and its notes) and flake8 with
 * the tools that print its form (pycodestyle, pyflakes, ruff --output-format concise).
 * @module
 */

import {
  type Diagnostic,
  emptyOwners,
  header,
  MAX_HEADER,
  type Parsed,
} from "./diagnostics-record.ts";

const MYPY_HEADER = /^(\S.*?):(\d+)(?::(\d+))?: (error|warning): (.*?)(?: {2}\[([\w-]+)\])?$/;
const MYPY_NOTE = /^\S.*?:\d+(?::\d+)?: note: /;
const FLAKE8 = /^(\S.*?):(\d+):(\d+): ([A-Z]{1,3}\d{2,4}) (.*)$/;

/** mypy: "file:line[:col]: error: message  [code]", and "note:" lines about it that follow. */
export function parseMypy(lines: readonly string[]): Parsed {
  const owner = emptyOwners(lines);
  const out: Diagnostic[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = header(lines[i]!, MYPY_HEADER);
    if (!m) continue;
    const index = out.length;
    owner[i] = index;
    const frame: string[] = [];
    while (
      i + 1 < lines.length &&
      lines[i + 1]!.length <= MAX_HEADER &&
      MYPY_NOTE.test(lines[i + 1]!)
    ) {
      owner[++i] = index;
      frame.push(lines[i]!);
    }
    out.push({
      file: m[1]!,
      place: m[3] ? `${m[2]}:${m[3]}` : m[2]!,
      severity: m[4]!,
      code: m[6] ?? "",
      message: [m[5]!],
      frame,
    });
  }
  return { length: out.length, diagnostics: out, owner };
}

/** flake8, pycodestyle, pyflakes, ruff's concise form: "file:line:col: E501 message". */
export function parseFlake8(lines: readonly string[]): Parsed {
  const owner = emptyOwners(lines);
  const out: Diagnostic[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = header(lines[i]!, FLAKE8);
    if (!m) continue;
    owner[i] = out.length;
    const code = m[4]!;
    const severity = code.startsWith("E") || code.startsWith("F") ? "error" : "warning";
    out.push({
      file: m[1]!,
      place: `${m[2]}:${m[3]}`,
      severity,
      code,
      message: [m[5]!],
      frame: [],
    });
  }
  return { length: out.length, diagnostics: out, owner };
}
