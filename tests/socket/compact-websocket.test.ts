/**
 * Compaction on cache expiry over Codex's Responses WebSocket: each `response.create` of a
 * socket goes through the same rewrite as an HTTP request, so a conversation resumed within
 * its cache lifetime keeps its bytes, one resumed after it is compacted once, and the turns
 * after replay the compacted bytes. The clock is injected: hours pass without sleeping.
 */

import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { eventData, FakeSocketUpstream } from "../helpers/fake-socket-upstream.ts";
import { type ServedApp, serveApp, waitFor } from "../helpers/proxy.ts";
import { responsesStream } from "../helpers/wire.ts";

// A real output headroom compresses (this repository's lockfile, as JSON).
const LOCKFILE = readFileSync(join(import.meta.dir, "..", "..", "package-lock.json"), "utf8");
const MARKER = /headroom_retrieve hash=[0-9a-f]{24}/;
const MINUTE = 60_000;
const KEY = "sk-headroom-test-socket";
const BETA = "responses_websockets=2026-02-06";
// Most of each prompt read from the provider's cache, as a warm turn reports it.
const USAGE = { input: 9000, output: 2, cacheRead: 8000, cacheWrite: 0 };

const upstream = new FakeSocketUpstream();
upstream.answer = () => ({
  events: eventData(responsesStream({ kind: "text", text: "ok" }, "gpt-5.5", USAGE)),
});
const clock = { now: 1_000_000_000 };
let proxy: ServedApp | undefined;
let ws: WebSocket | undefined;
afterAll(async () => {
  ws?.close(1000, "done");
  await proxy?.stop();
  upstream.stop();
});

/** Opens a Codex-like socket on the proxy; `turn` resolves once the response completed. */
async function open(served: ServedApp): Promise<(message: unknown) => Promise<void>> {
  const socket = new WebSocket(`${served.url.replace("http:", "ws:")}/v1/responses`, {
    headers: { authorization: `Bearer ${KEY}`, "openai-beta": BETA },
  } as unknown as string[]);
  ws = socket;
  let done: (() => void) | undefined;
  socket.addEventListener("message", (event) => {
    if (JSON.parse(String(event.data)).type === "response.completed") done?.();
  });
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener("open", () => resolve());
    socket.addEventListener("error", () => reject(new Error("the client socket failed to open")));
  });
  return async (message) => {
    const before = served.exchanges.filter((e) => e.api === "responses").length;
    await new Promise<void>((resolve) => {
      done = resolve;
      socket.send(JSON.stringify(message));
    });
    // The conversation's clock is written by an observer once the exchange is recorded.
    await waitFor(() => served.exchanges.filter((e) => e.api === "responses").length > before);
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
}

/** Codex's history, headroom joining late: the lockfile is already in it, never decided. */
function conversation() {
  const input: unknown[] = [
    { type: "message", role: "user", content: [{ type: "input_text", text: "Check the deps." }] },
  ];
  let calls = 0;
  return (output: string) => {
    const id = `call_${++calls}`;
    input.push({ type: "function_call", name: "exec_command", arguments: "{}", call_id: id });
    input.push({ type: "function_call_output", call_id: id, output });
    return {
      type: "response.create",
      model: "gpt-5.5",
      instructions: "You are Codex.",
      input,
      tools: [{ type: "function", name: "exec_command", parameters: { type: "object" } }],
      stream: true,
      store: false,
      prompt_cache_key: "thread-compact",
    };
  };
}

/** The lockfile's output as message `index` carried it upstream. */
const lockfileSent = (index: number): string =>
  upstream.messages[index]!.json.input[2].output as string;

describe("compaction over the Responses WebSocket", () => {
  test("warm: untouched; past the lifetime: compacted once, then replayed byte for byte", async () => {
    proxy = serveApp({
      upstream: upstream.url,
      env: { HEADROOM_COMPRESSION_BUDGET_MS: "30000" },
      wallClock: () => clock.now,
    });
    const send = await open(proxy);
    const next = conversation();
    next(LOCKFILE);
    await send(next("ok\n"));
    clock.now += 2 * MINUTE;
    await send(next("ok\n"));
    expect(lockfileSent(0)).toBe(LOCKFILE);
    expect(lockfileSent(1)).toBe(LOCKFILE);
    // OpenAI keeps an idle prefix an hour at most: two hours later it is surely gone.
    clock.now += 120 * MINUTE;
    await send(next("ok\n"));
    expect(lockfileSent(2)).toMatch(MARKER);
    expect(lockfileSent(2).length).toBeLessThan(LOCKFILE.length / 4);
    await send(next("ok\n"));
    expect(lockfileSent(3)).toBe(lockfileSent(2));
    const stats = (await (await fetch(`${proxy.url}/stats`)).json()) as {
      compaction: { compactions: number; tokens_removed: number };
    };
    expect(stats.compaction.compactions).toBe(1);
    expect(stats.compaction.tokens_removed).toBeGreaterThan(0);
  });
});
