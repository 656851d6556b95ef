/**
 * Claude Code (the real CLI, @anthropic-ai/claude-code) through the compiled proxy against a fake
 * Anthropic upstream: a streamed Bash tool-use round trip in which Claude Code runs `cat` of a
 * large log locally, sends the tool_result back through headroom, and prints the fake model's
 * final answer. Nothing leaves 127.0.0.1: the CLI's proxy variables point at an egress trap that
 * must stay empty.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  type AgentRun,
  CLAUDE,
  claudeEnv,
  type EgressTrap,
  FAILED_LINE,
  FOUND,
  MARKER,
  makeSandbox,
  proxyEnv,
  runAgent,
  startEgressTrap,
  workerLog,
} from "../helpers/agent-env.ts";
import { type RunningBinary, startBinary } from "../helpers/binary.ts";
import {
  agentTurns,
  CLAUDE_PROMPT,
  fakeClaudeModel,
  resultText,
  toolResult,
} from "../helpers/fake-claude.ts";
import { FakeUpstream, type RecordedRequest } from "../helpers/fake-upstream.ts";
import { json } from "../helpers/http.ts";
import { type WrappedRun, wrapInSandbox } from "../helpers/wrap-run.ts";

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

interface Scenario {
  proxy: RunningBinary;
  run: AgentRun;
  turns: RecordedRequest[];
  all: RecordedRequest[];
}

/** Runs `claude -p` once through a fresh proxy; `extraEnv` is added to Claude Code's environment. */
async function runClaude(name: string, extraEnv: Record<string, string>): Promise<Scenario> {
  upstream.reset();
  fakeClaudeModel(upstream);
  const sandbox = makeSandbox(`claude-${name}`);
  writeFileSync(join(sandbox.work, "worker.log"), LOG);
  const proxy = await startBinary([], proxyEnv(upstream.url, sandbox.workspace));
  const run = await runAgent(
    [CLAUDE, "-p", CLAUDE_PROMPT, "--allowedTools", "Bash", "--output-format", "json"],
    { cwd: sandbox.work, env: claudeEnv(sandbox, proxy.url, trap, extraEnv) },
  );
  return { proxy, run, turns: agentTurns(upstream), all: [...upstream.requests] };
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
    // Prompt caching off: Claude Code then sends no cache_control breakpoint at all.
    scenario = await runClaude("nocache", { DISABLE_CLAUDE_PROMPT_CACHING: "1" });
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
    // The retrieve tool is declared after the client's tools from the first request on, with
    // the same bytes, so the tool list the provider cached never changes.
    const names = second.json.tools.map((t: Json) => t.name);
    expect(names.at(-1)).toBe("headroom_retrieve");
    expect(JSON.stringify(second.json.tools)).toBe(JSON.stringify(first.json.tools));
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

  // Claude Code puts its rolling cache_control breakpoint on the newest block, which in an agent
  // loop is the tool_result just produced. The breakpoint marks where this turn's cache write
  // ends, so nothing is cached there yet: headroom compresses it, keeps the breakpoint, and
  // replays the same bytes on later turns.
  test("the newest tool_result is compressed despite its cache_control breakpoint", () => {
    expect(roundTripOk).toBe(true);
    const sent = resultText(toolResult(scenario.turns[1]!));
    expect(sent).toMatch(MARKER);
    expect(sent.length).toBeLessThan(LOG.length / 4);
  });
});

describe("Claude Code launched by headroom wrap", () => {
  let wrapped: WrappedRun;
  let workspace: string;
  beforeAll(async () => {
    upstream.reset();
    fakeClaudeModel(upstream);
    const sandbox = makeSandbox("claude-wrap");
    workspace = sandbox.workspace;
    writeFileSync(join(sandbox.work, "worker.log"), LOG);
    // What a user has: their key and Claude Code's settings, no base URL; wrap provides it.
    const { ANTHROPIC_BASE_URL: _, ...env } = claudeEnv(sandbox, "unused", trap);
    const args = ["-p", CLAUDE_PROMPT, "--allowedTools", "Bash", "--output-format", "json"];
    wrapped = await wrapInSandbox("claude", CLAUDE, args, sandbox, env, upstream.url);
  }, 120_000);
  afterAll(() => wrapped?.stop());

  test("wrap starts the proxy, Claude Code completes through it, and wrap exits with its code", async () => {
    const { run } = wrapped;
    if (run.code !== 0) throw new Error(`wrap exited ${run.code}:\n${run.stderr}\n${run.stdout}`);
    expect(JSON.parse(run.stdout)).toMatchObject({
      type: "result",
      is_error: false,
      result: FOUND,
    });
    expect(run.stderr).toContain(`started headroom in the background on ${wrapped.url}`);
    expect(existsSync(join(workspace, "logs", "proxy.log"))).toBe(true);
    expect(trap.attempts).toEqual([]);
    const [, second] = agentTurns(upstream) as [RecordedRequest, RecordedRequest];
    expect(resultText(toolResult(second))).toMatch(MARKER);
    // Every request carried the project label wrap put in ANTHROPIC_CUSTOM_HEADERS.
    for (const request of upstream.requests.filter((r) => r.path === "/v1/messages")) {
      expect(request.headers.get("x-headroom-project")).toBeNull(); // stripped before upstream
    }
    const stats = await json(fetch(`${wrapped.url}/stats`));
    expect(Object.keys(stats.savings.per_project)).toEqual(["work"]);
    expect(stats.requests.by_stack).toEqual({ wrap_claude: stats.requests.total });
  });
});
