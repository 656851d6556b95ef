/**
 * The command-line help texts.
 * @module
 */

import { LEGACY_NAMES, type LegacyName, legacyLabel } from "../core/legacy-settings.ts";
import { type AnySetting, isSwitch, SETTING_ROWS, shownDefault } from "../core/settings.ts";

/** `headroom --help`. */
export const MAIN_HELP = `headroom — a local proxy that makes AI coding agents cheaper

Usage:
  headroom proxy [options]       run the proxy (see headroom proxy --help)
  headroom compress [FILE|-]     compress command output for an agent's context
  headroom retrieve HASH         print the original behind a headroom marker
  headroom stats [--json]        summarise the running proxy's savings
  headroom wrap AGENT [-- ARGS]  run claude, codex, aider, ... through the proxy
  headroom unwrap AGENT          undo what wrap changed on disk (Codex's provider block)
  headroom doctor                check the install, workspace, port and upstreams
  headroom selftest [--json]     prove this executable works, offline and with no API key
  headroom --version             print the version
  headroom --help                print this help

Quickest start: headroom wrap claude (or codex). By hand: run headroom proxy, then
ANTHROPIC_BASE_URL=http://127.0.0.1:8787 claude, or OPENAI_BASE_URL=http://127.0.0.1:8787/v1
for OpenAI-compatible clients.
`;

function column(rows: readonly (readonly [string, string])[]): string {
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return rows.map(([left, right]) => `  ${left.padEnd(width)}${right}\n`).join("");
}

function describe(setting: AnySetting, withEnv: boolean): string {
  const facts = [
    ...(withEnv ? [setting.env] : []),
    `default ${shownDefault(setting)}`,
    ...(setting.live ? ["live"] : []),
  ];
  return `${setting.help} [${facts.join(", ")}]`;
}

/** Words wrapped to lines of at most 100 columns, each indented by `indent`. */
function wrapped(words: readonly string[], indent: string): string {
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    if (line && indent.length + line.length + 1 + word.length > 100) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((l) => `${indent}${l}\n`).join("");
}

/** Items separated by commas, as words to wrap. */
function listed(items: readonly string[]): string[] {
  return items.map((item, i) => (i + 1 < items.length ? `${item},` : item));
}

function legacyGroup(pick: (name: LegacyName) => boolean): string[] {
  return listed(LEGACY_NAMES.filter(pick).map(legacyLabel));
}

/** The original Headroom's names, grouped by what they do here. */
function legacySection(): string {
  const mapped = LEGACY_NAMES.flatMap((name) => {
    const effect = name.effect;
    if (!("maps" in effect)) return [];
    const row = SETTING_ROWS.find(([key]) => key === effect.maps)?.[1];
    const value = effect.sets === undefined ? "" : `=${effect.sets}`;
    return [`${legacyLabel(name)} → ${row?.env}${value}`];
  });
  return `Names of the original Headroom (see the README, "Coming from the original Headroom"):
  mapped:
${wrapped(listed(mapped), "    ")}  accepted, changing nothing here (one info line at start says why):
${wrapped(
  legacyGroup((n) => "noop" in n.effect),
  "    ",
)}  refused (exit 2; the message names the alternative):
${wrapped(
  legacyGroup((n) => "refuses" in n.effect),
  "    ",
)}  The original's variable for each of these flags (HEADROOM_RPM, HEADROOM_MODE, ...) is read the
  same way; headroom doctor lists the ones set.
`;
}

function proxyHelp(): string {
  const flags: [string, string][] = [];
  const envOnly: [string, string][] = [];
  for (const [, setting] of SETTING_ROWS) {
    const flag = setting.flag;
    if (!flag) envOnly.push([setting.env, describe(setting, false)]);
    else if (isSwitch(flag)) flags.push([`--${flag.name}`, describe(setting, true)]);
    else {
      const short = flag.short ? `, -${flag.short}` : "";
      flags.push([`--${flag.name}${short} ${flag.arg}`, describe(setting, true)]);
    }
  }
  flags.push(["-h, --help", "print this help"]);
  return `Usage: headroom proxy [options]

Options (a flag beats its environment variable, which beats the default):
${column(flags)}
Environment only:
${column(envOnly)}
Settings marked live change without a restart through POST /admin/runtime-env (headroom wrap
sends them to a proxy it reuses); the others apply when the proxy starts.

${legacySection()}`;
}

/** `headroom proxy --help`, generated from the settings table. */
export const PROXY_HELP = proxyHelp();
