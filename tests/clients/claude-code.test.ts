/**
 * Claude Code (the real CLI, @anthropic-ai/claude-code) through the compiled proxy against a fake
 * Anthropic upstream: a streamed Bash tool-use round trip in which Claude Code runs `cat` of a
 * large log locally, sends the tool_result back through headroom, and prints the fake model's
 * final answer. Nothing leaves 127.0.0.1: the CLI's proxy variables point at an egress trap that
 * must stay empty.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  type AgentRun,
  bodyText,
  CLAUDE,
  claudeEnv,
  type EgressTrap,
  FAILED_LINE,
  jsonResponse,
  MARKER,
  makeSandbox,
  proxyEnv,
  runAgent,
  startEgressTrap,
  workerLog,
} from "../helpers/agent-env.ts";
import { type RunningBinary, startBinary } from "../helpers/binary.ts";
import { FakeUpstream, type RecordedRequest } from "../helpers/fake-upstream.ts";
import { json } from "../helpers/http.ts";
import { anthropicMessage, anthropicStream, type Reply } from "../helpers/wire.ts";

const TOOL_ID = "toolu_01HeadroomCatWorkerLog";
const FOUND = "Batch 287 failed: connection reset by peer (db-primary:5432).";
const NOT_FOUND = "I could not find a failed batch in the log.";
const PROMPT = "Which batch failed in worker.log? Read the file with Bash.";
const LOG = workerLog();

const upstream = new FakeUpstream();
let trap: EgressTrap;
beforeAll(async () => {
  trap = await startEgressTrap();
});
afterAll(() => {
  upstream.stop();
  trap.stop();
});

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary provider JSON
type Json = any;

/** The main agent loop's requests (Claude Code's side calls carry no Bash tool). */
function agentTurns(): RecordedRequest[] {
  return upstream.requests.filter(
    (r) =>
      r.method === "POST" &&
      r.path === "/v1/messages" &&
      Array.isArray(r.json?.tools) &&
      r.json.tools.some((t: Json) => t.name === "Bash"),
  );
}

/** The tool_result block answering our Bash call, as the upstream received it. */
function toolResult(request: RecordedRequest): Json {
  for (const message of request.json.messages)
    if (Array.isArray(message.content))
      for (const block of message.content)
        if (block.type === "tool_result" && block.tool_use_id === TOOL_ID) return block;
  return undefined;
}

function resultText(block: Json): string {
  if (typeof block.content === "string") return block.content;
  return block.content.map((part: Json) => part.text ?? "").join("");
}

/**
 * The fake model, streaming as Claude Code asks: first a Bash tool_use that cats the log; once the
 * tool_result is in its context, the answer, which it can only give if the failed batch's line
 * survived compression. Side calls (titles, summaries, token counts, model lists) get plausible
 * answers.
 */
function fakeClaudeModel(): void {
  upstream.always((request) => {
    if (request.method === "POST" && request.path === "/v1/messages/count_tokens")
      return jsonResponse({ input_tokens: 2048 });
    if (request.method === "GET" && request.path.startsWith("/v1/models"))
      return jsonResponse({
        data: [
          {
            type: "model",
            id: "claude-sonnet-4-5",
            display_name: "Claude Sonnet 4.5",
            created_at: "2025-09-29T00:00:00Z",
          },
        ],
        has_more: false,
        first_id: "claude-sonnet-4-5",
        last_id: "claude-sonnet-4-5",
      });
    if (request.method !== "POST" || request.path !== "/v1/messages")
      return jsonResponse(
        { type: "error", error: { type: "not_found_error", message: "not found" } },
        404,
      );
    const body = request.json;
    let reply: Reply;
    if (!agentTurns().includes(request)) reply = { kind: "text", text: "Worker log check" };
    else if (toolResult(request))
      reply = { kind: "text", text: bodyText(request).includes(FAILED_LINE) ? FOUND : NOT_FOUND };
    else
      reply = {
        kind: "tool",
        name: "Bash",
        id: TOOL_ID,
        input: { command: "cat worker.log", description: "Show the worker log" },
        text: "Let me read the log.",
      };
    const headers = { "request-id": "req_fake_claude_code" };
    return body.stream
      ? upstream.stream(anthropicStream(reply, body.model), { headers })
      : new Response(anthropicMessage(reply, body.model), {
          headers: { "content-type": "application/json", ...headers },
        });
  });
}

interface Scenario {
  proxy: RunningBinary;
  run: AgentRun;
  turns: RecordedRequest[];
  all: RecordedRequest[];
}

/** Runs `claude -p` once through a fresh proxy; `extraEnv` is added to Claude Code's environment. */
async function runClaude(name: string, extraEnv: Record<string, string>): Promise<Scenario> {
  upstream.reset();
  fakeClaudeModel();
  const sandbox = makeSandbox(`claude-${name}`);
  writeFileSync(join(sandbox.work, "worker.log"), LOG);
  const proxy = await startBinary([], proxyEnv(upstream.url, sandbox.workspace));
  const run = await runAgent(
    [CLAUDE, "-p", PROMPT, "--allowedTools", "Bash", "--output-format", "json"],
    { cwd: sandbox.work, env: claudeEnv(sandbox, proxy.url, trap, extraEnv) },
  );
  return { proxy, run, turns: agentTurns(), all: [...upstream.requests] };
}

function expectCompletedRoundTrip(scenario: Scenario): void {
  const { run, turns, all } = scenario;
  if (run.code !== 0) throw new Error(`claude exited ${run.code}:\n${run.stderr}\n${run.stdout}`);
  const result = JSON.parse(run.stdout);
  expect(result).toMatchObject({ type: "result", is_error: false, result: FOUND });
  expect(result.num_turns).toBeGreaterThanOrEqual(2);
  // Two agent turns: the tool_use, then the answer after the tool_result went back up.
  expect(turns).toHaveLength(2);
  expect(toolResult(turns[0]!)).toBeUndefined();
  expect(toolResult(turns[1]!)).toBeDefined();
  for (const request of all.filter((r) => r.path === "/v1/messages")) {
    // Streamed, with Claude Code's query string and headers intact.
    expect(request.json.stream).toBe(true);
    expect(request.query).toBe("beta=true");
    expect(request.headers.get("x-api-key")).toBe("sk-ant-headroom-test");
    expect(request.headers.get("anthropic-version")).toBe("2023-06-01");
    expect(request.headers.get("user-agent")).toStartWith("claude-cli/");
  }
  // Nothing tried to go anywhere but the proxy.
  expect(trap.attempts).toEqual([]);
}

describe("Claude Code through headroom", () => {
  let scenario: Scenario;
  beforeAll(async () => {
    // Prompt caching off: Claude Code then sends no cache_control breakpoint on the newest
    // tool_result, which headroom leaves alone (see the next describe).
    scenario = await runClaude("nocache", { DISABLE_PROMPT_CACHING: "1" });
  }, 120_000);
  afterAll(() => scenario?.proxy.stop());

  test("a streamed Bash tool-use round trip completes and prints the model's answer", () => {
    expectCompletedRoundTrip(scenario);
  });

  test("the large tool_result reaches the upstream compressed, with a marker and headroom_retrieve", async () => {
    const [first, second] = scenario.turns as [RecordedRequest, RecordedRequest];
    const block = toolResult(second);
    const sent = resultText(block);
    expect(block.is_error).not.toBe(true);
    expect(sent.length).toBeLessThan(LOG.length / 4);
    expect(sent).toContain(FAILED_LINE);
    const hash = MARKER.exec(sent)?.[1];
    expect(hash).toBeDefined();
    // The retrieve tool is offered once a marker is in the conversation, after the client's tools.
    expect(first.json.tools.map((t: Json) => t.name)).not.toContain("headroom_retrieve");
    const names = second.json.tools.map((t: Json) => t.name);
    expect(names.at(-1)).toBe("headroom_retrieve");
    expect(names.slice(0, -1)).toEqual(first.json.tools.map((t: Json) => t.name));
    expect(second.json.tools.at(-1).input_schema.required).toEqual(["hash"]);
    // Everything else Claude Code sent is untouched: system prompt and the user's question.
    expect(second.json.system).toEqual(first.json.system);
    expect(JSON.stringify(second.json.messages[0])).toBe(JSON.stringify(first.json.messages[0]));

    // The original output Claude Code sent is retrievable by the marker's hash.
    const original = await json(fetch(`${scenario.proxy.url}/v1/retrieve/${hash}`));
    expect(original.hash).toBe(hash);
    expect(original.original_content.trimEnd()).toBe(LOG.trimEnd());
  });

  test("/stats shows the compression, attributed to claude-code", async () => {
    const stats = await json(fetch(`${scenario.proxy.url}/stats`));
    expect(stats.requests.total).toBe(scenario.all.length);
    expect(stats.requests.compressed).toBe(1);
    expect(stats.requests.by_agent["claude-code"]).toBe(scenario.all.length);
    expect(stats.requests.streamed).toBe(scenario.all.length);
    expect(stats.tokens.saved).toBeGreaterThan(5_000);
    expect(stats.summary.compression.requests_compressed).toBe(1);
    expect(Object.keys(stats.compressions_by_strategy).join()).toContain("log");
  });
});

describe("Claude Code through headroom, with its default prompt caching", () => {
  let scenario: Scenario;
  beforeAll(async () => {
    scenario = await runClaude("default", {});
  }, 120_000);
  afterAll(() => scenario?.proxy.stop());

  let roundTripOk = false;
  test("the round trip completes; the newest tool_result carries Claude Code's cache breakpoint", () => {
    expectCompletedRoundTrip(scenario);
    const block = toolResult(scenario.turns[1]!);
    expect(block.cache_control).toEqual({ type: "ephemeral" });
    roundTripOk = true;
  });

  // KNOWN INCOMPATIBILITY (reported): Claude Code puts its rolling `cache_control` breakpoint on
  // the last block of the newest message, which in an agent loop is the tool_result just
  // produced. headroom protects every block carrying cache_control (src/compress/slots.ts,
  // protectionOf), so with Claude Code's default settings no tool output is ever compressed:
  // the newest one is protected, and by the next turn it is history that headroom never
  // compresses on first sight. The breakpoint marks where the cache is *written* this turn, so
  // that content is not cached yet; compressing it once and replaying it byte-identically keeps
  // the cache intact. `test.failing` passes while the bug is present: when it is fixed, this
  // test will report as failed and must become a plain `test`.
  test.failing("the newest tool_result is compressed despite its cache_control breakpoint", () => {
    // Precondition: the test above passed. Returning early makes this .failing test fail loudly.
    if (!roundTripOk) return;
    const sent = resultText(toolResult(scenario.turns[1]!));
    expect(sent).toMatch(MARKER);
    expect(sent.length).toBeLessThan(LOG.length / 4);
  });
});
