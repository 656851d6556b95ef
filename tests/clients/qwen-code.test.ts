/**
 * Qwen Code (the real @qwen-code/qwen-code) launched by `headroom wrap qwen` with an
 * OpenAI-compatible key: wrap adds `--auth-type openai` and points OPENAI_BASE_URL at the proxy;
 * the fake OpenAI upstream asks for a shell `cat` of a large log, the output comes back
 * compressed with a marker, and Qwen Code prints the answer. Nothing else leaves 127.0.0.1.
 * (Qwen OAuth cannot take this path; tests/e2e/wrap.test.ts checks that wrap says so.)
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  type EgressTrap,
  makeSandbox,
  QWEN,
  qwenCodeEnv,
  startEgressTrap,
  workerLog,
} from "../helpers/agent-env.ts";
import {
  CHAT_AGENT_PROMPT,
  expectChatLogCompressed,
  expectChatTurnsWithKey,
  fakeChatAgent,
} from "../helpers/fake-chat-agent.ts";
import { expectToolResultCompressed, fakeClaudeModel } from "../helpers/fake-claude.ts";
import { FakeUpstream } from "../helpers/fake-upstream.ts";
import { json } from "../helpers/http.ts";
import { expectWrappedAnswer, type WrappedRun, wrapInSandbox } from "../helpers/wrap-run.ts";

const LOG = workerLog();
const KEY = "sk-headroom-test-qwen-code";
const SHELL = { command: "cat worker.log", description: "Show the worker log" };

const upstream = new FakeUpstream();
let trap: EgressTrap;
beforeAll(async () => {
  trap = await startEgressTrap();
});
afterAll(() => {
  upstream.stop();
  trap.stop();
});

/** `headroom wrap qwen -- -p … --approval-mode yolo ARGS` in a fresh sandbox, with `extra` env. */
async function wrapQwen(
  name: string,
  extra: Record<string, string>,
  args: string[] = [],
): Promise<WrappedRun> {
  trap.attempts.length = 0;
  const sandbox = makeSandbox(`qwen-${name}`);
  writeFileSync(join(sandbox.work, "worker.log"), LOG);
  const env = qwenCodeEnv(sandbox, trap, extra);
  const qwenArgs = ["-p", CHAT_AGENT_PROMPT, "--approval-mode", "yolo", ...args];
  return wrapInSandbox("qwen", QWEN, qwenArgs, sandbox, env, upstream.url);
}

describe("Qwen Code (OpenAI-compatible key) launched by headroom wrap", () => {
  let wrapped: WrappedRun;
  beforeAll(async () => {
    upstream.reset();
    fakeChatAgent(upstream, { name: "run_shell_command", input: SHELL });
    wrapped = await wrapQwen("openai", { OPENAI_API_KEY: KEY, OPENAI_MODEL: "qwen3-coder-plus" });
  }, 180_000);
  afterAll(() => wrapped?.stop());

  test("the shell round trip completes through headroom with the user's key, and nothing tried to leave", () => {
    expectWrappedAnswer(wrapped, trap);
    expectChatTurnsWithKey(upstream, "run_shell_command", KEY);
  });

  test("the log reaches the model compressed, with a marker, headroom_retrieve and the original kept", async () => {
    await expectChatLogCompressed(upstream, "run_shell_command", LOG, wrapped.url);
  });

  test("/stats attributes the savings to qwen-code", async () => {
    const stats = await json(fetch(`${wrapped.url}/stats`));
    expect(stats.requests.compressed).toBe(1);
    expect(stats.requests.by_agent).toEqual({ "qwen-code": upstream.requests.length });
    expect(stats.tokens.saved).toBeGreaterThan(1_000);
  });
});

describe("Qwen Code with an Anthropic key (--auth-type anthropic) launched by headroom wrap", () => {
  const ANTHROPIC_KEY = "sk-ant-headroom-test-qwen-code";
  let wrapped: WrappedRun;
  beforeAll(async () => {
    upstream.reset();
    fakeClaudeModel(upstream, "run_shell_command");
    wrapped = await wrapQwen(
      "anthropic",
      { ANTHROPIC_API_KEY: ANTHROPIC_KEY, ANTHROPIC_MODEL: "claude-sonnet-4-5" },
      ["--auth-type", "anthropic"],
    );
  }, 180_000);
  afterAll(() => wrapped?.stop());

  // Qwen Code sends an Anthropic key as a bearer, not in x-api-key: forwarded as it came.
  test("Messages requests reach the upstream with the key, and the log arrives compressed", () => {
    expectWrappedAnswer(wrapped, trap);
    for (const request of upstream.requests) {
      expect(request.path).toBe("/v1/messages");
      expect(request.headers.get("authorization")).toBe(`Bearer ${ANTHROPIC_KEY}`);
    }
    expectToolResultCompressed(upstream, LOG, "run_shell_command");
  });
});
