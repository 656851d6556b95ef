/**
 * A request whose header block is over the limit gets 431 in its provider's error shape, is
 * logged, and counts as a rejected request in /stats and /metrics; nothing reaches the upstream.
 * The limit is shortened here: in-process Bun keeps its own 16 KiB parser limit (the executable
 * raises it, see tests/e2e/header-limit.test.ts).
 */

import { afterAll, describe, expect, test } from "bun:test";
import { serveWithBun } from "../../src/runtime/bun-server.ts";
import { FakeUpstream } from "../helpers/fake-upstream.ts";
import { json } from "../helpers/http.ts";
import { buildApp } from "../helpers/proxy.ts";

const LIMIT = 4096;
const upstream = new FakeUpstream();
const built = buildApp({ upstream: upstream.url });
const server = serveWithBun(built.app, "127.0.0.1", 0, {
  maxHeaderBytes: LIMIT,
  refuse: built.refuse,
});
const url = `http://127.0.0.1:${server.port}`;
afterAll(async () => {
  await server.stop(0);
  upstream.stop();
});

const body = JSON.stringify({
  model: "claude-sonnet-4-5",
  max_tokens: 10,
  messages: [{ role: "user", content: "hi" }],
});

function post(path: string, padding: number, headers: Record<string, string> = {}) {
  return fetch(`${url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-padding": "p".repeat(padding), ...headers },
    body,
  });
}

describe("request headers over the limit", () => {
  test("an Anthropic request gets 431 in Anthropic's shape and is counted as rejected", async () => {
    const res = await post("/v1/messages", LIMIT, { "x-api-key": "sk-ant-test-key-123" });
    expect(res.status).toBe(431);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await res.json()).toEqual({
      type: "error",
      error: {
        type: "invalid_request_error",
        message: `Request headers too large: the limit is ${LIMIT} bytes`,
      },
    });
    expect(upstream.requests).toHaveLength(0);

    const line = built.logs.find((entry) => entry.msg === "request" && entry.status === 431);
    expect(line).toMatchObject({
      path: "/v1/messages",
      outcome: "rejected",
      provider: "anthropic",
    });
    const stats = await json(fetch(`${url}/stats`));
    expect(stats.requests.rejected).toBe(1);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain("headroom_requests_rejected_total 1");
  });

  test("an OpenAI request gets 431 in OpenAI's shape", async () => {
    const res = await post("/v1/chat/completions", LIMIT * 2);
    expect(res.status).toBe(431);
    expect(((await res.json()) as { error: unknown }).error).toEqual({
      message: `Request headers too large: the limit is ${LIMIT} bytes`,
      type: "invalid_request_error",
      param: null,
      code: null,
    });
    expect(upstream.requests).toHaveLength(0);
  });

  test("headers within the limit are forwarded as before", async () => {
    const res = await post("/v1/messages", LIMIT - 512, { "x-api-key": "sk-ant-test-key-123" });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    expect(upstream.requests).toHaveLength(1);
    expect(upstream.requests[0]!.headers.get("x-padding")).toHaveLength(LIMIT - 512);
  });

  test("a control-plane call over the limit is answered but not counted as a model request", async () => {
    const before = (await json(fetch(`${url}/stats`))).requests.rejected;
    const res = await fetch(`${url}/health`, { headers: { "x-padding": "p".repeat(LIMIT) } });
    expect(res.status).toBe(431);
    expect((await json(fetch(`${url}/stats`))).requests.rejected).toBe(before);
  });
});
