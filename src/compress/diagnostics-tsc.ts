/**
 * tsc's two layouts: plain ("file(l,c): error TS2345: message" and indented elaboration) and
 * --pretty ("file:l:c - error TS2345: message", elaboration, code frame, closing per-file table).
 * @module
 */

import { type Diagnostic, DROP, emptyOwners, header, type Parsed } from "./diagnostics-record.ts";

const TSC_PLAIN = /^(\S.*?)\((\d+),(\d+)\): (error|warning|message) (TS\d+): (.*)$/;
const TSC_PRETTY = /^(\S.*?):(\d+):(\d+) - (error|warning|message) (TS\d+): (.*)$/;
const TSC_FOUND = /^Found \d+ errors?\b/;
const TSC_FILES_TABLE_HEADER = /^Errors {2}Files$/;
const TSC_FILES_TABLE_ROW = /^ +\d+ {2}\S/;

function isContinuation(line: string): boolean {
  return line.startsWith("  ") && line.trim() !== "";
}

/** tsc without --pretty: a header line, then its indented elaboration lines. */
export function parseTscPlain(lines: readonly string[]): Parsed {
  const owner = emptyOwners(lines);
  const out: Diagnostic[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = header(lines[i]!, TSC_PLAIN);
    if (!m) continue;
    const index = out.length;
    owner[i] = index;
    const message = [m[6]!];
    while (i + 1 < lines.length && isContinuation(lines[i + 1]!)) {
      message.push(lines[++i]!.trimEnd());
      owner[i] = index;
    }
    out.push({
      file: m[1]!,
      place: `${m[2]}:${m[3]}`,
      severity: m[4]!,
      code: m[5]!,
      message,
      frame: [],
    });
  }
  return { length: out.length, diagnostics: out, owner };
}

/**
 * tsc --pretty: header, elaboration, a blank line, the code frame; the closing per-file table
 * repeats what the records say and is dropped.
 */
export function parseTscPretty(lines: readonly string[]): Parsed {
  const owner = emptyOwners(lines);
  const out: Diagnostic[] = [];
  let inTable = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (inTable) {
      if (TSC_FILES_TABLE_ROW.test(line)) {
        owner[i] = DROP;
        continue;
      }
      inTable = false;
    }
    if (TSC_FILES_TABLE_HEADER.test(line)) {
      inTable = true;
      owner[i] = DROP;
      continue;
    }
    const m = header(line, TSC_PRETTY);
    if (!m) continue;
    const index = out.length;
    owner[i] = index;
    const message = [m[6]!];
    while (i + 1 < lines.length && isContinuation(lines[i + 1]!)) {
      message.push(lines[++i]!.trimEnd());
      owner[i] = index;
    }
    const frame: string[] = [];
    while (i + 1 < lines.length) {
      const next = lines[i + 1]!;
      if (header(next, TSC_PRETTY) || TSC_FOUND.test(next) || TSC_FILES_TABLE_HEADER.test(next)) {
        break;
      }
      i++;
      owner[i] = index;
      if (next.trim() !== "") frame.push(next);
    }
    out.push({
      file: m[1]!,
      place: `${m[2]}:${m[3]}`,
      severity: m[4]!,
      code: m[5]!,
      message,
      frame,
    });
  }
  return { length: out.length, diagnostics: out, owner };
}
