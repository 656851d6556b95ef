/**
 * eslint's unix format ("file:l:c: message [Error/rule]") and its default stylish format (a path
 * line, then "  l:c  error  message  rule" rows).
 * @module
 */

import { type Diagnostic, DROP, emptyOwners, header, type Parsed } from "./diagnostics-record.ts";

const ESLINT_UNIX_HEAD = /^(\S.*?):(\d+):(\d+): /;
const ESLINT_UNIX_TAIL = /^ \[(Error|Warning)\/([^\]\s]+)\]$/;
const ESLINT_STYLISH = /^ +(\d+):(\d+) +(error|warning) +(.+)$/;

/** eslint -f unix: "path:line:col: message [Error/rule]". */
export function parseEslintUnix(lines: readonly string[]): Parsed {
  const owner = emptyOwners(lines);
  const out: Diagnostic[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    // The tail is found by position, so no regex has to backtrack over the message.
    const bracket = line.endsWith("]") ? line.lastIndexOf(" [") : -1;
    if (bracket < 0) continue;
    const tail = ESLINT_UNIX_TAIL.exec(line.slice(bracket));
    const head = tail ? header(line, ESLINT_UNIX_HEAD) : null;
    if (!tail || !head) continue;
    owner[i] = out.length;
    out.push({
      file: head[1]!,
      place: `${head[2]}:${head[3]}`,
      severity: tail[1]!.toLowerCase(),
      code: tail[2]!,
      message: [line.slice(head[0].length, bracket)],
      frame: [],
    });
  }
  return { length: out.length, diagnostics: out, owner };
}

/**
 * eslint's default (stylish) format: a file's path on its own line, then "  line:col  severity
 * message  rule" rows, then a blank line. The rule is the last run after two spaces.
 */
export function parseEslintStylish(lines: readonly string[]): Parsed {
  const owner = emptyOwners(lines);
  const out: Diagnostic[] = [];
  let file: string | undefined;
  let fileLine = -1;
  let rows = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const m = file === undefined ? null : header(line, ESLINT_STYLISH);
    if (m) {
      owner[i] = out.length;
      if (rows === 0) owner[fileLine] = out.length;
      rows++;
      const rest = m[4]!.trimEnd();
      const cut = rest.lastIndexOf("  ");
      const rule = cut >= 0 ? rest.slice(cut + 2).trim() : "";
      const hasRule = rule !== "" && !rule.includes(" ");
      out.push({
        file: file!,
        place: `${m[1]}:${m[2]}`,
        severity: m[3]!,
        code: hasRule ? rule : "",
        message: [hasRule ? rest.slice(0, cut).trimEnd() : rest],
        frame: [],
      });
      continue;
    }
    if (line.trim() === "") {
      // The blank line that closes a file's rows goes with them.
      if (file !== undefined && rows > 0) owner[i] = DROP;
      file = undefined;
      continue;
    }
    const isPath = !line.startsWith(" ") && !line.includes("  ") && line.length < 500;
    file = isPath ? line.trimEnd() : undefined;
    fileLine = i;
    rows = 0;
  }
  return { length: out.length, diagnostics: out, owner };
}
