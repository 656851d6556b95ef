import { describe, expect, test } from "bun:test";
import type { Exchange } from "../../src/core/exchange.ts";
import { buildApp } from "../helpers/proxy.ts";

// The generation routes are served past the router (edge.ts, directRoutes). A percent-encoded
// path is left to the router, which decodes it to the same route: both ways must give the same
// answer, the same upstream call and the same record.
const DIRECT = "/v1/messages";
const ROUTED = "/v1/%6Dessages";

const message = {
  id: "msg_01",
  type: "message",
  role: "assistant",
  model: "claude-sonnet-4-5",
  content: [{ type: "text", text: "ok" }],
  stop_reason: "end_turn",
  stop_sequence: null,
  usage: { input_tokens: 12, output_tokens: 3 },
};

function app(env: Record<string, string> = {}) {
  const calls: { url: string; headers: Headers; body: string }[] = [];
  const built = buildApp({
    env,
    fetch: async (url, init) => {
      calls.push({
        url: String(url),
        headers: new Headers(init.headers),
        body: new TextDecoder().decode(init.body as Uint8Array),
      });
      return new Response(JSON.stringify(message), {
        headers: { "content-type": "application/json", "request-id": "req_01" },
      });
    },
  });
  return { ...built, calls };
}

/** What two ways of serving one request must agree on. */
async function outcome(built: ReturnType<typeof app>, path: string, init: RequestInit, env = {}) {
  const response = await built.request(path, init, env);
  const body = await response.text();
  const exchange = built.exchanges.at(-1) as Exchange;
  const { id, startedAt, startMark, overheadMs, ttfbMs, durationMs, inputText, ...record } =
    exchange;
  const log = built.logs.at(-1) as Record<string, unknown>;
  const { ts, id: _, duration_ms, ttfb_ms, overhead_ms, ...line } = log;
  return {
    status: response.status,
    headers: [...response.headers],
    body,
    call: built.calls.at(-1),
    record,
    line,
  };
}

const request = (headers: Record<string, string> = {}): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json", "x-api-key": "sk-ant-test", ...headers },
  body: JSON.stringify({
    model: "claude-sonnet-4-5",
    max_tokens: 64,
    messages: [{ role: "user", content: "hi" }],
  }),
});

describe("generation routes served past the router", () => {
  test("answer, forward and record a request as the router does", async () => {
    const direct = app();
    const routed = app();
    const a = await outcome(direct, DIRECT, request({ "user-agent": "claude-cli/2.0.1" }));
    const b = await outcome(routed, ROUTED, request({ "user-agent": "claude-cli/2.0.1" }));
    expect(a.status).toBe(200);
    expect(a.body).toBe(JSON.stringify(message));
    expect(a.headers).toContainEqual(["x-content-type-options", "nosniff"]);
    expect(a.call?.url).toBe("http://upstream.invalid/v1/messages");
    expect(a.record.outcome).toBe("ok");
    expect(a.record.usage).toEqual({ inputTokens: 12, outputTokens: 3 });
    expect(a.line.path).toBe("/v1/messages");
    expect(a).toEqual(b);
    expect(direct.exchanges).toHaveLength(1);
  });

  test("refuse at the edge as the router does: token, foreign page, bad body", async () => {
    const cases: [Record<string, string>, RequestInit, { remoteAddress: string }][] = [
      [{ HEADROOM_PROXY_TOKEN: "s3cret" }, request(), { remoteAddress: "203.0.113.9" }],
      [{}, request({ origin: "https://evil.example" }), { remoteAddress: "127.0.0.1" }],
      [{}, { ...request(), body: "[1, 2" }, { remoteAddress: "127.0.0.1" }],
    ];
    const statuses = [];
    for (const [env, init, conn] of cases) {
      const a = await outcome(app(env), DIRECT, init, conn);
      const b = await outcome(app(env), ROUTED, init, conn);
      expect(a).toEqual(b);
      expect(a.call).toBeUndefined();
      statuses.push(a.status);
    }
    expect(statuses).toEqual([401, 403, 400]);
  });

  test("leave other methods and paths to the router", async () => {
    const built = app();
    const get = await built.request(DIRECT, { method: "GET" });
    // GET /v1/messages is a passthrough: forwarded as is.
    expect(get.status).toBe(200);
    await get.text();
    expect(built.calls.at(-1)?.url).toBe("http://upstream.invalid/v1/messages");
    expect(built.exchanges.at(-1)?.api).toBe("passthrough");
    const slash = await built.request(`${DIRECT}/`, request());
    expect(slash.status).toBe(200);
    await slash.text();
    expect(built.exchanges.at(-1)?.api).toBe("passthrough");
  });
});
