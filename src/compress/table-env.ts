/**
 * `env` / `printenv` output: `NAME=value` lines. Every name stays. Lossless: a long value that
 * an earlier variable already holds (the CA bundle path set under a dozen names) is written
 * `$EARLIER`, as a shell would. Lossy, only beyond that: huge values (long PATH-like lists,
 * serialised configs) not matching the question are cut to their start, behind the marker.
 * @module
 */

import { queryTerms } from "./table-query.ts";
import type { CompressContext, CompressOutput } from "./types.ts";

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
/** Shorter values cost less than a `$NAME` reference. */
const MIN_SHARED = 16;
/** A reference must be at least this much shorter than the value (plus its `$`). */
const MIN_SAVING = 8;
/** Lossy output must be at most this fraction of the lossless one to be worth a marker. */
const LOSSY_GAIN = 0.85;
/** Values longer than this may be cut when content may be dropped... */
const HUGE = 300;
/** ...to this many characters. */
const KEEP = 100;

/** Whether the first lines are `env` output: almost all of them `NAME=value`. */
export function looksLikeEnv(lines: readonly string[]): boolean {
  const head = lines.slice(0, 200).filter((line) => line !== "");
  if (head.length < 8) return false;
  let assignments = 0;
  for (const line of head) if (ASSIGNMENT.test(line)) assignments++;
  return assignments >= head.length * 0.9 && ASSIGNMENT.test(head[0]!);
}

const SHARED_HEADING = "env (a value written $NAME repeats NAME's value):";

interface Variable {
  readonly name: string;
  value: string;
}

/** Splits into variables; a line that is not an assignment continues the previous value. */
function parse(lines: readonly string[]): Variable[] | undefined {
  const vars: Variable[] = [];
  for (const line of lines) {
    const m = ASSIGNMENT.exec(line);
    if (m) vars.push({ name: m[0].slice(0, -1), value: line.slice(m[0].length) });
    else if (vars.length > 0) vars[vars.length - 1]!.value += `\n${line}`;
    else return undefined;
  }
  return vars;
}

function render(vars: readonly Variable[]): string {
  return vars.map((v) => `${v.name}=${v.value}`).join("\n");
}

/** Replaces repeated long values by a reference to the shortest-named variable holding them. */
function shareValues(vars: readonly Variable[]): Variable[] | undefined {
  // A value that already starts with `$` would read as a reference: then nothing is shared.
  if (vars.some((v) => v.value.startsWith("$"))) return undefined;
  const holder = new Map<string, string>();
  for (const v of vars) {
    if (v.value.length < MIN_SHARED) continue;
    const name = holder.get(v.value);
    if (name === undefined || v.name.length < name.length) holder.set(v.value, v.name);
  }
  let shared = false;
  const out = vars.map((v) => {
    const name = holder.get(v.value);
    // Only where `$NAME` is clearly shorter than the value it stands for.
    if (name === undefined || name === v.name || name.length + MIN_SAVING > v.value.length)
      return v;
    shared = true;
    return { name: v.name, value: `$${name}` };
  });
  return shared ? out : undefined;
}

/** Compresses `env` output; undefined when it is not that or nothing pays. */
export function compressEnv(
  lines: readonly string[],
  ctx: CompressContext,
): CompressOutput | undefined {
  const vars = parse(lines);
  if (!vars) return undefined;
  const sharedVars = shareValues(vars);
  const base = sharedVars ?? vars;
  const lossless = sharedVars
    ? {
        text: `${SHARED_HEADING}\n${render(sharedVars)}`,
        strategy: "table:env-shared",
        lossy: false,
      }
    : undefined;
  if (!ctx.lossy) return lossless;
  const terms = queryTerms(ctx.query);
  const cut: string[] = [];
  const trimmed = base.map((v) => {
    if (v.value.length <= HUGE) return v;
    const hay = `${v.name}=${v.value}`.toLowerCase();
    if (terms.some((term) => hay.includes(term))) return v;
    cut.push(v.name);
    return { name: v.name, value: `${v.value.slice(0, KEEP)}…` };
  });
  if (cut.length === 0) return lossless;
  const summary = `${cut.length} long value${cut.length === 1 ? "" : "s"} cut to ${KEEP} characters (${cut.join(", ")})`;
  const heading = sharedVars ? `${SHARED_HEADING}\n` : "";
  const text = `${heading}${render(trimmed)}\n${ctx.marker(summary)}`;
  const baseline = lossless ? lossless.text.length : lines.join("\n").length;
  if (text.length > baseline * LOSSY_GAIN) return lossless;
  return { text, strategy: "table:env-cut", lossy: true };
}
