/**
 * The Responses WebSocket relayed by the real server (Bun.serve on port 0) to a fake upstream
 * speaking the protocol as Codex's upstream does, with a plain WebSocket client in Codex's place.
 */

import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import { FAILED_LINE, workerLog } from "../helpers/agent-env.ts";
import { FakeSocketUpstream, type SocketMessage } from "../helpers/fake-socket-upstream.ts";
import { type ServedApp, serveApp, waitFor } from "../helpers/proxy.ts";

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary provider JSON
type Json = any;

const KEY = "sk-headroom-test-socket";
const BETA = "responses_websockets=2026-02-06";
const CALL_ID = "call_01HeadroomSocketCat";

const upstream = new FakeSocketUpstream();
const proxies: ServedApp[] = [];
afterAll(async () => {
  for (const proxy of proxies) await proxy.stop();
  upstream.stop();
});
beforeEach(() => upstream.reset());

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
): Promise<Client> {
  const url = `${proxy.url.replace("http:", "ws:")}/v1/responses`;
  const ws = new WebSocket(url, {
    headers: { authorization: `Bearer ${KEY}`, "openai-beta": BETA, ...headers },
    ...(protocols ? { protocols } : {}),
  } as unknown as string[]);
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
