/**
 * Codex CLI (the real @openai/codex) through the compiled proxy over the Responses WebSocket: its
 * provider block says `supports_websockets = true`, so `codex exec` dials ws://…/v1/responses
 * and sends each turn as a `response.create` message. The fake upstream speaks only the socket
 * for generation (an HTTP POST would get 404), so a completed round trip proves the turns went
 * over the relayed WebSocket. The fake model asks Codex's shell tool to cat a large log; Codex's
 * function_call_output must reach the upstream compressed. Codex's proxy variables point at an
 * egress trap that must stay empty.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  type AgentRun,
  CODEX_KEY,
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

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary provider JSON
type Json = any;

const CALL_ID = "call_01HeadroomSocketWorkerLog";
const LOG = workerLog();

const upstream = new FakeSocketUpstream();
let trap: EgressTrap;
let proxy: RunningBinary;
let run: AgentRun;

/** The output item answering our shell call in a message, if it carries one. */
const callOutput = (message: SocketMessage) => codexCallOutput(message.json.input, CALL_ID);

const turns = () => codexSocketTurns(upstream);

beforeAll(async () => {
  trap = await startEgressTrap();
  upstream.http = (method, path) =>
    method === "GET" && path.startsWith("/v1/models")
      ? jsonResponse({
          object: "list",
          data: [{ id: CODEX_MODEL, object: "model", created: 1764115200, owned_by: "system" }],
        })
      : undefined;
  upstream.answer = (message) => ({ reply: codexLogReply(callOutput(message), CALL_ID) });
  const sandbox = makeSandbox("codex-ws");
  writeFileSync(join(sandbox.work, "worker.log"), LOG);
  proxy = await startBinary([], proxyEnv(upstream.url, sandbox.workspace));
  const codexHome = writeCodexConfig(sandbox, proxy.url, CODEX_MODEL, "custom", undefined, {
    websockets: true,
  });
  run = await runCodexExec(sandbox, codexHome, trap, "custom");
}, 120_000);

afterAll(async () => {
  await proxy?.stop();
  upstream.stop();
  trap.stop();
});

describe("Codex through headroom over the Responses WebSocket", () => {
  test("the shell round trip completes over the socket, never an HTTP POST", () => {
    if (run.code !== 0) throw new Error(`codex exited ${run.code}:\n${run.stderr}\n${run.stdout}`);
    expect(run.stdout.trim()).toBe(FOUND);
    expect(upstream.upgrades.length).toBeGreaterThanOrEqual(1);
    expect(upstream.httpRequests.filter((r) => r.method === "POST")).toEqual([]);
    const [first, second] = turns();
    expect(turns()).toHaveLength(2);
    expect(callOutput(first!)).toBeUndefined();
    expect(callOutput(second!)).toBeDefined();
    // On the socket Codex chains the second turn on the first and sends only the new items.
    expect(second!.json.previous_response_id).toBe("resp_FakeUpstream01");
    expect(second!.json.input).toHaveLength(1);
    // Codex warmed the socket up first, with the same tools as its turns (the cached prefix).
    const warmUp = upstream.messages.find((m) => m.json.generate === false);
    expect(warmUp!.json.tools).toEqual(first!.json.tools);
    expect(second!.json.tools).toEqual(first!.json.tools);
    // Codex's handshake reached the upstream with its key and its beta header, nothing of ours.
    const headers = upstream.upgrades[0]!.headers;
    expect(headers.get("authorization")).toBe(`Bearer ${CODEX_KEY}`);
    expect(headers.get("openai-beta")).toContain("responses_websockets=");
    expect([...headers.keys()].filter((name) => name.startsWith("x-headroom-"))).toEqual([]);
    expect(trap.attempts).toEqual([]);
  });

  test("the large function_call_output reaches the upstream compressed, with a marker", async () => {
    const second = turns()[1]!;
    const sent = codexOutputText(callOutput(second));
    await expectCompressedLog(sent, LOG, proxy.url);
    expect(second.json.tools.map((t: Json) => t.name ?? t.type)).toContain("headroom_retrieve");
  });

  test("/stats counts every response on the socket, attributed to codex, with the savings", async () => {
    const stats = await json(fetch(`${proxy.url}/stats`));
    // The warm-up is a response too (created and completed upstream): three in all.
    expect(stats.requests.total).toBe(3);
    expect(stats.requests.compressed).toBe(1);
    expect(stats.requests.by_agent.codex).toBe(3);
    expect(stats.tokens.saved).toBeGreaterThan(3_000);
    // The original's codex_ws section counts the same frames: each response.create planned,
    // the one carrying the log compressed, the bytes that went upstream fewer than came in.
    const ws = stats.codex_ws;
    expect(ws.frames_attempted_total).toBe(stats.pipeline_timing.compression.count);
    expect(ws.frames_attempted_total).toBeGreaterThanOrEqual(2);
    expect(ws.frames_compressed_total).toBe(1);
    expect(ws.frames_failed_total).toBe(0);
    expect(ws.frame_tokens_saved_sum).toBe(stats.tokens.saved);
    expect(ws.frame_bytes_after_sum).toBeLessThan(ws.frame_bytes_before_sum);
    expect(ws.units_modified_total).toBe(1);
    expect(ws.unit_tokens_saved_sum).toBeGreaterThan(3_000);
    expect(Object.values(ws.units_by_strategy)).toEqual([1]);
    expect(ws.units_to_kompress_total).toBe(0);
  });
});
