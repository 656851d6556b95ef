/**
 * GitHub Copilot CLI (the real @github/copilot) launched by `headroom wrap copilot` with its
 * bring-your-own-key provider: wrap points COPILOT_PROVIDER_BASE_URL at the proxy and lends it
 * the user's OPENAI_API_KEY (or ANTHROPIC_API_KEY with COPILOT_PROVIDER_TYPE=anthropic); the fake
 * upstream asks for a bash `cat` of a large log, the output comes back compressed with a marker,
 * and Copilot prints the answer. Nothing else leaves 127.0.0.1. (A Copilot subscription cannot
 * take this path; tests/e2e/wrap.test.ts checks that wrap says so.)
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  COPILOT,
  copilotCliEnv,
  type EgressTrap,
  makeSandbox,
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

// Under Copilot CLI's own limit (about 20 KB), above which it saves an output to a file and
// sends the model a 500-character preview instead.
const LOG = workerLog(200);
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

/** `headroom wrap copilot -- -p … --allow-all-tools` in a fresh sandbox, with `extra` env. */
async function wrapCopilot(name: string, extra: Record<string, string>): Promise<WrappedRun> {
  trap.attempts.length = 0;
  const sandbox = makeSandbox(`copilot-${name}`);
  writeFileSync(join(sandbox.work, "worker.log"), LOG);
  const env = copilotCliEnv(sandbox, trap, extra);
  const args = ["-p", CHAT_AGENT_PROMPT, "--allow-all-tools"];
  return wrapInSandbox("copilot", COPILOT, args, sandbox, env, upstream.url);
}

describe("Copilot CLI with an OpenAI key (BYOK) launched by headroom wrap", () => {
  const KEY = "sk-headroom-test-copilot-byok";
  let wrapped: WrappedRun;
  beforeAll(async () => {
    upstream.reset();
    fakeChatAgent(upstream, { name: "bash", input: SHELL });
    wrapped = await wrapCopilot("openai", { OPENAI_API_KEY: KEY, COPILOT_MODEL: "gpt-4.1" });
  }, 180_000);
  afterAll(() => wrapped?.stop());

  test("the bash round trip completes through headroom with the user's key, and nothing tried to leave", () => {
    expectWrappedAnswer(wrapped, trap);
    expectChatTurnsWithKey(upstream, "bash", KEY);
  });

  test("the log reaches the model compressed, with a marker, headroom_retrieve and the original kept", async () => {
    await expectChatLogCompressed(upstream, "bash", LOG, wrapped.url);
  });

  // Its requests carry only "OpenAI/JS …" as user agent; wrap's stack label names the agent.
  test("/stats attributes the savings to the project and to copilot", async () => {
    const stats = await json(fetch(`${wrapped.url}/stats`));
    expect(stats.requests.compressed).toBe(1);
    expect(Object.keys(stats.savings.per_project)).toEqual(["work"]);
    expect(stats.requests.by_stack).toEqual({ wrap_copilot: upstream.requests.length });
    expect(stats.requests.by_agent).toEqual({ copilot: upstream.requests.length });
    expect(stats.tokens.saved).toBeGreaterThan(1_000);
  });
});

describe("Copilot CLI with an Anthropic key (BYOK) launched by headroom wrap", () => {
  const KEY = "sk-ant-headroom-test-copilot-byok";
  let wrapped: WrappedRun;
  beforeAll(async () => {
    upstream.reset();
    fakeClaudeModel(upstream, "bash");
    wrapped = await wrapCopilot("anthropic", {
      COPILOT_PROVIDER_TYPE: "anthropic",
      ANTHROPIC_API_KEY: KEY,
      COPILOT_MODEL: "claude-sonnet-4.5",
    });
  }, 180_000);
  afterAll(() => wrapped?.stop());

  test("Messages requests reach the upstream with the key, and the log arrives compressed", () => {
    expectWrappedAnswer(wrapped, trap);
    for (const request of upstream.requests) {
      expect(request.path).toBe("/v1/messages");
      expect(request.headers.get("x-api-key")).toBe(KEY);
    }
    expectToolResultCompressed(upstream, LOG, "bash");
  });
});
