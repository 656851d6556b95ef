/**
 * Codex CLI signed in with ChatGPT, through the compiled proxy over HTTP: its config is the
 * `headroom` provider `wrap codex` writes for a ChatGPT sign-in (`requires_openai_auth`, no key),
 * its auth.json a fake sign-in whose token never needs refreshing, and a fake ChatGPT backend
 * (CHATGPT_TARGET_API_URL) speaks the Responses API as chatgpt.com/backend-api/codex does. The
 * fake model calls Codex's shell tool to cat a large log; the output comes back through headroom
 * compressed. Nothing leaves 127.0.0.1: the egress trap must stay empty.
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
import { FakeUpstream, type RecordedRequest } from "../helpers/fake-upstream.ts";
import { json } from "../helpers/http.ts";
import { responsesStream } from "../helpers/wire.ts";

const CALL_ID = "call_01HeadroomChatgptCat";
const LOG = workerLog();
/** Where the fake ChatGPT backend's Codex API lives, as on chatgpt.com. */
const BACKEND = "/backend-api/codex";

const backend = new FakeUpstream();
let trap: EgressTrap;
let proxy: RunningBinary;
let run: AgentRun;

const callOutput = (request: RecordedRequest) => codexCallOutput(request.json?.input, CALL_ID);

/** Codex's generation requests, as the backend received them. */
function turns(): RecordedRequest[] {
  return backend.requests.filter((r) => r.method === "POST" && r.path === `${BACKEND}/responses`);
}

/** The fake backend: Responses events at /responses, Codex's model list at /models. */
function fakeChatgptBackend(): void {
  backend.always((request) => {
    if (request.method === "GET" && request.path === `${BACKEND}/models`) {
      return jsonResponse({ models: [] });
    }
    if (request.method !== "POST" || request.path !== `${BACKEND}/responses`) {
      return jsonResponse({ detail: "Not Found" }, 404);
    }
    const reply = codexLogReply(callOutput(request), CALL_ID);
    return backend.stream(responsesStream(reply, request.json.model), {
      headers: { "x-codex-primary-used-percent": "12" },
    });
  });
}

beforeAll(async () => {
  trap = await startEgressTrap();
  fakeChatgptBackend();
  const sandbox = makeSandbox("codex-chatgpt");
  writeFileSync(join(sandbox.work, "worker.log"), LOG);
  proxy = await startBinary([], {
    ...proxyEnv("http://127.0.0.1:9", sandbox.workspace),
    CHATGPT_TARGET_API_URL: `${backend.url}${BACKEND}`,
  });
  // Codex's own account calls (usage, plugins) go straight to the backend, as they would to
  // chatgpt.com: they are not model traffic and never pass through headroom.
  const codexHome = writeCodexConfig(
    sandbox,
    proxy.url,
    CODEX_MODEL,
    "chatgpt",
    `${backend.url}/backend-api/`,
  );
  run = await runCodexExec(sandbox, codexHome, trap, "chatgpt");
}, 120_000);
afterAll(() => {
  proxy?.stop();
  backend.stop();
  trap?.stop();
});

describe("Codex signed in with ChatGPT, through headroom over HTTP", () => {
  test("the shell round trip completes at the ChatGPT backend with the sign-in's token and account", () => {
    if (run.code !== 0) throw new Error(`codex exited ${run.code}:\n${run.stderr}\n${run.stdout}`);
    expect(run.stdout.trim()).toBe(FOUND);
    expect(turns()).toHaveLength(2);
    for (const request of turns()) {
      expect(request.headers.get("authorization")).toBe(`Bearer ${CODEX_CHATGPT_TOKEN}`);
      expect(request.headers.get("chatgpt-account-id")).toBe(CODEX_ACCOUNT);
      expect(request.json.stream).toBe(true);
      expect(request.json.model).toBe(CODEX_MODEL);
    }
    // Nothing tried to leave: no token refresh, no chatgpt.com, no telemetry.
    expect(trap.attempts).toEqual([]);
  });

  test("the large function_call_output reached the backend compressed, retrievable by its marker", async () => {
    const [first, second] = turns() as [RecordedRequest, RecordedRequest];
    expect(callOutput(first)).toBeUndefined();
    const sent = codexOutputText(callOutput(second));
    await expectCompressedLog(sent, LOG, proxy.url);
    expect(second.json.tools.at(-1)).toMatchObject({ type: "function", name: "headroom_retrieve" });
    expect(second.json.tools).toEqual(first.json.tools);
  });

  test("Codex's model list is fetched from the backend's /models, with its client version", () => {
    const lists = backend.requests.filter((r) => r.path === `${BACKEND}/models`);
    expect(lists.length).toBeGreaterThan(0);
    for (const request of lists) {
      expect(request.query).toStartWith("client_version=");
      expect(request.headers.get("authorization")).toBe(`Bearer ${CODEX_CHATGPT_TOKEN}`);
    }
  });

  test("/stats counts the turns as OpenAI traffic from codex, one compressed", async () => {
    const stats = await json(fetch(`${proxy.url}/stats`));
    // The two turns, and the model list fetched through headroom.
    expect(stats.requests.streamed).toBe(2);
    expect(stats.requests.compressed).toBe(1);
    expect(stats.requests.by_provider).toEqual({ openai: stats.requests.total });
    expect(stats.requests.by_agent.codex).toBe(stats.requests.total);
    // Subscription traffic is told apart by its plan, never by anything from the token itself.
    expect(stats.requests.by_auth).toEqual({ "chatgpt:pro": stats.requests.total });
    // Neither the token nor any part of it is in the proxy's log or its stats.
    const payload = CODEX_CHATGPT_TOKEN.split(".")[1]!;
    for (const text of [proxy.lines.join("\n"), JSON.stringify(stats)]) {
      expect(text).not.toContain(payload);
      expect(text).not.toContain(CODEX_CHATGPT_TOKEN.slice(-16));
    }
    expect(stats.tokens.saved).toBeGreaterThan(3_000);
  });
});
