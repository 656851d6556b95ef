/**
 * The command-line help texts.
 * @module
 */

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

function proxyHelp(): string {
  const flags: [string, string][] = [];
  const envOnly: [string, string][] = [];
  for (const [, setting] of SETTING_ROWS) {
    const flag = setting.flag;
    if (!flag) envOnly.push([setting.env, describe(setting, false)]);
    else if (isSwitch(flag)) flags.push([`--${flag.name}`, describe(setting, true)]);
    else flags.push([`--${flag.name} ${flag.arg}`, describe(setting, true)]);
  }
  flags.push(["-h, --help", "print this help"]);
  return `Usage: headroom proxy [options]

Options (a flag beats its environment variable, which beats the default):
${column(flags)}
Environment only:
${column(envOnly)}
Settings marked live change without a restart through POST /admin/runtime-env (headroom wrap
sends them to a proxy it reuses); the others apply when the proxy starts.
`;
}

/** `headroom proxy --help`, generated from the settings table. */
export const PROXY_HELP = proxyHelp();
