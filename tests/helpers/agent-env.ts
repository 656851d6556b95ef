/**
 * Sandboxes for the real agent CLIs (Claude Code, Codex, Gemini CLI, Copilot CLI, Qwen Code) in
 * the client compatibility suite: a temporary home, working directory and headroom workspace per
 * run, environments that send every model request to the local proxy and switch telemetry,
 * updates and error reporting off, and an egress trap: HTTP(S)_PROXY points at a local listener
 * that refuses and records every request a client tries to send anywhere else, so a test can
 * assert that nothing tried to leave 127.0.0.1.
 */

import { expect } from "bun:test";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chatgptToken } from "./chatgpt-token.ts";
import type { SocketMessage } from "./fake-socket-upstream.ts";
import type { RecordedRequest } from "./fake-upstream.ts";
import { json } from "./http.ts";
import type { Reply } from "./wire.ts";

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary provider JSON
type Json = any;

const ROOT = join(import.meta.dir, "..", "..");
export const CLAUDE = join(ROOT, "node_modules", ".bin", "claude");
export const CODEX = join(ROOT, "node_modules", ".bin", "codex");
export const GEMINI = join(ROOT, "node_modules", ".bin", "gemini");
export const COPILOT = join(ROOT, "node_modules", ".bin", "copilot");
export const QWEN = join(ROOT, "node_modules", ".bin", "qwen");

/** Every marker headroom leaves where it elided something, with the hash that retrieves it. */
export const MARKER = /headroom_retrieve hash=([0-9a-f]{24})/;

/** One agent run's private directories. */
export interface Sandbox {
  root: string;
  /** HOME for the agent. */
  home: string;
  /** The agent's working directory (where its shell commands run). */
  work: string;
  /** headroom's workspace (HEADROOM_WORKSPACE_DIR) for the proxy serving this sandbox. */
  workspace: string;
}

export function makeSandbox(prefix: string): Sandbox {
  const root = mkdtempSync(join(tmpdir(), `headroom-${prefix}-`));
  const sandbox = {
    root,
    home: join(root, "home"),
    work: join(root, "work"),
    workspace: join(root, "headroom"),
  };
  mkdirSync(sandbox.home);
  mkdirSync(sandbox.work);
  return sandbox;
}

/**
 * The environment of `headroom proxy` for these suites: both providers at the fake upstream, its
 * own workspace, and a compression budget generous enough that a slow or loaded machine (or one
 * running the suite under strace) never skips compression for lack of time: these tests are
 * about the clients, the budget has its own tests.
 */
export function proxyEnv(upstreamUrl: string, workspace: string): Record<string, string> {
  return {
    ANTHROPIC_TARGET_API_URL: upstreamUrl,
    OPENAI_TARGET_API_URL: upstreamUrl,
    GEMINI_TARGET_API_URL: upstreamUrl,
    CHATGPT_TARGET_API_URL: upstreamUrl,
    HEADROOM_WORKSPACE_DIR: workspace,
    HEADROOM_COMPRESSION_BUDGET_MS: "30000",
  };
}

/** A local HTTP proxy that refuses everything and remembers what was asked of it. */
export interface EgressTrap {
  url: string;
  /** The request line of every attempt, e.g. "CONNECT statsig.anthropic.com:443 HTTP/1.1". */
  attempts: string[];
  stop(): void;
}

export async function startEgressTrap(): Promise<EgressTrap> {
  const attempts: string[] = [];
  const server: Server = createServer((socket) => {
    let head = "";
    socket.on("data", (chunk) => {
      if (head.includes("\n")) return;
      head += chunk.toString("latin1");
      const newline = head.indexOf("\n");
      if (newline < 0) return;
      attempts.push(head.slice(0, newline).trim());
      socket.end("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    });
    socket.on("error", () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, attempts, stop: () => server.close() };
}

/** Proxy variables that send any non-loopback HTTP(S) traffic into the trap. */
function trapEnv(trap: EgressTrap): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"]) {
    env[name] = trap.url;
    env[name.toLowerCase()] = trap.url;
  }
  env.NO_PROXY = "127.0.0.1,localhost";
  env.no_proxy = env.NO_PROXY;
  return env;
}

function baseEnv(sandbox: Sandbox, trap: EgressTrap): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: sandbox.home,
    USER: process.env.USER ?? "headroom-test",
    SHELL: "/bin/bash",
    TERM: "dumb",
    NO_COLOR: "1",
    LANG: "C.UTF-8",
    TMPDIR: tmpdir(),
    ...trapEnv(trap),
  };
}

/**
 * Claude Code pointed at the proxy with an API key (so no login), its config in the sandbox, and
 * every kind of non-essential traffic off: telemetry, error reporting, auto-update, feature flags,
 * surveys, marketplace auto-install.
 */
export function claudeEnv(
  sandbox: Sandbox,
  proxyUrl: string,
  trap: EgressTrap,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    ...baseEnv(sandbox, trap),
    CLAUDE_CONFIG_DIR: join(sandbox.home, ".claude"),
    ANTHROPIC_BASE_URL: proxyUrl,
    ANTHROPIC_API_KEY: "sk-ant-headroom-test",
    DISABLE_TELEMETRY: "1",
    DISABLE_ERROR_REPORTING: "1",
    DISABLE_AUTOUPDATER: "1",
    DISABLE_UPDATES: "1",
    DISABLE_GROWTHBOOK: "1",
    DISABLE_INSTALLATION_CHECKS: "1",
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    CLAUDE_CODE_DISABLE_FEEDBACK_SURVEY: "1",
    CLAUDE_CODE_DISABLE_OFFICIAL_MARKETPLACE_AUTOINSTALL: "1",
    CLAUDE_CODE_DISABLE_TERMINAL_TITLE: "1",
    ...extra,
  };
}

/** The OAuth access token of a fake Claude subscription (the shape `claude setup-token` prints). */
export const CLAUDE_OAUTH_TOKEN = "sk-ant-oat01-HeadroomFakeSubscriptionToken-0123456789abcdef";

/**
 * Claude Code signed in with a Claude plan instead of an API key: `CLAUDE_CODE_OAUTH_TOKEN` (what
 * `claude setup-token` is for), no ANTHROPIC_API_KEY; otherwise as {@link claudeEnv}.
 */
export function claudeSubscriptionEnv(
  sandbox: Sandbox,
  proxyUrl: string,
  trap: EgressTrap,
  extra: Record<string, string> = {},
): Record<string, string> {
  const { ANTHROPIC_API_KEY: _, ...env } = claudeEnv(sandbox, proxyUrl, trap);
  return { ...env, CLAUDE_CODE_OAUTH_TOKEN: CLAUDE_OAUTH_TOKEN, ...extra };
}

/** The environment variable that carries the API key of the custom Codex provider below. */
export const CODEX_KEY_ENV = "HEADROOM_TEST_OPENAI_KEY";
export const CODEX_KEY = "sk-headroom-test-codex";

/**
 * How Codex reaches the proxy: "custom" is a `headroom` model provider speaking the Responses API
 * over plain HTTP (`supports_websockets = false`; over its WebSocket with `websockets: true`),
 * its key from {@link CODEX_KEY_ENV}; "builtin"
 * is Codex's own OpenAI provider with `openai_base_url` pointing at the proxy (the only way to
 * move it since Codex dropped OPENAI_BASE_URL), its key from CODEX_API_KEY. The built-in provider
 * tries the Responses WebSocket transport first. "chatgpt" is the `headroom` provider as `wrap
 * codex` writes it for a ChatGPT sign-in (`requires_openai_auth`, no key), with a signed-in
 * auth.json ({@link CODEX_ACCOUNT}).
 */
export type CodexProvider = "custom" | "builtin" | "chatgpt";

/**
 * Writes a config.toml into a fresh CODEX_HOME for `provider` (see {@link CodexProvider}), with
 * no retries (a failure must show, not be retried away), no analytics, no update check, and the
 * features that reach out to GitHub and chatgpt.com at start (plugins, remote plugins, apps) off.
 * The sandbox mode is full access because the fake model only ever asks for `cat` of a file in
 * the working directory, and bubblewrap is not available on every machine the suite runs on.
 */
export function writeCodexConfig(
  sandbox: Sandbox,
  proxyUrl: string,
  model: string,
  provider: CodexProvider = "custom",
  /** Where Codex's own ChatGPT account calls (usage, plugins) go, instead of chatgpt.com. */
  chatgptBaseUrl?: string,
  options: { websockets?: boolean } = {},
): string {
  const codexHome = join(sandbox.home, ".codex");
  mkdirSync(codexHome, { recursive: true });
  const top = `model = "${model}"
approval_policy = "never"
sandbox_mode = "danger-full-access"
check_for_update_on_startup = false
${chatgptBaseUrl ? `chatgpt_base_url = "${chatgptBaseUrl}"\n` : ""}`;
  const routing =
    provider === "builtin"
      ? `openai_base_url = "${proxyUrl}/v1"
`
      : `model_provider = "headroom"
`;
  const tables = `
[analytics]
enabled = false

[features]
plugins = false
remote_plugin = false
apps = false
`;
  const auth =
    provider === "chatgpt" ? "requires_openai_auth = true" : `env_key = "${CODEX_KEY_ENV}"`;
  const custom = `
[model_providers.headroom]
name = "headroom"
base_url = "${proxyUrl}/v1"
${auth}
wire_api = "responses"
supports_websockets = ${options.websockets === true}
request_max_retries = 0
stream_max_retries = 0
`;
  writeFileSync(
    join(codexHome, "config.toml"),
    top + routing + tables + (provider === "builtin" ? "" : custom),
  );
  if (provider === "chatgpt") writeChatgptAuth(codexHome);
  return codexHome;
}

/** The ChatGPT account of the fake sign-in, and its access token. */
export const CODEX_ACCOUNT = "acct-headroom-codex";
export const CODEX_CHATGPT_TOKEN = chatgptToken(CODEX_ACCOUNT, "codex-signed-in", "pro");

/**
 * A signed-in auth.json as `codex login` leaves it. The token expires in 2100 and was "refreshed"
 * just now, so Codex sees no reason to refresh it: it refreshes an access token whose `exp` is
 * near or past, or, without `exp`, one last refreshed more than 8 days ago.
 */
function writeChatgptAuth(codexHome: string): void {
  const auth = {
    auth_mode: "chatgpt",
    OPENAI_API_KEY: null,
    tokens: {
      id_token: CODEX_CHATGPT_TOKEN,
      access_token: CODEX_CHATGPT_TOKEN,
      refresh_token: "rt-headroom-test-never-used",
      account_id: CODEX_ACCOUNT,
    },
    last_refresh: new Date().toISOString(),
  };
  writeFileSync(join(codexHome, "auth.json"), JSON.stringify(auth, null, 2), { mode: 0o600 });
}

export function codexEnv(
  sandbox: Sandbox,
  codexHome: string,
  trap: EgressTrap,
  provider: CodexProvider = "custom",
): Record<string, string> {
  return {
    ...baseEnv(sandbox, trap),
    CODEX_HOME: codexHome,
    ...(provider === "custom" ? { [CODEX_KEY_ENV]: CODEX_KEY } : {}),
    ...(provider === "builtin" ? { CODEX_API_KEY: CODEX_KEY } : {}),
  };
}

/** The Gemini API key the Gemini CLI runs with in these suites. */
export const GEMINI_KEY = "AIzaSyHeadroomTestGeminiKey0000000000";

/**
 * Gemini CLI's user settings for these suites: the Gemini API key sign-in chosen (so no auth
 * dialog, and GOOGLE_GEMINI_BASE_URL applies), usage statistics, telemetry and update checks
 * off, and folder trust off so `--yolo` may run the shell in the fresh working directory.
 */
export function writeGeminiSettings(sandbox: Sandbox, extra: Record<string, unknown> = {}): void {
  const dir = join(sandbox.home, ".gemini");
  mkdirSync(dir, { recursive: true });
  const settings = {
    privacy: { usageStatisticsEnabled: false },
    telemetry: { enabled: false },
    general: { disableAutoUpdate: true, disableUpdateNag: true },
    security: { auth: { selectedType: "gemini-api-key" }, folderTrust: { enabled: false } },
    ...extra,
  };
  writeFileSync(join(dir, "settings.json"), JSON.stringify(settings, null, 2));
}

/** Gemini CLI pointed at the proxy with a Gemini API key (the variables `wrap gemini` sets). */
export function geminiEnv(
  sandbox: Sandbox,
  proxyUrl: string,
  trap: EgressTrap,
): Record<string, string> {
  return {
    ...baseEnv(sandbox, trap),
    GOOGLE_GEMINI_BASE_URL: proxyUrl,
    GEMINI_API_KEY: GEMINI_KEY,
  };
}

/**
 * GitHub Copilot CLI with a bring-your-own-key model and nothing else: COPILOT_OFFLINE keeps it
 * from GitHub (sign-in, update checks, telemetry), which a BYOK session does not need. Its
 * executable unpacks itself (about 235 MB) into COPILOT_CACHE_HOME on first start: one shared
 * directory spares each run that.
 */
export function copilotCliEnv(
  sandbox: Sandbox,
  trap: EgressTrap,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    ...baseEnv(sandbox, trap),
    COPILOT_OFFLINE: "true",
    COPILOT_AUTO_UPDATE: "false",
    COPILOT_CACHE_HOME: join(tmpdir(), "headroom-test-copilot-cache"),
    ...extra,
  };
}

/** Qwen Code with usage statistics (sent to Alibaba Cloud) and the --yolo notice off. */
export function qwenCodeEnv(
  sandbox: Sandbox,
  trap: EgressTrap,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    ...baseEnv(sandbox, trap),
    QWEN_USAGE_STATISTICS_ENABLED: "false",
    QWEN_CODE_SUPPRESS_YOLO_WARNING: "1",
    ...extra,
  };
}

/** What an agent process printed. */
export interface AgentRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs an agent CLI to completion. It runs in its own process group, killed as a whole after
 * `timeoutMs` (generous by default): `node_modules/.bin/codex` is a Node wrapper around a native
 * binary, which would otherwise survive the wrapper and keep the output pipes open.
 */
export async function runAgent(
  command: string[],
  options: { cwd: string; env: Record<string, string>; timeoutMs?: number },
): Promise<AgentRun> {
  const proc = Bun.spawn(command, {
    cwd: options.cwd,
    env: options.env,
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
    detached: true,
  });
  const timer = setTimeout(() => {
    try {
      process.kill(-proc.pid, "SIGKILL");
    } catch {
      proc.kill("SIGKILL");
    }
  }, options.timeoutMs ?? 90_000);
  try {
    const [stdout, stderr] = await Promise.all([
      new Response(proc.stdout).text(),
      new Response(proc.stderr).text(),
    ]);
    return { code: await proc.exited, stdout, stderr };
  } finally {
    clearTimeout(timer);
  }
}

/** A request body as text. */
export function bodyText(request: RecordedRequest): string {
  return new TextDecoder().decode(request.body);
}

/** A JSON response as a provider sends it. */
export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}

/** The line the fake model looks for in a compressed log, and the answer it then gives. */
export const FAILED_LINE =
  "2026-11-26T08:04:47.118Z ERROR worker-3 batch 287 failed: connection reset by peer (db-primary:5432)";
export const FOUND = "Batch 287 failed: connection reset by peer (db-primary:5432).";
/** The fake model's answer when the line did not reach it. */
export const NOT_FOUND = "I could not find a failed batch in the log.";

/**
 * A realistic service log, 330 lines by default (about 25 KB: Claude Code spills outputs over
 * 30,000 characters to a file and sends only a preview; Copilot CLI does so above about 20 KB):
 * routine INFO and DEBUG lines, a few slow-batch WARN lines and, 43 lines before the end, one
 * ERROR with a stack trace.
 */
export function workerLog(count = 330): string {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const ts = `2026-11-26T08:${String(Math.floor(i / 60)).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}.${String((i * 37) % 1000).padStart(3, "0")}Z`;
    if (i === count - 43) {
      lines.push(FAILED_LINE);
      lines.push(
        "    at PgConnection.query (/srv/worker/node_modules/pg/lib/connection.js:412:17)",
      );
      lines.push("    at BatchRunner.flush (/srv/worker/src/batch-runner.ts:88:11)");
      continue;
    }
    if (i % 97 === 13) {
      lines.push(`${ts} WARN worker-${i % 4} batch ${i} slow: ${(i * 53) % 900}ms > 500ms budget`);
      continue;
    }
    const level = i % 5 === 0 ? "DEBUG" : "INFO";
    lines.push(
      `${ts} ${level} worker-${i % 4} processed batch ${i} (${(i * 17) % 250} rows) in ${(i * 37) % 200}ms`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** What every Codex test asks, of which model, and the shell tool Codex 0.169 calls. */
export const CODEX_MODEL = "gpt-5.5";
export const CODEX_PROMPT = "Which batch failed in worker.log? Read the file.";
export const CODEX_SHELL_TOOL = "exec_command";

/** The function_call_output answering `callId` in a Responses input, if it carries one. */
export function codexCallOutput(input: Json[] | undefined, callId: string): Json {
  return (input ?? []).find(
    (item: Json) => item.type === "function_call_output" && item.call_id === callId,
  );
}

/** A function_call_output's text, sent as a string or as content parts. */
export function codexOutputText(item: Json): string {
  if (typeof item.output === "string") return item.output;
  return item.output.map((part: Json) => part.text ?? "").join("");
}

/**
 * The fake model's turn in the Codex tests: until the call's output is in its input, a shell
 * call that cats worker.log; then the answer, which it can only give if the failed line survived.
 */
export function codexLogReply(output: Json | undefined, callId: string): Reply {
  if (!output) {
    return { kind: "tool", name: CODEX_SHELL_TOOL, id: callId, input: { cmd: "cat worker.log" } };
  }
  return { kind: "text", text: codexOutputText(output).includes(FAILED_LINE) ? FOUND : NOT_FOUND };
}

/** Codex's turns on a Responses socket: its response.create messages, not the warm-up. */
export function codexSocketTurns(upstream: { messages: SocketMessage[] }): SocketMessage[] {
  return upstream.messages.filter(
    (m) => m.json.type === "response.create" && m.json.generate !== false,
  );
}

/** `codex exec` on {@link CODEX_PROMPT}, in the sandbox's working directory. */
export function runCodexExec(
  sandbox: Sandbox,
  codexHome: string,
  trap: EgressTrap,
  provider: CodexProvider,
): Promise<AgentRun> {
  return runAgent([CODEX, "exec", "--skip-git-repo-check", CODEX_PROMPT], {
    cwd: sandbox.work,
    env: codexEnv(sandbox, codexHome, trap, provider),
  });
}

/**
 * Expects the log's text as Codex sent it upstream to be under a quarter of `log`, keep the failed
 * line and carry a marker whose hash retrieves the whole log from the proxy.
 */
export async function expectCompressedLog(
  sent: string,
  log: string,
  proxyUrl: string,
): Promise<{ hash: string; original: Json }> {
  expect(sent.length).toBeLessThan(log.length / 4);
  expect(sent).toContain(FAILED_LINE);
  const hash = MARKER.exec(sent)?.[1];
  expect(hash).toBeDefined();
  const original = await json(fetch(`${proxyUrl}/v1/retrieve/${hash}`));
  expect(original.original_content).toContain(log.trimEnd());
  return { hash: hash!, original };
}
