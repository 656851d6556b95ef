/**
 * biome's lint and check output: a header per diagnostic, then its message, code frame, hints
 * and suggested fix, up to the next header or the closing counts.
 * @module
 */

import { type Diagnostic, emptyOwners, header, type Parsed } from "./diagnostics-record.ts";

const BIOME_HEADER = /^(\S+?)(?::(\d+):(\d+))? ([a-zA-Z][\w/-]*)(?: {2}FIXABLE)? {1,2}━{3,}$/;
const BIOME_MESSAGE = /^ {2}([×!i]) (.+)$/;
const BIOME_END =
  /^(?:Checked \d+ files?|Found \d+ (?:errors?|warnings?|infos?)|The number of diagnostics exceeds|Diagnostics not shown|Skipped \d+|(?:lint|check|format|ci) ━)/;

/**
 * biome: "path:line:col category [FIXABLE] ━━━", then an indented body (message, code frame,
 * hints, suggested fix) up to the next header or the closing summary.
 */
export function parseBiome(lines: readonly string[]): Parsed {
  const owner = emptyOwners(lines);
  const out: Diagnostic[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = header(lines[i]!, BIOME_HEADER);
    if (!m) continue;
    const index = out.length;
    owner[i] = index;
    const body: string[] = [];
    while (i + 1 < lines.length) {
      const next = lines[i + 1]!;
      if (header(next, BIOME_HEADER) || BIOME_END.test(next)) break;
      i++;
      owner[i] = index;
      body.push(next);
    }
    let severity = "error";
    let message = "";
    let messageAt = -1;
    for (let k = 0; k < body.length; k++) {
      const msg = BIOME_MESSAGE.exec(body[k]!);
      if (msg) {
        severity = msg[1] === "×" ? "error" : msg[1] === "!" ? "warning" : "info";
        message = msg[2]!;
        messageAt = k;
        break;
      }
    }
    const frame = body.filter((line, k) => k !== messageAt && line.trim() !== "");
    out.push({
      file: m[1]!,
      place: m[2] ? `${m[2]}:${m[3]}` : "",
      severity,
      code: m[4]!,
      message: [message],
      frame,
    });
  }
  return { length: out.length, diagnostics: out, owner };
}
