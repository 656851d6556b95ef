import { describe, expect, test } from "bun:test";
import { json } from "../helpers/http.ts";
import { buildApp } from "../helpers/proxy.ts";

const logOutput = Array.from({ length: 120 }, (_, i) =>
  i === 77
    ? "ERROR payment-service: connection refused to db-primary:5432"
    : `2025-06-01T10:00:${String(i % 60).padStart(2, "0")}Z INFO worker-3 processed batch ${i} in 12ms`,
).join("\n");
const repeated = Array.from(
  { length: 40 },
  () => "npm WARN deprecated inflight@1.0.6: This module is not supported",
).join("\n");

const messages = [
  { role: "system", content: "You are helpful." },
  { role: "user", content: "Why did the payment job fail?" },
  {
    role: "assistant",
    content: null,
    tool_calls: [{ id: "call_1", type: "function", function: { name: "logs", arguments: "{}" } }],
  },
  { role: "tool", tool_call_id: "call_1", content: logOutput },
  {
    role: "assistant",
    content: null,
    tool_calls: [{ id: "call_2", type: "function", function: { name: "npm", arguments: "{}" } }],
  },
  { role: "tool", tool_call_id: "call_2", content: repeated },
];

const post = (body: unknown, headers: Record<string, string> = {}) => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});

describe("POST /v1/compress", () => {
  test("compresses every tool message and answers the pinned shape", async () => {
    const app = buildApp();
    const res = await app.request(
      "/v1/compress",
      post({ model: "gpt-4o", messages, config: { lossy: true, unknown_key: 1 } }),
    );
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(Object.keys(body).sort()).toEqual([
      "ccr_hashes",
      "compression_ratio",
      "messages",
      "tokens_after",
      "tokens_before",
      "tokens_saved",
      "transforms_applied",
    ]);
    expect(body.messages).toHaveLength(6);
    expect(body.messages[0]).toEqual(messages[0]);
    expect(body.messages[1]).toEqual(messages[1]);
    expect(body.messages[3].content).toContain(
      "ERROR payment-service: connection refused to db-primary:5432",
    );
    expect(body.messages[3].content.length).toBeLessThan(logOutput.length);
    expect(body.messages[5].content.length).toBeLessThan(repeated.length);
    expect(body.tokens_saved).toBe(body.tokens_before - body.tokens_after);
    expect(body.compression_ratio).toBeCloseTo(body.tokens_after / body.tokens_before, 3);
    expect(body.transforms_applied.length).toBe(2);
    expect(body.ccr_hashes).toHaveLength(1);
    expect(body.ccr_hashes[0]).toMatch(/^[0-9a-f]{24}$/);
    expect(body.messages[3].content).toContain(`hash=${body.ccr_hashes[0]}`);
    const stored = app.deps.originals.get(body.ccr_hashes[0]);
    expect("content" in stored && stored.content).toBe(logOutput);
  });

  test("lossless when asked: no markers, nothing dropped", async () => {
    const app = buildApp();
    const body = await json(
      app.request("/v1/compress", post({ model: "gpt-4o", messages, config: { lossy: false } })),
    );
    expect(body.ccr_hashes).toEqual([]);
    expect(body.messages[3].content).toBe(logOutput);
    expect(body.messages[5].content).toContain("npm WARN deprecated inflight@1.0.6");
    expect(body.tokens_saved).toBeGreaterThan(0);
  });

  test("bypass returns the input untouched with zero figures", async () => {
    const app = buildApp();
    const body = await json(
      app.request(
        "/v1/compress",
        post({ model: "gpt-4o", messages }, { "x-headroom-bypass": "true" }),
      ),
    );
    expect(body).toEqual({
      messages,
      tokens_before: 0,
      tokens_after: 0,
      tokens_saved: 0,
      compression_ratio: 1,
      transforms_applied: [],
      ccr_hashes: [],
    });
  });

  test("bad requests are 400 with {error: {type, message}}", async () => {
    const app = buildApp();
    for (const body of [
      "{nope",
      "[]",
      JSON.stringify({ model: "gpt-4o" }),
      JSON.stringify({ messages: [] }),
    ]) {
      const res = await app.request("/v1/compress", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      expect(res.status).toBe(400);
      const error = (await json(res)).error;
      expect(error.type).toBe("invalid_request");
      expect(typeof error.message).toBe("string");
    }
  });

  test("is loopback only: a remote peer or a foreign Host gets 404 and nothing is forwarded", async () => {
    let forwarded = 0;
    const app = buildApp({
      fetch: async () => {
        forwarded++;
        return Response.json({});
      },
    });
    expect(
      (
        await app.request("/v1/compress", post({ model: "m", messages }), {
          remoteAddress: "192.0.2.1",
        })
      ).status,
    ).toBe(404);
    expect(
      (await app.request("http://evil.example/v1/compress", post({ model: "m", messages }))).status,
    ).toBe(404);
    expect(forwarded).toBe(0);
  });
});
