/**
 * The Responses WebSocket relayed by the real server (Bun.serve on port 0) to a fake upstream
 * speaking the protocol as Codex's upstream does, with a plain WebSocket client in Codex's place.
 */

import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import { connect as tcpConnect } from "node:net";
import WsClient from "ws";
import { createApp } from "../../src/app/create-app.ts";
import { serveWithBun } from "../../src/runtime/bun-server.ts";
import { FAILED_LINE, workerLog } from "../helpers/agent-env.ts";
import { chatgptToken } from "../helpers/chatgpt-token.ts";
import { FakeSocketUpstream, type SocketMessage } from "../helpers/fake-socket-upstream.ts";
import { hostListingWithNeedle } from "../helpers/output-fixture.ts";
import { buildApp, type ServedApp, serveApp, waitFor } from "../helpers/proxy.ts";
import { rawHandshake } from "../helpers/raw-handshake.ts";
import { frameOpcodes, readToEnd, StalledSocketUpstream } from "../helpers/stalled-socket.ts";

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary provider JSON
type Json = any;

const KEY = "sk-headroom-test-socket";
const BETA = "responses_websockets=2026-02-06";
const CALL_ID = "call_01HeadroomSocketCat";
const CLOSE_OPCODE = 0x8;

// The needle sits in the listing's row 58, which lossy compression drops.
const NEEDLE = "needle-7f3a-the-answer";
const ROWS = hostListingWithNeedle(NEEDLE);
const FINAL = "The note on row 58 is needle-7f3a-the-answer.";

/** One masked text frame, as a client must send it (RFC 6455 §5.2). */
function maskedTextFrame(text: string): Uint8Array {
  const payload = new TextEncoder().encode(text);
  const mask = [0x12, 0x34, 0x56, 0x78];
  const head =
    payload.length < 126
      ? [0x81, 0x80 | payload.length]
      : [0x81, 0x80 | 126, payload.length >> 8, payload.length & 0xff];
  const frame = new Uint8Array(head.length + 4 + payload.length);
  frame.set(head, 0);
  frame.set(mask, head.length);
  payload.forEach((byte, i) => {
    frame[head.length + 4 + i] = byte ^ mask[i % 4]!;
  });
  return frame;
}

const upstream = new FakeSocketUpstream();
const proxies: ServedApp[] = [];
afterAll(async () => {
  for (const proxy of proxies) await proxy.stop();
  upstream.stop();
});
// Every test's sockets are closed before the next one counts closes, whatever it asserted.
const clients: WebSocket[] = [];
beforeEach(async () => {
  for (const ws of clients.splice(0)) if (ws.readyState <= 1) ws.close(1000, "done");
  await waitFor(() => upstream.openSockets === 0);
  upstream.reset();
});

function startProxy(env: Record<string, string> = {}): ServedApp {
  const proxy = serveApp({ upstream: upstream.url, env });
  proxies.push(proxy);
  return proxy;
}

/** A client socket on the proxy, with everything it received. */
interface Client {
  readonly ws: WebSocket;
  readonly received: string[];
  readonly closed: Promise<{ code: number; reason: string }>;
  /** Resolves with the events of the next response, up to its terminal event. */
  turn(message: Json): Promise<Json[]>;
}

async function connect(
  proxy: ServedApp,
  headers: Record<string, string> = {},
  protocols?: string[],
  path = "/v1/responses",
): Promise<Client> {
  const url = `${proxy.url.replace("http:", "ws:")}${path}`;
  const ws = new WebSocket(url, {
    headers: { authorization: `Bearer ${KEY}`, "openai-beta": BETA, ...headers },
    ...(protocols ? { protocols } : {}),
  } as unknown as string[]);
  clients.push(ws);
  const received: string[] = [];
  let waiter: { from: number; resolve: (events: Json[]) => void } | undefined;
  ws.addEventListener("message", (event) => {
    received.push(String(event.data));
    const type = JSON.parse(String(event.data)).type;
    if (
      waiter &&
      (type === "response.completed" || type === "error" || type === "response.failed")
    ) {
      const events = received.slice(waiter.from).map((text) => JSON.parse(text));
      const resolve = waiter.resolve;
      waiter = undefined;
      resolve(events);
    }
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.addEventListener("close", (event) => resolve({ code: event.code, reason: event.reason })),
  );
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener("open", () => resolve());
    ws.addEventListener("error", () => reject(new Error("the client socket failed to open")));
  });
  return {
    ws,
    received,
    closed,
    turn(message) {
      return new Promise((resolve) => {
        waiter = { from: received.length, resolve };
        ws.send(typeof message === "string" ? message : JSON.stringify(message));
      });
    },
  };
}

/** A response.create the way Codex writes it. */
function create(input: Json[], extra: Json = {}): Json {
  return {
    type: "response.create",
    model: "gpt-5.5",
    instructions: "You are Codex.",
    input,
    tools: [
      { type: "function", name: "exec_command", parameters: { type: "object", properties: {} } },
    ],
    tool_choice: "auto",
    parallel_tool_calls: false,
    reasoning: null,
    store: false,
    stream: true,
    include: [],
    prompt_cache_key: "thread-1",
    ...extra,
  };
}

const user = (text: string) => ({
  type: "message",
  role: "user",
  content: [{ type: "input_text", text }],
});
const call = {
  type: "function_call",
  name: "exec_command",
  arguments: '{"cmd":"cat worker.log"}',
  call_id: CALL_ID,
};
const output = (text: string) => ({ type: "function_call_output", call_id: CALL_ID, output: text });

/** The function_call_output text a message carried upstream. */
function sentOutput(message: SocketMessage): string {
  return message.json.input.find((item: Json) => item.type === "function_call_output").output;
}

describe("the Responses WebSocket relay", () => {
  test("relays a response's events byte for byte and records its usage", async () => {
    const proxy = startProxy();
    const client = await connect(proxy);
    const events = await client.turn(create([user("hello")]));
    expect(events.at(-1).type).toBe("response.completed");
    expect(client.received).toEqual(upstream.sent[0]!);
    expect(upstream.messages).toHaveLength(1);
    expect(upstream.httpRequests).toEqual([]);
    await waitFor(() => proxy.exchanges.some((e) => e.api === "responses"));
    const exchange = proxy.exchanges.find((e) => e.api === "responses")!;
    expect(exchange).toMatchObject({
      provider: "openai",
      outcome: "ok",
      status: 200,
      model: "gpt-5.5",
    });
    expect(exchange.usage.inputTokens).toBe(25);
    expect(exchange.usage.outputTokens).toBe(12);
    client.ws.close(1000, "done");
    await client.closed;
  });

  test("compresses a tool output and replays it on later turns and on a new socket", async () => {
    const proxy = startProxy();
    const log = workerLog();
    const first = await connect(proxy);
    await first.turn(create([user("Which batch failed?"), call, output(log)]));
    const compressed = sentOutput(upstream.messages[0]!);
    expect(compressed.length).toBeLessThan(log.length / 2);
    expect(compressed).toContain(FAILED_LINE);
    // The message's own fields pass untouched around the spliced output.
    expect(upstream.messages[0]!.json).toMatchObject({ type: "response.create", model: "gpt-5.5" });
    const later = [
      user("Which batch failed?"),
      call,
      output(log),
      { type: "message", role: "assistant", content: [{ type: "output_text", text: "ok" }] },
      user("And which worker?"),
    ];
    await first.turn(create(later));
    expect(sentOutput(upstream.messages[1]!)).toBe(compressed);
    first.ws.close(1000, "done");
    await first.closed;
    const second = await connect(proxy);
    await second.turn(create(later));
    expect(upstream.messages[2]!.socket).toBe(1);
    expect(sentOutput(upstream.messages[2]!)).toBe(compressed);
    await waitFor(() => proxy.exchanges.filter((e) => e.api === "responses").length === 3);
    const [turn1] = proxy.exchanges.filter((e) => e.api === "responses");
    expect(turn1!.tokensSaved).toBeGreaterThan(0);
    second.ws.close(1000, "done");
  });

  test("answers headroom_retrieve on the socket; the client never sees the call", async () => {
    const proxy = startProxy();
    upstream.answer = (message) => {
      const hash = /headroom_retrieve hash=([0-9a-f]{24})/.exec(message.text)?.[1];
      if (!hash || message.text.includes(NEEDLE)) return { reply: { kind: "text", text: FINAL } };
      return {
        reply: {
          kind: "tool",
          name: "headroom_retrieve",
          input: { hash },
          id: "call_retrieve_1",
          text: "Let me fetch the full output.",
        },
      };
    };
    const client = await connect(proxy);
    const events = await client.turn(
      create([user("Summarise the health checks."), call, output(ROWS)]),
    );
    // The first message offered the tool and carried a marker; the second continued the response.
    const [first, second] = upstream.messages;
    expect(upstream.messages).toHaveLength(2);
    expect(first!.json.tools.map((t: Json) => t.name)).toContain("headroom_retrieve");
    expect(sentOutput(first!)).not.toContain(NEEDLE);
    expect(second!.socket).toBe(0);
    expect(second!.json.type).toBe("response.create");
    const answered = second!.json.input.find(
      (item: Json) => item.type === "function_call_output" && item.call_id === "call_retrieve_1",
    );
    expect(answered.output).toContain(NEEDLE);
    // The client saw one response: no retrieve call, the final answer, one terminal event.
    expect(client.received.join("\n")).not.toContain("headroom_retrieve");
    const completed = events.at(-1);
    expect(completed.type).toBe("response.completed");
    expect(events.filter((e) => e.type === "response.completed")).toHaveLength(1);
    expect(JSON.stringify(completed.response.output)).toContain(FINAL);
    expect(events.filter((e) => e.type === "response.created")).toHaveLength(1);
    await waitFor(() => proxy.exchanges.some((e) => e.api === "responses"));
    const exchange = proxy.exchanges.find((e) => e.api === "responses")!;
    expect(exchange.retrievals).toBe(1);
    // Both rounds' usage, summed.
    expect(exchange.usage.inputTokens).toBe(50);
    client.ws.close(1000, "done");
  });

  test("a retrieve call beside the client's own call is hidden, then answered on the chained turn", async () => {
    const proxy = startProxy();
    const retrieve = (hash: string) => ({
      type: "function_call",
      id: "fc_retrieve",
      call_id: "call_retrieve_mixed",
      name: "headroom_retrieve",
      arguments: JSON.stringify({ hash }),
      status: "completed",
    });
    const cat = {
      type: "function_call",
      id: "fc_cat",
      call_id: "call_cat_2",
      name: "exec_command",
      arguments: '{"cmd":"cat more.log"}',
      status: "completed",
    };
    const response = (status: string, output: Json[]) => ({
      id: "resp_mixed_1",
      object: "response",
      status,
      model: "gpt-5.5",
      output,
      usage:
        status === "completed"
          ? { input_tokens: 30, output_tokens: 9, input_tokens_details: { cached_tokens: 0 } }
          : null,
    });
    upstream.answer = (message) => {
      const hash = /headroom_retrieve hash=([0-9a-f]{24})/.exec(message.text)?.[1];
      if (message.json.previous_response_id || !hash)
        return { reply: { kind: "text", text: FINAL } };
      const items = [retrieve(hash), cat];
      const ev = (type: string, data: Json, n: number) =>
        JSON.stringify({ type, sequence_number: n, ...data });
      return {
        events: [
          ev("response.created", { response: response("in_progress", []) }, 0),
          ev("response.output_item.added", { output_index: 0, item: items[0] }, 1),
          ev("response.output_item.done", { output_index: 0, item: items[0] }, 2),
          ev("response.output_item.added", { output_index: 1, item: items[1] }, 3),
          ev("response.output_item.done", { output_index: 1, item: items[1] }, 4),
          ev("response.completed", { response: response("completed", items) }, 5),
        ],
      };
    };
    const client = await connect(proxy);
    const first = await client.turn(
      create([user("Summarise the health checks."), call, output(ROWS)]),
    );
    // The client sees its own call only, at output index 0, and no retrieve call anywhere.
    expect(client.received.join("\n")).not.toContain("headroom_retrieve");
    const done = first.filter((e) => e.type === "response.output_item.done");
    expect(done.map((e) => [e.output_index, e.item.call_id])).toEqual([[0, "call_cat_2"]]);
    expect(first.at(-1).response.output.map((item: Json) => item.call_id)).toEqual(["call_cat_2"]);
    // Codex chains its next turn and sends only its call's output; headroom adds the hidden
    // call's answer, since the upstream holds the call itself.
    await client.turn(
      create([{ type: "function_call_output", call_id: "call_cat_2", output: "more" }], {
        previous_response_id: "resp_mixed_1",
      }),
    );
    const chained = upstream.messages[1]!.json;
    expect(chained.input.map((item: Json) => item.call_id)).toEqual([
      "call_retrieve_mixed",
      "call_cat_2",
    ]);
    expect(chained.input[0].output).toContain(NEEDLE);
  });

  test("passes the client's headers and subprotocol, never headroom's own", async () => {
    const proxy = startProxy();
    upstream.acceptProtocol = "codex-v1";
    const client = await connect(
      proxy,
      {
        session_id: "sess-1",
        "x-headroom-session-id": "private",
        "x-headroom-bypass": "false",
      },
      ["codex-v1"],
    );
    expect(client.ws.protocol).toBe("codex-v1");
    const [upgrade] = upstream.upgrades;
    expect(upgrade!.path).toBe("/v1/responses");
    const headers = upgrade!.headers;
    expect(headers.get("authorization")).toBe(`Bearer ${KEY}`);
    expect(headers.get("openai-beta")).toBe(BETA);
    expect(headers.get("session_id")).toBe("sess-1");
    expect(headers.get("sec-websocket-protocol")).toBe("codex-v1");
    expect(headers.get("host")).toBe(new URL(upstream.url).host);
    expect([...headers.keys()].filter((name) => name.startsWith("x-headroom-"))).toEqual([]);
    client.ws.close(1000, "done");
  });

  test("a ChatGPT sign-in's socket goes to the ChatGPT backend, on every Responses alias", async () => {
    const backend = new FakeSocketUpstream();
    try {
      const proxy = startProxy({ CHATGPT_TARGET_API_URL: `${backend.url}/backend-api/codex` });
      const token = chatgptToken("acct-socket-1", "socket-test", "pro");
      const paths = [
        "/v1/responses",
        "/v1/codex/responses",
        "/backend-api/responses",
        "/backend-api/codex/responses",
      ];
      for (const path of paths) {
        const client = await connect(proxy, { authorization: `Bearer ${token}` }, undefined, path);
        const events = await client.turn(create([user("hi")]));
        expect(events.at(-1).type).toBe("response.completed");
        client.ws.close(1000, "done");
        await client.closed;
      }
      expect(backend.upgrades.map((u) => u.path)).toEqual(
        paths.map(() => "/backend-api/codex/responses"),
      );
      for (const upgrade of backend.upgrades) {
        expect(upgrade.headers.get("authorization")).toBe(`Bearer ${token}`);
        // The account the token names, added because this client did not send it.
        expect(upgrade.headers.get("chatgpt-account-id")).toBe("acct-socket-1");
      }
      expect(backend.messages).toHaveLength(4);
      expect(upstream.upgrades).toEqual([]);
      await waitFor(() => proxy.exchanges.filter((e) => e.api === "responses").length === 4);
      for (const exchange of proxy.exchanges.filter((e) => e.api === "responses")) {
        expect(exchange.client?.auth).toBe("chatgpt:pro");
        expect(exchange.provider).toBe("openai");
      }
      // An API key on an alias still goes to the OpenAI upstream.
      const keyed = await connect(proxy, {}, undefined, "/backend-api/codex/responses");
      await keyed.turn(create([user("hi")]));
      expect(upstream.upgrades.map((u) => u.path)).toEqual(["/v1/responses"]);
      keyed.ws.close(1000, "done");
      await keyed.closed;
    } finally {
      backend.stop();
    }
  });

  test("the client's 101 carries the upstream's handshake headers (Codex's turn state, model)", async () => {
    const proxy = startProxy();
    upstream.upgradeHeaders = {
      "x-codex-turn-state": "ts-7f3a",
      "openai-model": "gpt-5.5",
      "x-reasoning-included": "true",
    };
    const url = `${proxy.url.replace("http:", "ws:")}/v1/responses`;
    const client = new WsClient(url, [], { headers: { authorization: `Bearer ${KEY}` } });
    const opened = new Promise<void>((resolve) => client.on("open", () => resolve()));
    const upgraded = await new Promise<Record<string, unknown>>((resolve, reject) => {
      client.on("upgrade", (response) => resolve(response.headers));
      client.on("error", reject);
    });
    await opened;
    expect(upgraded["x-codex-turn-state"]).toBe("ts-7f3a");
    expect(upgraded["openai-model"]).toBe("gpt-5.5");
    expect(upgraded["x-reasoning-included"]).toBe("true");
    client.close(1000, "done");
  });

  test("a close on either side closes the other with the same code", async () => {
    const proxy = startProxy();
    const a = await connect(proxy);
    await a.turn(create([user("hi")]));
    a.ws.close(4001, "client says bye");
    await waitFor(() => upstream.closes.length === 1);
    expect(upstream.closes[0]).toEqual({ socket: 0, code: 4001, reason: "client says bye" });

    const b = await connect(proxy);
    upstream.answer = () => ({ close: { code: 4002, reason: "upstream says bye" } });
    b.ws.send(JSON.stringify(create([user("hi")])));
    expect(await b.closed).toEqual({ code: 4002, reason: "upstream says bye" });
    await waitFor(() => proxy.exchanges.filter((e) => e.api === "responses").length === 2);
    const failed = proxy.exchanges.filter((e) => e.api === "responses")[1]!;
    expect(failed.outcome).toBe("failed");
  });

  test("a message over the body limit closes both sides with 1009", async () => {
    const proxy = startProxy({ HEADROOM_MAX_BODY_BYTES: "20000" });
    const client = await connect(proxy);
    client.ws.send(JSON.stringify(create([user("x".repeat(30_000))])));
    expect((await client.closed).code).toBe(1009);
    await waitFor(() => upstream.closes.length === 1);
    expect(upstream.closes[0]!.code).toBe(1009);
    expect(upstream.messages).toEqual([]);
  });

  test("an upstream that refuses the handshake gets the client a 426, so Codex uses HTTP", async () => {
    const proxy = startProxy();
    upstream.refuseWith = 401;
    const answer = await rawHandshake(proxy.url, KEY);
    expect(answer).toStartWith("HTTP/1.1 426");
    const body = JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4));
    expect(body.error.message).toContain("use HTTP streaming");
    expect(upstream.upgrades).toHaveLength(1);
    expect(proxy.exchanges.filter((e) => e.outcome !== "local")).toEqual([]);
  });

  test("a client that vanishes mid-response closes the upstream socket and leaks nothing", async () => {
    const proxy = startProxy();
    upstream.answer = () => ({
      reply: { kind: "text", text: "a slow answer ".repeat(20) },
      delayMs: 20,
    });
    const client = await connect(proxy);
    const health = async () => (await (await fetch(`${proxy.url}/health`)).json()) as Json;
    // The original's gauge in /metrics, as its dashboards read it.
    const wsGauge = async () =>
      /^headroom_active_ws_sessions (\d+)$/m.exec(
        await (await fetch(`${proxy.url}/metrics`)).text(),
      )?.[1];
    expect((await health()).websocket_sessions).toBe(1);
    expect(await wsGauge()).toBe("1");
    client.ws.send(JSON.stringify(create([user("take your time")])));
    await waitFor(() => client.received.length >= 3);
    (client.ws as unknown as { terminate(): void }).terminate();
    await waitFor(() => upstream.closes.length === 1);
    expect(upstream.closes[0]!.code).toBe(1001);
    await waitFor(() => proxy.exchanges.some((e) => e.api === "responses"));
    expect(proxy.exchanges.find((e) => e.api === "responses")!.outcome).toBe("aborted");
    expect((await health()).websocket_sessions).toBe(0);
    expect(await wsGauge()).toBe("0");
    // The upstream stopped streaming to nobody.
    const sent = upstream.sent[0]!.length;
    await Bun.sleep(100);
    expect(upstream.sent[0]!.length).toBe(sent);
  });

  test("a client that stops reading is cut off with 1013 instead of buffered without bound", async () => {
    const proxy = startProxy();
    // 256 events of about 1 MiB each: far more than any kernel's socket buffers and the relay's
    // bound together, so the bound is reached whatever the buffer sizes of the machine.
    const big = JSON.stringify({ type: "response.output_text.delta", delta: "x".repeat(1 << 20) });
    upstream.answer = () => ({ events: Array.from({ length: 256 }, () => big) });
    // A raw client that sends one response.create and then never reads again.
    const port = Number(new URL(proxy.url).port);
    const socket = tcpConnect(port, "127.0.0.1");
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    socket.write(
      [
        "GET /v1/responses HTTP/1.1",
        `Host: 127.0.0.1:${port}`,
        "Connection: Upgrade",
        "Upgrade: websocket",
        "Sec-WebSocket-Version: 13",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
        `Authorization: Bearer ${KEY}`,
        "",
        "",
      ].join("\r\n"),
    );
    // Destroyed even when an assertion fails, so the next tests do not inherit an open socket.
    try {
      await new Promise<void>((resolve) => socket.once("data", () => resolve()));
      socket.pause();
      socket.write(maskedTextFrame(JSON.stringify(create([user("flood me")]))));
      await waitFor(() => upstream.closes.length === 1, 20_000);
      expect(upstream.closes[0]!.code).toBe(1013);
      await waitFor(() => proxy.exchanges.some((e) => e.api === "responses"));
      expect(proxy.exchanges.find((e) => e.api === "responses")!.outcome).toBe("failed");
      // The client is dropped, not sent a close frame behind the events it did not read: read
      // again, it finds only what the kernel held and then the end of the connection.
      expect(frameOpcodes(await readToEnd(socket))).not.toContain(CLOSE_OPCODE);
    } finally {
      socket.destroy();
    }
  }, 30_000);

  test("an upstream that stops reading is cut off: the client gets 1013, the upstream is dropped", async () => {
    const stalled = await new StalledSocketUpstream().start();
    const proxy = serveApp({ upstream: stalled.url });
    proxies.push(proxy);
    try {
      const client = await connect(proxy);
      const peer = await stalled.peer;
      // Messages of about 1 MiB that are not response.create pass as they came, until the relay's
      // bound on what it holds for the upstream is crossed, whatever the kernel's buffers hold.
      const big = JSON.stringify({ type: "conversation.note", text: "x".repeat(1 << 20) });
      for (let i = 0; i < 256 && client.ws.readyState === WebSocket.OPEN; i++) {
        client.ws.send(big);
        await waitFor(() => client.ws.bufferedAmount < big.length || client.ws.readyState > 1);
      }
      const closed = await client.closed;
      expect(closed).toEqual({
        code: 1013,
        reason: "The upstream is not reading; try again later",
      });
      // The upstream gets no close frame behind what it did not read: the connection just ends.
      expect(frameOpcodes(await peer.readToEnd())).not.toContain(CLOSE_OPCODE);
    } finally {
      stalled.stop();
    }
  }, 30_000);

  test("an upstream error event reaches the client as sent and is recorded", async () => {
    const proxy = startProxy();
    const error = JSON.stringify({
      type: "error",
      status: 429,
      error: { type: "usage_limit_reached", message: "The usage limit has been reached" },
      headers: { "retry-after": "30" },
    });
    upstream.answer = () => ({ events: [error] });
    const client = await connect(proxy);
    const events = await client.turn(create([user("hi")]));
    expect(client.received).toEqual([error]);
    expect(events[0].error.type).toBe("usage_limit_reached");
    await waitFor(() => proxy.exchanges.some((e) => e.api === "responses"));
    const exchange = proxy.exchanges.find((e) => e.api === "responses")!;
    expect([exchange.outcome, exchange.status]).toEqual(["upstream_error", 429]);
  });

  test("a failure inside compression sends the client's message as it came (fail open)", async () => {
    const built = buildApp({ upstream: upstream.url });
    const broken = createApp({
      ...built.deps,
      sha256: () => {
        throw new Error("hasher exploded");
      },
    });
    const server = serveWithBun(broken.app, "127.0.0.1", 0);
    try {
      const proxy = { ...built, url: `http://127.0.0.1:${server.port}` } as ServedApp;
      const client = await connect(proxy);
      const message = JSON.stringify(
        create([user("Which batch failed?"), call, output(workerLog())]),
      );
      const events = await client.turn(message);
      expect(events.at(-1).type).toBe("response.completed");
      expect(upstream.messages[0]!.text).toBe(message);
      client.ws.close(1000, "done");
      await client.closed;
    } finally {
      await server.stop(0);
    }
  });

  test("the rate limit counts each response; one over it gets a 429 error event, sent nowhere", async () => {
    const proxy = startProxy({ HEADROOM_RATE_LIMIT_RPM: "2" });
    const client = await connect(proxy);
    await client.turn(create([user("one")]));
    await client.turn(create([user("two")]));
    const [refused] = await client.turn(create([user("three")]));
    expect(refused).toMatchObject({ type: "error", status: 429 });
    expect(refused.error.code).toBe("rate_limit_exceeded");
    expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
    expect(upstream.messages).toHaveLength(2);
    await waitFor(() => proxy.exchanges.filter((e) => e.api === "responses").length === 3);
    const last = proxy.exchanges.filter((e) => e.api === "responses")[2]!;
    expect([last.outcome, last.status]).toEqual(["rejected", 429]);
  });

  test("x-headroom-bypass on the handshake sends tool outputs as they came", async () => {
    const proxy = startProxy();
    const log = workerLog();
    const client = await connect(proxy, { "x-headroom-bypass": "true" });
    await client.turn(create([user("Which batch failed?"), call, output(log)]));
    expect(sentOutput(upstream.messages[0]!)).toBe(log);
    expect(upstream.messages[0]!.text).toBe(
      JSON.stringify(create([user("Which batch failed?"), call, output(log)])),
    );
    client.ws.close(1000, "done");
  });
});
