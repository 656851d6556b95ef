/**
 * Codex CLI (the real @openai/codex) through the compiled proxy against a fake OpenAI upstream
 * speaking the Responses API over streamed HTTP: `codex exec` asks, the fake model calls Codex's
 * shell tool (`exec_command` with `{cmd}` in 0.169) to cat a large log, Codex runs it locally and
 * sends the function_call_output back through headroom, and prints the fake model's final
 * answer. Nothing leaves 127.0.0.1: Codex's proxy variables point at an egress trap that must stay
 * empty, and the features that call GitHub and chatgpt.com at start are off.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  type AgentRun,
  CODEX_KEY,
  CODEX_MODEL,
  CODEX_SHELL_TOOL,
  type CodexProvider,
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
import { responsesBody, responsesStream } from "../helpers/wire.ts";

const CALL_ID = "call_01HeadroomCatWorkerLog";
const LOG = workerLog();

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary provider JSON
type Json = any;

const upstream = new FakeUpstream();
let trap: EgressTrap;
beforeAll(async () => {
  trap = await startEgressTrap();
});
afterAll(() => {
  upstream.stop();
  trap.stop();
});

/** The output item answering our shell call, as the upstream received it. */
const callOutput = (request: RecordedRequest) => codexCallOutput(request.json?.input, CALL_ID);

/** Codex's generation requests. */
function turns(): RecordedRequest[] {
  return upstream.requests.filter((r) => r.method === "POST" && r.path === "/v1/responses");
}

/**
 * The fake model, streaming Responses events: first a shell call that cats the log; once the
 * call's output is in its input, the answer, which it can only give if the failed batch's line
 * survived compression. A model list, should Codex ask, gets a plausible answer.
 */
function fakeCodexModel(): void {
  upstream.always((request) => {
    if (request.method === "GET" && request.path.startsWith("/v1/models"))
      return jsonResponse({
        object: "list",
        data: [{ id: CODEX_MODEL, object: "model", created: 1764115200, owned_by: "system" }],
      });
    if (request.method !== "POST" || request.path !== "/v1/responses")
      return jsonResponse(
        { error: { message: "not found", type: "invalid_request_error", code: null } },
        404,
      );
    const body = request.json;
    const reply = codexLogReply(callOutput(request), CALL_ID);
    return body.stream
      ? upstream.stream(responsesStream(reply, body.model), {
          headers: { "x-request-id": "req_fake_codex" },
        })
      : new Response(responsesBody(reply, body.model), {
          headers: { "content-type": "application/json" },
        });
  });
}

interface Scenario {
  proxy: RunningBinary;
  run: AgentRun;
}

/** Runs `codex exec` once through a fresh proxy, reaching it through `provider`. */
async function runCodex(provider: CodexProvider): Promise<Scenario> {
  upstream.reset();
  trap.attempts.length = 0;
  fakeCodexModel();
  const sandbox = makeSandbox(`codex-${provider}`);
  writeFileSync(join(sandbox.work, "worker.log"), LOG);
  const proxy = await startBinary([], proxyEnv(upstream.url, sandbox.workspace));
  const codexHome = writeCodexConfig(sandbox, proxy.url, CODEX_MODEL, provider);
  const run = await runCodexExec(sandbox, codexHome, trap, provider);
  return { proxy, run };
}

function expectCompletedRoundTrip({ run }: Scenario): void {
  if (run.code !== 0) throw new Error(`codex exited ${run.code}:\n${run.stderr}\n${run.stdout}`);
  // `codex exec` prints the final message alone on stdout.
  expect(run.stdout.trim()).toBe(FOUND);
  const [first, second] = turns() as [RecordedRequest, RecordedRequest];
  expect(turns()).toHaveLength(2);
  expect(callOutput(first)).toBeUndefined();
  expect(callOutput(second)).toBeDefined();
  // Codex replays the model's call before its output, as the Responses API requires.
  const call = second.json.input.find((item: Json) => item.type === "function_call");
  expect(call).toMatchObject({ name: CODEX_SHELL_TOOL, call_id: CALL_ID });
  for (const request of turns()) {
    // Streamed over HTTP with Codex's own headers and its key.
    expect(request.json.stream).toBe(true);
    expect(request.json.model).toBe(CODEX_MODEL);
    expect(request.headers.get("accept")).toBe("text/event-stream");
    expect(request.headers.get("authorization")).toBe(`Bearer ${CODEX_KEY}`);
    expect(request.headers.get("user-agent")).toStartWith("codex_exec/");
  }
  expect(trap.attempts).toEqual([]);
}

async function expectCompressedOutput({ proxy }: Scenario): Promise<void> {
  const [first, second] = turns() as [RecordedRequest, RecordedRequest];
  const sent = codexOutputText(callOutput(second));
  const { hash, original } = await expectCompressedLog(sent, LOG, proxy.url);
  // headroom_retrieve is appended in the Responses shape, from the first request on (the tool
  // list the provider cached never changes); Codex's own tools keep their order.
  const name = (t: Json) => t.name ?? t.type;
  expect(first.json.tools.map(name)).toContain(CODEX_SHELL_TOOL);
  expect(first.json.tools.at(-1)).toEqual(second.json.tools.at(-1));
  expect(second.json.tools).toEqual(first.json.tools);
  expect(second.json.tools.at(-1)).toMatchObject({
    type: "function",
    name: "headroom_retrieve",
    parameters: { required: ["hash"] },
  });
  // Instructions and the conversation's messages are untouched.
  expect(second.json.instructions).toEqual(first.json.instructions);
  const messages = (r: RecordedRequest) =>
    JSON.stringify(r.json.input.filter((item: Json) => item.type === "message"));
  expect(messages(second)).toBe(messages(first));

  // The original Codex sent (its exec header, then the log) is retrievable by the hash.
  expect(original.hash).toBe(hash);
}

describe("Codex through headroom (a custom Responses provider over HTTP)", () => {
  let scenario: Scenario;
  beforeAll(async () => {
    scenario = await runCodex("custom");
  }, 120_000);
  afterAll(() => scenario?.proxy.stop());

  test("a streamed shell function-call round trip completes and prints the model's answer", () => {
    expectCompletedRoundTrip(scenario);
    // Nothing but the two generation requests reached the upstream.
    expect(upstream.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /v1/responses",
      "POST /v1/responses",
    ]);
  });

  test("the large function_call_output reaches the upstream compressed, with a marker and headroom_retrieve", async () => {
    await expectCompressedOutput(scenario);
  });

  test("/stats shows the compression, attributed to codex", async () => {
    const stats = await json(fetch(`${scenario.proxy.url}/stats`));
    expect(stats.requests.total).toBe(2);
    expect(stats.requests.compressed).toBe(1);
    expect(stats.requests.by_agent.codex).toBe(2);
    expect(stats.requests.streamed).toBe(2);
    expect(stats.tokens.saved).toBeGreaterThan(3_000);
    expect(Object.keys(stats.compressions_by_strategy).join()).toContain("log");
  });
});

describe("Codex through headroom (its built-in OpenAI provider, openai_base_url)", () => {
  let scenario: Scenario;
  beforeAll(async () => {
    scenario = await runCodex("builtin");
  }, 120_000);
  afterAll(() => scenario?.proxy.stop());

  let roundTripOk = false;
  test("the round trip completes, compressed, over HTTP once the upstream refuses the WebSocket", async () => {
    expectCompletedRoundTrip(scenario);
    await expectCompressedOutput(scenario);
    roundTripOk = true;
  });

  // Codex's built-in provider opens the Responses API over a WebSocket first (GET /v1/responses
  // with Upgrade: websocket). headroom opens the upstream's socket before accepting Codex's; this
  // fake speaks HTTP only and refuses, so headroom answers 426 and Codex falls back to HTTP
  // streaming. The upstream only ever saw a WebSocket handshake, never a plain GET with the key.
  test("the upstream saw a WebSocket handshake, never a plain GET", () => {
    expect(roundTripOk).toBe(true);
    const gets = upstream.requests.filter((r) => r.method === "GET");
    expect(gets.length).toBeGreaterThan(0);
    for (const get of gets) {
      expect(get.path).toBe("/v1/responses");
      expect(get.headers.get("upgrade")?.toLowerCase()).toBe("websocket");
    }
  });
});
