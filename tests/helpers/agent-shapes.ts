/**
 * Captures the exact tool outputs the real agent CLIs send back to the model: a fake model (on a
 * local fake upstream, no proxy in between) asks Claude Code for a scripted series of Read, Bash
 * and Grep calls and Codex for a series of exec_command calls, one per turn, and the tool_result
 * blocks / function_call_output items of the following requests are collected as sent. The files
 * the agents read and cat are committed under tests/fixtures/agent-shapes/files, so every run sees
 * the same bytes; what still varies run to run (temporary paths, wall times, chunk ids) is
 * normalised by {@link normaliseShape}.
 */

import { copyFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import {
  CLAUDE,
  CODEX,
  claudeEnv,
  codexEnv,
  type EgressTrap,
  jsonResponse,
  makeSandbox,
  runAgent,
  writeCodexConfig,
} from "./agent-env.ts";
import { FakeUpstream, type RecordedRequest } from "./fake-upstream.ts";
import { ANTHROPIC_MODELS, anthropicStream, type Reply, responsesStream } from "./wire.ts";

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary provider JSON
type Json = any;

export const SHAPES_DIR = join(import.meta.dir, "..", "fixtures", "agent-shapes");
export const SHAPE_FILES_DIR = join(SHAPES_DIR, "files");

/** The client versions the fixtures were captured with (package.json pins them). */
export const CLAUDE_VERSION = "2.1.332";
export const CODEX_VERSION = "0.169.0";

/** One tool call the fake model makes; `name` names its fixture. */
export interface ShapeCall {
  name: string;
  tool: string;
  /**
   * The tool's input; "$WORK" in a string stands for the agent's working directory, "$SAVED" for
   * the file Claude Code saved the previous call's long output to.
   */
  input: Record<string, unknown>;
}

/** Claude Code's calls: Reads of code, a long log, a long line, config and saved outputs; Bash; Grep. */
export const CLAUDE_CALLS: ShapeCall[] = [
  { name: "claude-read-small", tool: "Read", input: { file_path: "$WORK/keyword.py" } },
  { name: "claude-read-3000-lines", tool: "Read", input: { file_path: "$WORK/dpkg.log" } },
  {
    name: "claude-read-long-line",
    tool: "Read",
    input: { file_path: "$WORK/long-line.txt", offset: 3, limit: 4 },
  },
  { name: "claude-read-yaml", tool: "Read", input: { file_path: "$WORK/ci.yml" } },
  { name: "claude-read-test-log", tool: "Read", input: { file_path: "$WORK/test-run.log" } },
  { name: "claude-read-git-log", tool: "Read", input: { file_path: "$WORK/git-log.txt" } },
  { name: "claude-read-progress-log", tool: "Read", input: { file_path: "$WORK/term.log" } },
  {
    name: "claude-bash-short",
    tool: "Bash",
    input: { command: "head -5 dpkg.log", description: "Show the log's first lines" },
  },
  {
    name: "claude-bash-persisted",
    tool: "Bash",
    input: { command: "cat term.log", description: "Show the apt terminal log" },
  },
  {
    name: "claude-bash-persisted-html",
    tool: "Bash",
    input: { command: "cat python-policy.html", description: "Show the HTML page" },
  },
  // The Read the model makes next: the file Claude Code saved the HTML to ($SAVED).
  { name: "claude-read-saved-html", tool: "Read", input: { file_path: "$SAVED" } },
  {
    name: "claude-bash-failed",
    tool: "Bash",
    input: { command: "ls missing-dir", description: "List a missing directory" },
  },
  {
    name: "claude-bash-failed-long",
    tool: "Bash",
    input: { command: "head -400 dpkg.log; exit 1", description: "Show the log, then fail" },
  },
  {
    name: "claude-bash-ansi",
    tool: "Bash",
    input: {
      command: "grep --color=always -n 'status installed python3' dpkg.log | head -20",
      description: "Find python3 installs, coloured",
    },
  },
  {
    name: "claude-bash-json-cut",
    tool: "Bash",
    input: { command: "head -c 20000 iso_3166-1.json", description: "Show the start of the JSON" },
  },
  {
    name: "claude-grep-content",
    tool: "Grep",
    input: { pattern: "configure lib", output_mode: "content", "-n": true },
  },
];

/** Codex's calls: (i)–(k) of the capture. */
export const CODEX_CALLS: ShapeCall[] = [
  { name: "codex-exec-short", tool: "exec_command", input: { cmd: "head -5 dpkg.log" } },
  { name: "codex-exec-truncated", tool: "exec_command", input: { cmd: "cat term.log" } },
  { name: "codex-exec-failed", tool: "exec_command", input: { cmd: "ls missing-dir" } },
  {
    name: "codex-exec-json-truncated",
    tool: "exec_command",
    input: { cmd: "cat iso_3166-1.json" },
  },
  {
    name: "codex-exec-failed-long",
    tool: "exec_command",
    input: { cmd: "head -400 dpkg.log; exit 1" },
  },
];

/** One captured shape: what the client sent back for one call, as the upstream received it. */
export interface CapturedShape {
  client: "claude-code" | "codex";
  version: string;
  tool: string;
  input: Record<string, unknown>;
  /** Claude Code: the tool_result block; Codex: the function_call_output item. */
  sent: Json;
}

/** Call ids named after the fixture, so adding a call changes no other fixture. */
const callId = (prefix: string, call: ShapeCall) => `${prefix}${call.name.replaceAll("-", "_")}`;
const CLAUDE_ID = (i: number) => callId("toolu_", CLAUDE_CALLS[i]!);
const CODEX_ID = (i: number) => callId("call_", CODEX_CALLS[i]!);

function withWork(
  input: Record<string, unknown>,
  work: string,
  saved = "",
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input))
    out[key] =
      typeof value === "string"
        ? value.replaceAll("$WORK", work).replaceAll("$SAVED", saved)
        : value;
  return out;
}

/** Where Claude Code saved an output too long to send (named in its <persisted-output> note). */
function savedPath(result: Json): string {
  return /Full output saved to: (\S+)/.exec(sentText(result))?.[1] ?? "";
}

function copyFiles(work: string): void {
  for (const name of readdirSync(SHAPE_FILES_DIR))
    copyFileSync(join(SHAPE_FILES_DIR, name), join(work, name));
}

function claudeResults(request: RecordedRequest): Map<string, Json> {
  const found = new Map<string, Json>();
  for (const message of request.json?.messages ?? [])
    if (Array.isArray(message.content))
      for (const block of message.content)
        if (block.type === "tool_result") found.set(block.tool_use_id, block);
  return found;
}

function codexOutputs(request: RecordedRequest): Map<string, Json> {
  const found = new Map<string, Json>();
  for (const item of request.json?.input ?? [])
    if (item.type === "function_call_output") found.set(item.call_id, item);
  return found;
}

/** What a capture run produced: the shapes by name, and the agent's exit for diagnostics. */
export interface CaptureRun {
  shapes: Map<string, CapturedShape>;
  code: number | null;
  stderr: string;
  work: string;
}

/** Runs Claude Code straight against a fake upstream whose model makes {@link CLAUDE_CALLS}. */
export async function captureClaude(trap: EgressTrap): Promise<CaptureRun> {
  const upstream = new FakeUpstream();
  const sandbox = makeSandbox("shapes-claude");
  copyFiles(sandbox.work);
  const isAgentTurn = (r: RecordedRequest) =>
    Array.isArray(r.json?.tools) && r.json.tools.some((t: Json) => t.name === "Bash");
  upstream.always((request) => {
    if (request.path === "/v1/messages/count_tokens") return jsonResponse({ input_tokens: 2048 });
    if (request.method === "GET" && request.path.startsWith("/v1/models"))
      return jsonResponse(ANTHROPIC_MODELS);
    if (request.method !== "POST" || request.path !== "/v1/messages")
      return jsonResponse({ type: "error", error: { type: "not_found_error" } }, 404);
    let reply: Reply = { kind: "text", text: "Shapes captured." };
    if (isAgentTurn(request)) {
      const results = claudeResults(request);
      const done = results.size;
      const call = CLAUDE_CALLS[done];
      const previous = done > 0 ? results.get(CLAUDE_ID(done - 1)) : undefined;
      if (call)
        reply = {
          kind: "tool",
          name: call.tool,
          id: CLAUDE_ID(done),
          input: withWork(call.input, sandbox.work, previous ? savedPath(previous) : ""),
        };
    }
    return upstream.stream(anthropicStream(reply, request.json.model));
  });
  try {
    const run = await runAgent(
      [CLAUDE, "-p", "Capture the shapes.", "--allowedTools", "Bash,Read,Grep"].concat([
        "--output-format",
        "json",
      ]),
      {
        cwd: sandbox.work,
        env: claudeEnv(sandbox, upstream.url, trap, { DISABLE_PROMPT_CACHING: "1" }),
        timeoutMs: 150_000,
      },
    );
    const last = upstream.requests.filter(isAgentTurn).at(-1);
    const results = last ? claudeResults(last) : new Map();
    const shapes = new Map<string, CapturedShape>();
    CLAUDE_CALLS.forEach((call, i) => {
      const sent = results.get(CLAUDE_ID(i));
      if (sent)
        shapes.set(call.name, {
          client: "claude-code",
          version: CLAUDE_VERSION,
          tool: call.tool,
          input: call.input,
          sent,
        });
    });
    return { shapes, code: run.code, stderr: run.stderr, work: sandbox.work };
  } finally {
    upstream.stop();
  }
}

/** Runs `codex exec` straight against a fake upstream whose model makes {@link CODEX_CALLS}. */
export async function captureCodex(trap: EgressTrap): Promise<CaptureRun> {
  const upstream = new FakeUpstream();
  const sandbox = makeSandbox("shapes-codex");
  copyFiles(sandbox.work);
  const model = "gpt-5.5";
  upstream.always((request) => {
    if (request.method === "GET" && request.path.startsWith("/v1/models"))
      return jsonResponse({
        object: "list",
        data: [{ id: model, object: "model", created: 1764115200, owned_by: "system" }],
      });
    if (request.method !== "POST" || request.path !== "/v1/responses")
      return jsonResponse({ error: { message: "not found", type: "invalid_request_error" } }, 404);
    const done = codexOutputs(request).size;
    const call = CODEX_CALLS[done];
    const reply: Reply = call
      ? { kind: "tool", name: call.tool, id: CODEX_ID(done), input: call.input }
      : { kind: "text", text: "Shapes captured." };
    return upstream.stream(responsesStream(reply, request.json.model));
  });
  try {
    const codexHome = writeCodexConfig(sandbox, upstream.url, model);
    const run = await runAgent([CODEX, "exec", "--skip-git-repo-check", "Capture the shapes."], {
      cwd: sandbox.work,
      env: codexEnv(sandbox, codexHome, trap),
      timeoutMs: 150_000,
    });
    const last = upstream.requests.filter((r) => r.path === "/v1/responses").at(-1);
    const outputs = last ? codexOutputs(last) : new Map();
    const shapes = new Map<string, CapturedShape>();
    CODEX_CALLS.forEach((call, i) => {
      const sent = outputs.get(CODEX_ID(i));
      if (sent)
        shapes.set(call.name, {
          client: "codex",
          version: CODEX_VERSION,
          tool: call.tool,
          input: call.input,
          sent,
        });
    });
    return { shapes, code: run.code, stderr: run.stderr, work: sandbox.work };
  } finally {
    upstream.stop();
  }
}

/** The sent text of a shape: a tool_result's content or a function_call_output's output. */
export function sentText(sent: Json): string {
  const value = sent.content ?? sent.output;
  if (typeof value === "string") return value;
  return (value ?? []).map((part: Json) => part.text ?? "").join("");
}

/**
 * A shape with what varies run to run replaced by placeholders: the sandbox's temporary paths,
 * Claude Code's session and spill-file ids, Codex's chunk ids, wall times and item ids.
 */
export function normaliseShape(sent: Json): Json {
  const text = JSON.stringify(sent)
    .replace(/\/tmp\/headroom-shapes-(claude|codex)-[A-Za-z0-9]+/g, "$$SANDBOX")
    .replace(/-tmp-headroom-shapes-(claude|codex)-[A-Za-z0-9]+-work/g, "$$PROJECT")
    .replace(/\/[0-9a-f-]{36}\/tool-results\/[a-z0-9]+\.txt/g, "/$$SESSION/tool-results/$$FILE.txt")
    .replace(/Chunk ID: [0-9a-f]+/g, "Chunk ID: $$CHUNK")
    .replace(/Wall time: [0-9.]+ seconds/g, "Wall time: $$WALL seconds")
    .replace(/"fco_[0-9a-f-]+"/g, '"fco_$$ID"');
  return JSON.parse(text);
}
