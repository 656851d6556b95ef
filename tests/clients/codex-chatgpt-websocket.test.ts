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
  CODEX_ACCOUNT,
  CODEX_CHATGPT_TOKEN,
  CODEX_MODEL,
  codexCallOutput,
  codexLogReply,
  codexOutputText,
  codexSocketTurns,
  type EgressTrap,
  expectCompressedLog,
  FOUND,
  jsonResponse,
  makeSandbox,
  proxyEnv,
  runCodexExec,
  startEgressTrap,
  workerLog,
  writeCodexConfig,
} from "../helpers/agent-env.ts";
import { type RunningBinary, startBinary } from "../helpers/binary.ts";
import { FakeSocketUpstream, type SocketMessage } from "../helpers/fake-socket-upstream.ts";
import { json } from "../helpers/http.ts";

const CALL_ID = "call_01HeadroomChatgptSocketCat";
const LOG = workerLog();
/** Where the fake ChatGPT backend's Codex API lives, as on chatgpt.com. */
const BACKEND = "/backend-api/codex";

const backend = new FakeSocketUpstream();
let trap: EgressTrap;
let proxy: RunningBinary;
let run: AgentRun;

const callOutput = (message: SocketMessage) => codexCallOutput(message.json.input, CALL_ID);

const turns = () => codexSocketTurns(backend);

beforeAll(async () => {
  trap = await startEgressTrap();
  backend.http = (method, path) =>
    method === "GET" && path === `${BACKEND}/models` ? jsonResponse({ models: [] }) : undefined;
  backend.upgradeHeaders = { "x-codex-turn-state": "ts-chatgpt-1" };
  backend.answer = (message) => ({ reply: codexLogReply(callOutput(message), CALL_ID) });
  const sandbox = makeSandbox("codex-chatgpt-ws");
  writeFileSync(join(sandbox.work, "worker.log"), LOG);
  proxy = await startBinary([], {
    ...proxyEnv("http://127.0.0.1:9", sandbox.workspace),
    CHATGPT_TARGET_API_URL: `${backend.url}${BACKEND}`,
  });
  const codexHome = writeCodexConfig(
    sandbox,
    proxy.url,
    CODEX_MODEL,
    "chatgpt",
    `${backend.url}/backend-api/`,
    { websockets: true },
  );
  run = await runCodexExec(sandbox, codexHome, trap, "chatgpt");
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
    const sent = codexOutputText(callOutput(second));
    await expectCompressedLog(sent, LOG, proxy.url);
  });

  test("/stats counts the socket's responses as ChatGPT-plan traffic from codex", async () => {
    const stats = await json(fetch(`${proxy.url}/stats`));
    expect(stats.requests.compressed).toBe(1);
    expect(stats.requests.by_agent.codex).toBe(stats.requests.total);
    expect(stats.requests.by_auth).toEqual({ "chatgpt:pro": stats.requests.total });
    expect(stats.tokens.saved).toBeGreaterThan(3_000);
  });
});
