/**
 * Refreshes the captured requests the session benchmark starts from: runs the real Claude Code
 * and Codex CLIs (the dev dependencies) against a local fake model that asks for one shell
 * command and then answers, and saves the bodies of the first two agent-loop requests of each
 * (the first: system prompt and tool list; the second: how the client sends a tool call and its
 * result) as fixtures beside this file.
 *
 *   bun run scripts/bench-sessions/capture.ts
 *
 * Each CLI runs with HOME in a temporary directory and its proxy variables pointing at a closed
 * loopback port, so nothing leaves 127.0.0.1. The sandbox's path is replaced by a fixed one and
 * per-run ids by fixed ones, so a refresh only shows real changes in the clients.
 */

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Answer, anthropicJson, anthropicSse, responsesJson, responsesSse } from "./wire.ts";

const ROOT = join(import.meta.dir, "..", "..");
const BIN = join(ROOT, "node_modules", ".bin");
const FIXTURES = join(import.meta.dir, "fixtures");
/** Where the sandbox appears to live in the committed fixtures. */
export const FIXED_SANDBOX = "/tmp/headroom-bench-sessions";
const COMMAND = "ls -la";
const CLAUDE_PROMPT = "List the files in this directory with Bash, then say what you see.";
const CODEX_PROMPT = "List the files in this directory, then say what you see.";

interface Captured {
  path: string;
  body: string;
}

/** A fake model that records every generation request and answers `answerFor`. */
function startFakeModel(answerFor: (path: string, body: Record<string, unknown>) => Answer) {
  const captured: Captured[] = [];
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      const path = new URL(request.url).pathname;
      if (request.method === "GET" && path.startsWith("/v1/models"))
        return Response.json({ object: "list", data: [], has_more: false });
      if (path.endsWith("/count_tokens")) return Response.json({ input_tokens: 1000 });
      if (request.method !== "POST") return new Response("not found", { status: 404 });
      const body = await request.text();
      captured.push({ path, body });
      const json = JSON.parse(body);
      const answer = answerFor(path, json);
      const sse = { "content-type": "text/event-stream" };
      if (path === "/v1/messages") {
        const usage = {
          input_tokens: 10,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
          output_tokens: 5,
        };
        return json.stream
          ? new Response(anthropicSse(answer, json.model, usage), { headers: sse })
          : new Response(anthropicJson(answer, json.model, usage));
      }
      const usage = {
        input_tokens: 10,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: 5,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: 15,
      };
      return json.stream
        ? new Response(responsesSse(answer, json.model, usage), { headers: sse })
        : new Response(responsesJson(answer, json.model, usage));
    },
  });
  return { url: `http://127.0.0.1:${server.port}`, captured, stop: () => server.stop(true) };
}

function sandboxEnv(home: string): Record<string, string> {
  const closed = "http://127.0.0.1:9";
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home,
    USER: "agent",
    SHELL: "/bin/bash",
    TERM: "dumb",
    NO_COLOR: "1",
    LANG: "C.UTF-8",
    TMPDIR: tmpdir(),
    HTTP_PROXY: closed,
    HTTPS_PROXY: closed,
    ALL_PROXY: closed,
    http_proxy: closed,
    https_proxy: closed,
    all_proxy: closed,
    NO_PROXY: "127.0.0.1,localhost",
    no_proxy: "127.0.0.1,localhost",
  };
}

async function run(command: string[], cwd: string, env: Record<string, string>): Promise<void> {
  const proc = Bun.spawn(command, { cwd, env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const timer = setTimeout(() => proc.kill("SIGKILL"), 120_000);
  const [out, err] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
  ]);
  clearTimeout(timer);
  if ((await proc.exited) !== 0) throw new Error(`${command[0]} failed:\n${err}\n${out}`);
}

/** Two ordinary files for the listing the fake model asks for. */
function makeWorkDir(root: string): string {
  const work = join(root, "work");
  mkdirSync(work, { recursive: true });
  writeFileSync(join(work, "README.md"), "# demo\n");
  writeFileSync(join(work, "index.ts"), 'console.log("demo");\n');
  return work;
}

/** Has this request got a tool result in it yet? */
const answered = (body: string) =>
  body.includes('"tool_result"') || body.includes('"function_call_output"');

async function captureClaude(): Promise<Captured[]> {
  const root = mkdtempSync(join(tmpdir(), "headroom-capture-claude-"));
  const home = join(root, "home");
  mkdirSync(home);
  const work = makeWorkDir(root);
  const model = startFakeModel((_path, body) => {
    const isAgentLoop = JSON.stringify(body.tools ?? []).includes('"Bash"');
    if (!isAgentLoop) return { kind: "text", text: "Directory listing" };
    return answered(JSON.stringify(body.messages))
      ? { kind: "text", text: "Two files: README.md and index.ts." }
      : {
          kind: "tool",
          id: "toolu_01BenchSessionsCapture",
          name: "Bash",
          input: { command: COMMAND, description: "List files" },
        };
  });
  try {
    await run(
      [
        join(BIN, "claude"),
        "-p",
        CLAUDE_PROMPT,
        "--allowedTools",
        "Bash,Read,Grep",
        "--output-format",
        "json",
      ],
      work,
      {
        ...sandboxEnv(home),
        CLAUDE_CONFIG_DIR: join(home, ".claude"),
        ANTHROPIC_BASE_URL: model.url,
        ANTHROPIC_API_KEY: "sk-ant-bench-sessions",
        DISABLE_TELEMETRY: "1",
        DISABLE_ERROR_REPORTING: "1",
        DISABLE_AUTOUPDATER: "1",
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
      },
    );
    const loop = model.captured.filter((c) => c.body.includes('"name":"Bash"'));
    return loop.map((c) => ({ path: c.path, body: scrub(c.body, root) }));
  } finally {
    model.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

async function captureCodex(): Promise<Captured[]> {
  const root = mkdtempSync(join(tmpdir(), "headroom-capture-codex-"));
  const home = join(root, "home");
  const codexHome = join(home, ".codex");
  mkdirSync(codexHome, { recursive: true });
  const work = makeWorkDir(root);
  const model = startFakeModel((_path, body) =>
    answered(JSON.stringify(body.input))
      ? { kind: "text", text: "Two files: README.md and index.ts." }
      : {
          kind: "tool",
          id: "call_BenchSessionsCapture",
          name: "exec_command",
          input: { cmd: COMMAND },
        },
  );
  writeFileSync(
    join(codexHome, "config.toml"),
    `model = "gpt-5.5"
model_provider = "bench"
approval_policy = "never"
sandbox_mode = "danger-full-access"
check_for_update_on_startup = false

[analytics]
enabled = false

[features]
plugins = false
remote_plugin = false
apps = false

[model_providers.bench]
name = "bench"
base_url = "${model.url}/v1"
env_key = "BENCH_SESSIONS_OPENAI_KEY"
wire_api = "responses"
supports_websockets = false
request_max_retries = 0
stream_max_retries = 0
`,
  );
  try {
    await run([join(BIN, "codex"), "exec", "--skip-git-repo-check", CODEX_PROMPT], work, {
      ...sandboxEnv(home),
      CODEX_HOME: codexHome,
      BENCH_SESSIONS_OPENAI_KEY: "sk-bench-sessions",
    });
    const loop = model.captured.filter((c) => c.path === "/v1/responses");
    return loop.map((c) => ({ path: c.path, body: scrub(c.body, root) }));
  } finally {
    model.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

/** The sandbox's path and the per-run ids replaced by fixed ones. */
function scrub(body: string, root: string): string {
  return body
    .replaceAll(root, FIXED_SANDBOX)
    .replaceAll(root.replaceAll("/", "-"), FIXED_SANDBOX.replaceAll("/", "-"))
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (id) =>
      id.replace(/[0-9a-f]/g, "0"),
    )
    .replace(/"user_id":"(?:[^"\\]|\\.)*"/g, '"user_id":"bench-sessions"');
}

function save(name: string, requests: Captured[]): void {
  if (requests.length < 2) throw new Error(`${name}: expected two agent-loop requests`);
  for (const [index, which] of ["first", "second"].entries()) {
    const file = join(FIXTURES, `${name}-${which}-request.json`);
    writeFileSync(file, requests[index]!.body);
    process.stderr.write(`wrote ${file} (${requests[index]!.body.length} bytes)\n`);
  }
}

if (import.meta.main) {
  mkdirSync(FIXTURES, { recursive: true });
  save("claude-code", await captureClaude());
  save("codex", await captureCodex());
}
