import { describe, expect, test } from "bun:test";
import { gzipResponse } from "../helpers/fake-upstream.ts";
import { proxiedUpstream } from "../helpers/proxied-upstream.ts";
import { waitFor } from "../helpers/proxy.ts";
import { anthropicStream, chatStream, responsesStream } from "../helpers/wire.ts";

const { upstream, proxy } = proxiedUpstream({ env: { HEADROOM_REQUEST_TIMEOUT: "0.4" } });

const decoder = new TextDecoder();
const post = (path: string, body: unknown, init: RequestInit = {}) =>
  fetch(`${proxy.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    ...init,
  });

describe("streaming relay", () => {
  test("relays each event as it comes: the client reads the first event before the upstream sends the second", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const events = anthropicStream({ kind: "text", text: "hello" }, "claude-sonnet-4-5");
    upstream.once(() => {
      let i = 0;
      return new Response(
        new ReadableStream<Uint8Array>({
          async pull(controller) {
            if (i === 1) await gate;
            if (i < events.length) controller.enqueue(new TextEncoder().encode(events[i++]!));
            else controller.close();
          },
        }),
        { headers: { "content-type": "text/event-stream" } },
      );
    });
    const res = await post("/v1/messages", {
      model: "claude-sonnet-4-5",
      stream: true,
      messages: [],
    });
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(decoder.decode(first.value)).toContain("message_start");
    release();
    let rest = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      rest += decoder.decode(value);
    }
    expect(rest).toContain("message_stop");
  });

  test("usage is parsed on the side from every API's events", async () => {
    upstream.usage = { input: 100, output: 40, cacheRead: 60, cacheWrite: 20 };
    await (await post("/v1/messages", { model: "claude-sonnet-4-5", stream: true })).text();
    await (
      await post("/v1/chat/completions", {
        model: "gpt-4o",
        stream: true,
        stream_options: { include_usage: true },
      })
    ).text();
    await (await post("/v1/responses", { model: "gpt-5", stream: true })).text();
    await waitFor(() => proxy.exchanges.length === 3);
    const [messages, chat, responses] = proxy.exchanges;
    // Anthropic reports cached parts apart from input_tokens; headroom totals them.
    expect(messages!.usage).toEqual({
      inputTokens: 180,
      outputTokens: 40,
      cacheReadTokens: 60,
      cacheWriteTokens: 20,
    });
    expect(chat!.usage).toEqual({ inputTokens: 100, outputTokens: 40, cacheReadTokens: 60 });
    expect(responses!.usage).toEqual({ inputTokens: 100, outputTokens: 40, cacheReadTokens: 60 });
    for (const exchange of proxy.exchanges) {
      expect(exchange.stream).toBe(true);
      expect(exchange.outcome).toBe("ok");
      expect(exchange.ttfbMs).toBeGreaterThan(0);
    }
  });

  test("a chat stream without a usage chunk is relayed as the client asked (no include_usage injected)", async () => {
    await (await post("/v1/chat/completions", { model: "gpt-4o", stream: true })).text();
    expect(upstream.requests[0]!.json.stream_options).toBeUndefined();
    await waitFor(() => proxy.exchanges.length === 1);
    expect(proxy.exchanges[0]!.usage.inputTokens).toBeUndefined();
  });

  test("an upstream reset mid-stream ends the stream with each API's own error event", async () => {
    const cases = [
      {
        path: "/v1/messages",
        events: anthropicStream({ kind: "text", text: "abcdefghijklmnop" }, "c"),
        expected: /event: error\ndata: \{"type":"error","error":\{"type":"api_error"/,
      },
      {
        path: "/v1/chat/completions",
        events: chatStream({ kind: "text", text: "abcdefghijklmnop" }, "g"),
        expected: /\ndata: \{"error":\{"message":"[^"]+","type":"server_error"/,
      },
      {
        path: "/v1/responses",
        events: responsesStream({ kind: "text", text: "abcdefghijklmnop" }, "g"),
        expected: /event: error\ndata: \{"type":"error","code":"server_error"/,
      },
    ];
    for (const { path, events, expected } of cases) {
      upstream.once(() => upstream.stream(events, { stopAfter: 3, ending: "reset" }));
      const res = await post(path, { model: "m", stream: true });
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text.startsWith(events.slice(0, 3).join(""))).toBe(true);
      expect(text).toMatch(expected);
    }
    await waitFor(() => proxy.exchanges.length === 3);
    expect(proxy.exchanges.map((e) => e.outcome)).toEqual(["failed", "failed", "failed"]);
  });

  test("a stream that stalls past the read timeout ends with an error event and the upstream is cancelled", async () => {
    const events = anthropicStream({ kind: "text", text: "abcdefghijklmnop" }, "c");
    upstream.once(() => upstream.stream(events, { stopAfter: 2, ending: "stall" }));
    const res = await post("/v1/messages", { model: "m", stream: true });
    const text = await res.text();
    expect(text).toContain("event: error");
    expect(text).toContain("The upstream sent nothing for too long");
    await waitFor(() => upstream.cancelledStreams === 1);
    await waitFor(() => proxy.exchanges.length === 1);
    expect(proxy.exchanges[0]!.outcome).toBe("failed");
  });

  test("a quiet stream shorter than the read timeout is never cut", async () => {
    upstream.eventDelayMs = 150;
    const res = await post("/v1/messages", { model: "m", stream: true });
    const text = await res.text();
    expect(text).toContain("message_stop");
    expect(text).not.toContain("event: error");
  });

  test("a client abort mid-stream cancels the upstream at once and is recorded as aborted", async () => {
    const events = anthropicStream({ kind: "text", text: "abcdefghijklmnop" }, "c");
    upstream.once(() => upstream.stream(events, { stopAfter: 2, ending: "stall" }));
    const controller = new AbortController();
    const res = await post(
      "/v1/messages",
      { model: "m", stream: true },
      { signal: controller.signal },
    );
    const reader = res.body!.getReader();
    await reader.read();
    controller.abort();
    await waitFor(() => upstream.cancelledStreams === 1);
    await waitFor(() => proxy.exchanges.length === 1);
    expect(proxy.exchanges[0]!.outcome).toBe("aborted");
  });

  test("a gzip-encoded upstream answer reaches the client decoded, without stale encoding headers", async () => {
    const answer = JSON.stringify({ id: "x", usage: { input_tokens: 5, output_tokens: 2 } });
    upstream.once(() => gzipResponse(answer));
    const res = await post("/v1/messages", { model: "m" });
    expect(res.headers.get("content-encoding")).toBeNull();
    // A length may only describe the decoded bytes the client actually gets.
    expect([null, String(answer.length)]).toContain(res.headers.get("content-length"));
    expect(await res.text()).toBe(answer);
    await waitFor(() => proxy.exchanges.length === 1);
    expect(proxy.exchanges[0]!.usage).toEqual({ inputTokens: 5, outputTokens: 2 });
  });

  test("a JSON answer that arrived whole goes to the client with its length, and is recorded with its usage and size", async () => {
    const answer = JSON.stringify({ id: "msg_1", usage: { input_tokens: 7, output_tokens: 3 } });
    upstream.once(() => Response.json(JSON.parse(answer)));
    const res = await post("/v1/messages", { model: "m" });
    expect(res.headers.get("content-length")).toBe(String(answer.length));
    expect(await res.text()).toBe(answer);
    await waitFor(() => proxy.exchanges.length === 1);
    const exchange = proxy.exchanges[0]!;
    expect(exchange.outcome).toBe("ok");
    expect(exchange.bytesOut).toBe(answer.length);
    expect(exchange.usage).toEqual({ inputTokens: 7, outputTokens: 3 });
  });

  test("a JSON answer that arrives in pieces is relayed whole, and its usage read from all of them", async () => {
    const answer = JSON.stringify({
      id: "msg_2",
      content: [{ type: "text", text: "x".repeat(3000) }],
      usage: { input_tokens: 9, output_tokens: 4 },
    });
    const cut = [answer.slice(0, 1000), answer.slice(1000, 2000), answer.slice(2000)];
    upstream.once(() => {
      let i = 0;
      return new Response(
        new ReadableStream<Uint8Array>({
          async pull(controller) {
            await Bun.sleep(5);
            if (i < cut.length) controller.enqueue(new TextEncoder().encode(cut[i++]!));
            else controller.close();
          },
        }),
        { headers: { "content-type": "application/json" } },
      );
    });
    const res = await post("/v1/messages", { model: "m" });
    expect(await res.text()).toBe(answer);
    await waitFor(() => proxy.exchanges.length === 1);
    expect(proxy.exchanges[0]!.bytesOut).toBe(answer.length);
    expect(proxy.exchanges[0]!.usage).toEqual({ inputTokens: 9, outputTokens: 4 });
  });

  test("an upstream error reaches the client with its own status and body, streaming or not", async () => {
    const body = '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}';
    for (const stream of [false, true]) {
      upstream.once(
        () =>
          new Response(body, {
            status: 500,
            headers: { "content-type": "application/json", "request-id": "req_9" },
          }),
      );
      const res = await post("/v1/messages", { model: "m", stream });
      expect(res.status).toBe(500);
      expect(res.headers.get("request-id")).toBe("req_9");
      expect(await res.text()).toBe(body);
    }
    await waitFor(() => proxy.exchanges.length === 2);
    expect(proxy.exchanges.every((e) => e.outcome === "upstream_error")).toBe(true);
  });
});
