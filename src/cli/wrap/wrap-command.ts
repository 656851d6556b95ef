/**
 * `headroom wrap AGENT [-- ARGS]`: makes sure a proxy is running, sends it the caller's HEADROOM_*
 * settings, and launches the agent pointed at it, exiting with the agent's exit code. The proxy
 * is left running for other sessions.
 * @module
 */

import { spawn } from "node:child_process";
import { homedir } from "node:os";
import { basename } from "node:path";
import { parseArgs } from "node:util";
import { LIVE_KEYS, RESTART_KEYS } from "../../core/runtime-settings.ts";
import { cliConfig } from "../cli-config.ts";
import { UsageError } from "../usage-error.ts";
import { writeOut } from "../write-out.ts";
import { type AgentSpec, agentSpec } from "./agents.ts";
import { byokArgs, byokMisroute, byokProblem } from "./byok-agents.ts";
import {
  addProviderBlock,
  CODEX_KEY_ENV,
  type CodexAuth,
  codexConfigPath,
  providerBlock,
  removeProviderBlock,
  signedInWithChatgpt,
} from "./codex-config.ts";
import { ensureProxy, syncSettings } from "./ensure-proxy.ts";
import { geminiWrapProblem } from "./gemini-auth.ts";
import { unknownModelProblem } from "./model-names.ts";
import { readWrapState, writeWrapState } from "./wrap-state.ts";

/** `headroom wrap --help`. */
const WRAP_HELP = `Usage: headroom wrap AGENT [--port PORT] [--print-env] [--any-model] [-- AGENT-ARGS...]

Runs AGENT through headroom: reuses the headroom proxy on 127.0.0.1:PORT (HEADROOM_PORT,
default 8787) or starts one in the background, sends it your HEADROOM_* settings, launches
AGENT pointed at it, and exits with AGENT's exit code. The proxy keeps running for other
sessions; a setting that needs a restart is reported and applies at its next start.

Agents: claude (ANTHROPIC_BASE_URL), codex (a "headroom" provider in ~/.codex/config.toml,
Responses API over its WebSocket, keeping Codex's ChatGPT sign-in, else OPENAI_API_KEY),
gemini (GOOGLE_GEMINI_BASE_URL, with a Gemini API key; "Login with Google" is not proxied yet),
copilot (its BYOK provider, key from COPILOT_PROVIDER_API_KEY or OPENAI_API_KEY), qwen
(--auth-type openai, OPENAI_BASE_URL, key from OPENAI_API_KEY), aider, opencode, goose; any
other command gets OPENAI_BASE_URL and ANTHROPIC_BASE_URL. cursor prints the settings to paste.
A sign-in that cannot go through a proxy (Login with Google for gemini, a GitHub Copilot
subscription, Qwen OAuth) is refused with exit code 1.

Options:
  --port PORT      the proxy's port
  --print-env      print what would be set and changed, and do nothing
  --any-model      let claude or codex use a --model headroom does not know (by default a
                   name that is not a known model family is refused, with the known ones)
  -h, --help       print this help

Put the agent's own options after --, e.g. headroom wrap claude -- -p "fix the tests".
Undo persistent changes (Codex's provider block) with: headroom unwrap AGENT
`;

// The port is how wrap found the proxy, so it is never a difference worth reporting.
const SYNCED_KEYS = [...LIVE_KEYS, ...RESTART_KEYS].filter((key) => key !== "HEADROOM_PORT");

/** A value quoted for a POSIX shell. */
function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'"'"'`)}'`;
}

interface WrapArgs {
  readonly agent: string;
  readonly agentArgs: string[];
  readonly port: string | undefined;
  readonly printEnv: boolean;
  readonly anyModel: boolean;
}

function parseWrapArgs(args: string[]): WrapArgs | "help" {
  const split = args.indexOf("--");
  const own = split < 0 ? args : args.slice(0, split);
  const after = split < 0 ? [] : args.slice(split + 1);
  let parsed: ReturnType<typeof parseOwn>;
  try {
    parsed = parseOwn(own);
  } catch (error) {
    throw new UsageError(`${(error as Error).message} (agent options go after --)`);
  }
  if (parsed.values.help) return "help";
  const [agent, ...rest] = parsed.positionals;
  if (!agent) throw new UsageError("wrap needs an agent, e.g. headroom wrap claude");
  return {
    agent,
    agentArgs: [...rest, ...after],
    port: parsed.values.port,
    printEnv: parsed.values["print-env"] ?? false,
    anyModel: parsed.values["any-model"] ?? false,
  };
}

function parseOwn(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      port: { type: "string" },
      "print-env": { type: "boolean" },
      "any-model": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
}

/**
 * One `export` line. A credential is never shown: one wrap copied from another variable is
 * printed as that variable, so the plan still runs as printed.
 */
function exportLine(name: string, value: string, current: Record<string, string | undefined>) {
  if (!/KEY|TOKEN|SECRET/.test(name)) return `export ${name}=${shellQuote(value)}`;
  const source = Object.keys(current).find((other) => other !== name && current[other] === value);
  return `export ${name}=${source ? `"$${source}"` : "'[hidden]'"}`;
}

/** The lines `--print-env` shows: exports, Codex's block and the command that would run. */
function describePlan(
  spec: AgentSpec,
  wrap: WrapArgs,
  base: string,
  env: Record<string, string>,
  codexFile: string,
  codexAuth: CodexAuth,
): string {
  if (spec.instructions) return `${spec.instructions(base)}\n`;
  const lines = Object.entries(env).map(([name, value]) => exportLine(name, value, process.env));
  if (wrap.agent === "codex") {
    lines.push(`# and in ${codexFile}:`, ...providerBlock(base, codexAuth).trimEnd().split("\n"));
  }
  const command = [spec.command!, ...leadingArgs(spec, wrap), ...wrap.agentArgs];
  lines.push(command.map(shellQuote).join(" "));
  return `${lines.join("\n")}\n`;
}

/** The arguments wrap puts before the agent's own. */
function leadingArgs(spec: AgentSpec, wrap: WrapArgs): string[] {
  return [...(spec.args ?? []), ...byokArgs(wrap.agent, wrap.agentArgs)];
}

/** Adds Codex's provider block (replacing one headroom added for another port); returns notes. */
function configureCodex(
  file: string,
  base: string,
  auth: CodexAuth,
  workspaceDir: string,
): string[] {
  const state = readWrapState(workspaceDir);
  let result = addProviderBlock(file, base, auth);
  if (typeof result === "object" && "reason" in result && state.codex?.file === file) {
    // Ours, for another port or sign-in: take it out and put the new one in.
    removeProviderBlock(state.codex);
    delete state.codex;
    writeWrapState(workspaceDir, state);
    result = addProviderBlock(file, base, auth);
  }
  if (result === "present") return [];
  if ("reason" in result) return [result.reason];
  writeWrapState(workspaceDir, { ...state, codex: result });
  const how = auth === "chatgpt" ? ", keeping Codex's ChatGPT sign-in" : "";
  return [`added a "headroom" provider to ${file}${how} (headroom unwrap codex removes it)`];
}

/** Runs the agent with the terminal; resolves with its exit code (128+n when a signal ended it). */
function launch(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: "inherit", env });
    // Ctrl-C reaches the agent through the terminal; wrap stays to report the agent's exit code.
    const ignore = () => {};
    process.on("SIGINT", ignore);
    process.on("SIGTERM", () => child.kill("SIGTERM"));
    child.on("error", (error) => {
      const missing = (error as { code?: string }).code === "ENOENT";
      process.stderr.write(
        missing
          ? `headroom: ${command} is not installed or not on PATH\n`
          : `headroom: could not start ${command}: ${error.message}\n`,
      );
      resolve(missing ? 127 : 126);
    });
    child.on("exit", (code, signal) => {
      process.off("SIGINT", ignore);
      if (signal) {
        const number = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 }[signal as string] ?? 1;
        resolve(128 + number);
      } else resolve(code ?? 1);
    });
  });
}

/** What the agent lacks to run through headroom, or undefined. */
function missingKey(
  agent: string,
  env: Record<string, string | undefined>,
  codexAuth: CodexAuth,
  home: string,
): string | undefined {
  if (agent === "gemini") return geminiWrapProblem(env, home, process.cwd());
  if (agent !== "codex" || codexAuth === "chatgpt" || env[CODEX_KEY_ENV]) return undefined;
  return `Codex through headroom needs a ChatGPT sign-in (codex login) or an OpenAI API key in ${CODEX_KEY_ENV}; it has neither.`;
}

/** Runs `headroom wrap`; resolves with the exit code. */
export async function runWrap(args: string[], version: string): Promise<number> {
  const wrap = parseWrapArgs(args);
  if (wrap === "help") {
    await writeOut(WRAP_HELP);
    return 0;
  }
  const home = homedir();
  const config = cliConfig({ port: wrap.port });
  if (config.port === 0) throw new UsageError("wrap needs a fixed port, not 0");
  const base = `http://127.0.0.1:${config.port}`;
  const spec = agentSpec(wrap.agent);
  const agentEnv = spec.env(base, basename(process.cwd()), process.env);
  const codexFile = codexConfigPath(process.env, home);
  // Codex's own sign-in wins, as it does when Codex runs alone: a ChatGPT plan stays on the plan.
  const codexAuth: CodexAuth = signedInWithChatgpt(process.env, home) ? "chatgpt" : "api-key";
  const modelProblem = wrap.anyModel ? undefined : unknownModelProblem(wrap.agent, wrap.agentArgs);
  if (modelProblem) throw new UsageError(modelProblem);
  const keyProblem =
    missingKey(wrap.agent, process.env, codexAuth, home) ??
    byokProblem(wrap.agent, process.env, wrap.agentArgs);
  if (wrap.printEnv) {
    await writeOut(describePlan(spec, wrap, base, agentEnv, codexFile, codexAuth));
    // The plan is shown, but it would not run as it stands: say why, as the real run would.
    if (keyProblem) process.stderr.write(`headroom: ${keyProblem}\n`);
    return keyProblem ? 1 : 0;
  }
  if (keyProblem) {
    process.stderr.write(`headroom: ${keyProblem}\n`);
    return 1;
  }
  const proxy = await ensureProxy({
    port: config.port,
    version,
    workspaceDir: config.workspaceDir,
    env: process.env,
  });
  const notes = [
    ...proxy.notes,
    // A proxy started just now already runs with this environment.
    ...(proxy.started ? [] : await syncSettings(proxy.base, process.env, SYNCED_KEYS)),
  ];
  if (wrap.agent === "codex") {
    notes.push(...configureCodex(codexFile, base, codexAuth, config.workspaceDir));
  }
  for (const note of notes) process.stderr.write(`headroom: ${note}\n`);
  const misrouted = await byokMisroute(wrap.agent, process.env, wrap.agentArgs, proxy.base);
  if (misrouted) {
    process.stderr.write(`headroom: ${misrouted}\n`);
    return 1;
  }
  if (!spec.command) {
    await writeOut(`${spec.instructions!(base)}\n`);
    return 0;
  }
  return launch(spec.command, [...leadingArgs(spec, wrap), ...wrap.agentArgs], {
    ...process.env,
    ...agentEnv,
  });
}
