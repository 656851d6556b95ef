/**
 * The compiler and linter compressor (tsc, eslint, biome, gcc/clang, rustc/cargo, mypy, flake8):
 * diagnostics are regrouped by rule and message, each group written once with all its places
 * listed per file, so 473 copies of one message become one line plus their locations. Lines that
 * are not diagnostics (summaries, other output) stay where they were.
 *
 * Whole: every message written out and every code frame kept; only the layout changes. Cut (when
 * it saves clearly more): messages that differ only in quoted names share a group whose places
 * carry those names ("42:29 messages; 44:21 model") when three or more do, and only the first
 * code frame of each group stays unless the diagnostics (or the errors among them) are few.
 * Every place, code and quoted name stays either way. Both carry the marker when the original
 * can be retrieved, since the tool's own lines are rewritten; without retrieval the whole form
 * goes as a lossless rewrite.
 * @module
 */

import { type Diagnostic, type ParsedDiagnostics, parseDiagnostics } from "./diagnostics-parse.ts";
import { terminalLines } from "./log-clean.ts";
import type { CompressContext, CompressOutput, Compressor } from "./types.ts";

/** Fewer diagnostics than this are left to the log compressor. */
const MIN_DIAGNOSTICS = 3;
/** The lines diagnostics own must be at least this share of the non-blank lines. */
const MIN_SHARE = 0.3;
/** Lines of a group's example frame that are kept. */
const FRAME_LINES = 12;
/** Up to this many diagnostics, every code frame stays (the first of each group otherwise). */
const FEW_DIAGNOSTICS = 8;
/** A lossy rewrite must beat the lossless one by this share and this many characters. */
const LOSSY_MIN_GAIN_RATIO = 0.2;
const LOSSY_MIN_GAIN_CHARS = 300;
/** Places a repeated warning lists per file in the cut form, before "(+N more)". */
const REPEATED_WARNING_PLACES = 3;
/** Distinct messages that must share a template before it replaces them. */
const MIN_TEMPLATED = 3;

/** Compresses compiler and linter diagnostics, or declines when the text is not mostly those. */
export const compressDiagnostics: Compressor = (input, ctx) => {
  try {
    return compress(input, ctx);
  } catch (error) {
    ctx.probe?.swallowed?.("diagnostics", error);
    return undefined;
  }
};

function compress(input: string, ctx: CompressContext): CompressOutput | undefined {
  if (input.length === 0) return undefined;
  const lines = terminalLines(input);
  const parsed = parseDiagnostics(lines);
  if (parsed === undefined || parsed.diagnostics.length < MIN_DIAGNOSTICS) return undefined;
  let owned = 0;
  let nonBlank = 0;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() === "") continue;
    nonBlank++;
    if (parsed.owner[i]! !== -1) owned++;
  }
  if (owned < nonBlank * MIN_SHARE) return undefined;
  // Lossless: messages written out, every frame kept; only the layout changes.
  const whole = rewrite(lines, parsed, false);
  const n = parsed.diagnostics.length;
  const tool = `${n} ${parsed.dialect} diagnostics`;
  if (!ctx.lossy) {
    if (whole.text.length >= input.length) return undefined;
    return { text: whole.text, strategy: `diagnostics:${parsed.dialect}:regroup`, lossy: false };
  }
  // With retrieval at hand even the lossless form carries the marker: the tool's exact lines
  // (which an agent may quote or search for) stay one call away.
  const wholeText = `${whole.text}\n${ctx.marker(`${tool} regrouped into ${whole.groups} by rule and message, every message and frame kept`)}`;
  const cut = rewrite(lines, parsed, true);
  const dropped =
    (cut.framesDropped > 0 ? `, ${cut.framesDropped} repeated code frames and fixes dropped` : "") +
    (cut.placesElided > 0 ? `, ${cut.placesElided} places of repeated warnings left out` : "");
  const cutText = `${cut.text}\n${ctx.marker(`${tool} regrouped into ${cut.groups} by rule and message${dropped}`)}`;
  // The whole form wins unless the cut one is clearly smaller (the router's floor decides later
  // whether either is worth sending).
  const clearlyBetter =
    cutText.length <= wholeText.length * (1 - LOSSY_MIN_GAIN_RATIO) &&
    wholeText.length - cutText.length >= LOSSY_MIN_GAIN_CHARS;
  const [text, strategy] =
    clearlyBetter || wholeText.length >= input.length
      ? [cutText, `diagnostics:${parsed.dialect}`]
      : [wholeText, `diagnostics:${parsed.dialect}:regroup`];
  if (text.length >= input.length) return undefined;
  return { text, strategy, lossy: true };
}

interface Rewrite {
  readonly text: string;
  readonly groups: number;
  readonly framesDropped: number;
  readonly placesElided: number;
}

/**
 * The output with the diagnostics' block where the first of them was and every other line in
 * place. `cut`: templates for messages that differ in names, and the first frame of a group only.
 */
function rewrite(lines: readonly string[], parsed: ParsedDiagnostics, cut: boolean): Rewrite {
  const groups = groupDiagnostics(parsed.diagnostics, cut);
  const block = renderGroups(groups, cut ? parsed.diagnostics.length : 0, cut);
  const out: string[] = [];
  let placed = false;
  for (let i = 0; i < lines.length; i++) {
    const owner = parsed.owner[i]!;
    if (owner === -1) out.push(lines[i]!);
    else if (owner >= 0 && !placed) {
      out.push(...block.lines);
      placed = true;
    }
  }
  return {
    text: trimBlankRuns(out).join("\n"),
    groups: groups.length,
    framesDropped: block.framesDropped,
    placesElided: block.placesElided,
  };
}

interface Group {
  readonly severity: string;
  readonly code: string;
  /** The message with quoted parts blanked, line by line. */
  readonly template: readonly string[];
  readonly members: Diagnostic[];
  /** Whether every member printed the very same message. */
  same: boolean;
}

// A quoted part: '...', "...", `...` or gcc's ‘...’, within one line, without nesting.
const QUOTED = /'[^'\n]*'|"[^"\n]*"|`[^`\n]*`|‘[^’\n]*’/g;

function blank(line: string): string {
  return line.replace(QUOTED, (q) => `${q[0]}…${q[q.length - 1]}`);
}

/**
 * Groups by severity, code and message template, in order of first appearance. A template
 * stands in for the messages only when at least MIN_TEMPLATED distinct ones share it: fewer
 * are written out in full, one group each.
 */
function groupDiagnostics(diagnostics: readonly Diagnostic[], templated: boolean): Group[] {
  // Messages repeat: each distinct line is blanked once.
  const blanked = new Map<string, string>();
  const blankOnce = (line: string) => {
    let out = blanked.get(line);
    if (out === undefined) {
      out = blank(line);
      blanked.set(line, out);
    }
    return out;
  };
  const byKey = new Map<string, Group>();
  for (const d of diagnostics) {
    const template = templated ? d.message.map(blankOnce) : d.message;
    const key = `${d.severity}\u0000${d.code}\u0000${template.join("\n")}`;
    const group = byKey.get(key);
    if (group === undefined) {
      byKey.set(key, { severity: d.severity, code: d.code, template, members: [d], same: true });
    } else {
      if (group.same && !sameMessage(group.members[0]!, d)) group.same = false;
      group.members.push(d);
    }
  }
  const out: Group[] = [];
  for (const group of byKey.values()) {
    if (group.same) {
      out.push(group);
      continue;
    }
    const exact = new Map<string, Group>();
    for (const d of group.members) {
      const key = d.message.join("\n");
      const sub = exact.get(key);
      if (sub === undefined) exact.set(key, { ...group, members: [d], same: true });
      else sub.members.push(d);
    }
    if (exact.size >= MIN_TEMPLATED) out.push(group);
    else out.push(...exact.values());
  }
  return out;
}

function sameMessage(a: Diagnostic, b: Diagnostic): boolean {
  if (a.message.length !== b.message.length) return false;
  for (let i = 0; i < a.message.length; i++) if (a.message[i] !== b.message[i]) return false;
  return true;
}

interface Block {
  readonly lines: string[];
  readonly framesDropped: number;
  readonly placesElided: number;
}

/**
 * Each group: "severity code ×n: message" (the template when messages differ), its elaboration
 * lines, the first member's frame (every member's when there are few diagnostics, or few errors
 * for an error's group, since each frame's own detail, like "expected `u32`, found `&str`", is
 * then cheap to keep), then one line per file with the places (and quoted names).
 */
function renderGroups(groups: readonly Group[], total: number, cut: boolean): Block {
  const lines: string[] = [];
  let framesDropped = 0;
  let placesElided = 0;
  let errors = 0;
  for (const g of groups) if (isError(g.severity)) errors += g.members.length;
  for (const g of groups) {
    const everyFrame =
      !cut || total <= FEW_DIAGNOSTICS || (isError(g.severity) && errors <= FEW_DIAGNOSTICS);
    const first = g.members[0]!;
    const message = g.same ? first.message : g.template;
    const count = g.members.length > 1 ? ` ×${g.members.length}` : "";
    const code = g.code === "" ? "" : ` ${g.code}`;
    lines.push(`${g.severity}${code}${count}: ${message[0]}`);
    for (let k = 1; k < message.length; k++) lines.push(`  ${message[k]!.trim()}`);
    for (const member of g.members) {
      if (member.frame.length === 0) continue;
      if (member !== first && !everyFrame) {
        framesDropped++;
        continue;
      }
      lines.push(`  at ${member.file}${member.place === "" ? "" : `:${member.place}`}:`);
      const shown = cut ? member.frame.slice(0, FRAME_LINES) : member.frame;
      for (const frame of shown) lines.push(`  ${frame}`);
      if (shown.length < member.frame.length) framesDropped++;
    }
    const places = placeLines(g, cut);
    lines.push(...places.lines);
    placesElided += places.elided;
  }
  return { lines, framesDropped, placesElided };
}

function isError(severity: string): boolean {
  return severity === "error" || severity === "fatal error";
}

/**
 * One line per file: "  file:12:5; 14:2" (so the first place reads file:line:col), each place
 * with its quoted names when the group's messages differ ("  file:42:29 messages; 44:21 model").
 * `cut`: a warning repeated with the very same message shows its first few places in each file
 * and how many more ("  file:7:1; 8:1; 9:1 (+5 more)"); errors keep every place.
 */
function placeLines(g: Group, cut: boolean): { lines: string[]; elided: number } {
  const byFile = new Map<string, string[]>();
  for (const d of g.members) {
    const names = g.same ? "" : quotedNames(d.message);
    const place = names === "" ? d.place : `${d.place} ${names}`.trim();
    const list = byFile.get(d.file);
    if (list === undefined) byFile.set(d.file, [place]);
    else list.push(place);
  }
  const cap = cut && g.same && !isError(g.severity) ? REPEATED_WARNING_PLACES : Infinity;
  const lines: string[] = [];
  let elided = 0;
  for (const [file, places] of byFile) {
    const shown = places.filter((p) => p !== "");
    if (shown.length === 0) {
      lines.push(`  ${file}`);
      continue;
    }
    const more = shown.length > cap ? shown.length - cap : 0;
    elided += more;
    const listed = more > 0 ? shown.slice(0, cap) : shown;
    lines.push(`  ${file}:${listed.join("; ")}${more > 0 ? ` (+${more} more)` : ""}`);
  }
  return { lines, elided };
}

/** The distinct quoted parts of a message, unquoted, in order: "direct" for 'direct' … ['direct']. */
function quotedNames(message: readonly string[]): string {
  const seen: string[] = [];
  for (const line of message) {
    for (const match of line.matchAll(QUOTED)) {
      const inner = match[0].slice(1, -1);
      if (!seen.includes(inner)) seen.push(inner);
    }
  }
  return seen.join(", ");
}

/** Two or more blank lines in a row become one (the dropped diagnostics left them behind). */
function trimBlankRuns(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    if (line.trim() === "" && out.length > 0 && out[out.length - 1]!.trim() === "") continue;
    out.push(line);
  }
  return out;
}
