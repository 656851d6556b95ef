/**
 * Codex CLI signed in with ChatGPT, through the compiled proxy over the Responses WebSocket: the
 * `headroom` provider as `wrap codex` writes it for a ChatGPT sign-in (`requires_openai_auth`,
 * `supports_websockets = true`), a fake signed-in auth.json, and a fake ChatGPT backend
 * (CHATGPT_TARGET_API_URL) that speaks the socket at /backend-api/codex/responses and answers a
 * generation POST with 404, so a completed round trip proves the turns went over the relayed
 * socket to the backend the sign-in belongs to. The egress trap must stay empty.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  type AgentRun,
  CODEX,
  CODEX_ACCOUNT,
  CODEX_CHATGPT_TOKEN,
  codexEnv,
  type EgressTrap,
  FAILED_LINE,
  FOUND,
  jsonResponse,
  MARKER,
  makeSandbox,
  NOT_FOUND,
  proxyEnv,
  runAgent,
  startEgressTrap,
  workerLog,
  writeCodexConfig,
} from "../helpers/agent-env.ts";
import { type RunningBinary, startBinary } from "../helpers/binary.ts";
import { FakeSocketUpstream, type SocketMessage } from "../helpers/fake-socket-upstream.ts";
import { json } from "../helpers/http.ts";

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary provider JSON
type Json = any;

const MODEL = "gpt-5.5";
const CALL_ID = "call_01HeadroomChatgptSocketCat";
const SHELL_TOOL = "exec_command";
const PROMPT = "Which batch failed in worker.log? Read the file.";
const LOG = workerLog();
/** Where the fake ChatGPT backend's Codex API lives, as on chatgpt.com. */
const BACKEND = "/backend-api/codex";

const backend = new FakeSocketUpstream();
let trap: EgressTrap;
let proxy: RunningBinary;
let run: AgentRun;

function callOutput(message: SocketMessage): Json {
  return (message.json.input ?? []).find(
    (item: Json) => item.type === "function_call_output" && item.call_id === CALL_ID,
  );
}

function outputText(item: Json): string {
  if (typeof item.output === "string") return item.output;
  return item.output.map((part: Json) => part.text ?? "").join("");
}

/** Codex's turns on the socket (not its `generate: false` warm-up). */
function turns(): SocketMessage[] {
  return backend.messages.filter(
    (m) => m.json.type === "response.create" && m.json.generate !== false,
  );
}

beforeAll(async () => {
  trap = await startEgressTrap();
  backend.http = (method, path) =>
    method === "GET" && path === `${BACKEND}/models` ? jsonResponse({ models: [] }) : undefined;
  backend.upgradeHeaders = { "x-codex-turn-state": "ts-chatgpt-1" };
  backend.answer = (message) => {
    const output = callOutput(message);
    if (!output)
      return {
        reply: { kind: "tool", name: SHELL_TOOL, id: CALL_ID, input: { cmd: "cat worker.log" } },
      };
    return {
      reply: { kind: "text", text: outputText(output).includes(FAILED_LINE) ? FOUND : NOT_FOUND },
    };
  };
  const sandbox = makeSandbox("codex-chatgpt-ws");
  writeFileSync(join(sandbox.work, "worker.log"), LOG);
  proxy = await startBinary([], {
    ...proxyEnv("http://127.0.0.1:9", sandbox.workspace),
    CHATGPT_TARGET_API_URL: `${backend.url}${BACKEND}`,
  });
  const codexHome = writeCodexConfig(
    sandbox,
    proxy.url,
    MODEL,
    "chatgpt",
    `${backend.url}/backend-api/`,
    { websockets: true },
  );
  run = await runAgent([CODEX, "exec", "--skip-git-repo-check", PROMPT], {
    cwd: sandbox.work,
    env: codexEnv(sandbox, codexHome, trap, "chatgpt"),
  });
}, 120_000);

afterAll(async () => {
  await proxy?.stop();
  backend.stop();
  trap?.stop();
});

describe("Codex signed in with ChatGPT, through headroom over the Responses WebSocket", () => {
  test("the round trip completes over a socket to the ChatGPT backend, never an HTTP POST", () => {
    if (run.code !== 0) throw new Error(`codex exited ${run.code}:\n${run.stderr}\n${run.stdout}`);
    expect(run.stdout.trim()).toBe(FOUND);
    expect(backend.httpRequests.filter((r) => r.method === "POST")).toEqual([]);
    expect(backend.upgrades.length).toBeGreaterThanOrEqual(1);
    for (const upgrade of backend.upgrades) {
      expect(upgrade.path).toBe(`${BACKEND}/responses`);
      expect(upgrade.headers.get("authorization")).toBe(`Bearer ${CODEX_CHATGPT_TOKEN}`);
      expect(upgrade.headers.get("chatgpt-account-id")).toBe(CODEX_ACCOUNT);
      expect([...upgrade.headers.keys()].filter((n) => n.startsWith("x-headroom-"))).toEqual([]);
    }
    const [first, second] = turns();
    expect(turns()).toHaveLength(2);
    expect(callOutput(first!)).toBeUndefined();
    expect(callOutput(second!)).toBeDefined();
    expect(trap.attempts).toEqual([]);
  });

  test("the large function_call_output reached the backend compressed, retrievable by its marker", async () => {
    const second = turns()[1]!;
    const sent = outputText(callOutput(second));
    expect(sent.length).toBeLessThan(LOG.length / 4);
    expect(sent).toContain(FAILED_LINE);
    const hash = MARKER.exec(sent)?.[1];
    expect(hash).toBeDefined();
    const original = await json(fetch(`${proxy.url}/v1/retrieve/${hash}`));
    expect(original.original_content).toContain(LOG.trimEnd());
  });

  test("/stats counts the socket's responses as ChatGPT-plan traffic from codex", async () => {
    const stats = await json(fetch(`${proxy.url}/stats`));
    expect(stats.requests.compressed).toBe(1);
    expect(stats.requests.by_agent.codex).toBe(stats.requests.total);
    expect(stats.requests.by_auth).toEqual({ "chatgpt:pro": stats.requests.total });
    expect(stats.tokens.saved).toBeGreaterThan(3_000);
  });
});
