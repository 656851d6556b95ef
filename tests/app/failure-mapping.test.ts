/**
 * Every way headroom answers a request itself with an error goes through one mapping
 * (src/pipeline/answer-failure.ts): the client gets the provider's error shape with the right
 * status, and the record (outcome, status, error) says the same thing.
 */

import { describe, expect, test } from "bun:test";
import { json } from "../helpers/http.ts";
import { buildApp } from "../helpers/proxy.ts";

const claude = (body: string, headers: Record<string, string> = {}) => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body,
});

describe("one mapping from a failure to the answer and the record", () => {
  test("a refusal before forwarding: the provider's shape, recorded as rejected", async () => {
    let forwarded = 0;
    const app = buildApp({
      fetch: async () => {
        forwarded++;
        return Response.json({});
      },
    });
    const cases: [string, RequestInit, number][] = [
      ["/v1/messages", claude('{"model":'), 400],
      ["/v1/messages", claude('{"model":"m"}', { "x-headroom-base-url": "ftp://x" }), 400],
      ["/v1/chat/completions", claude("[1]"), 400],
    ];
    for (const [path, init, status] of cases) {
      const res = await app.request(path, init);
      expect(res.status).toBe(status);
      const body = await json(res);
      const message = body.error.message;
      expect(typeof message).toBe("string");
      if (path === "/v1/messages") expect(body.type).toBe("error");
      else expect(body.error.param).toBeNull();
      const exchange = app.exchanges.at(-1)!;
      expect([exchange.outcome, exchange.status, exchange.error]).toEqual([
        "rejected",
        status,
        message,
      ]);
    }
    expect(forwarded).toBe(0);
  });

  test("an upstream that cannot be reached: 502 in the provider's shape, recorded as failed", async () => {
    const app = buildApp({
      env: { HEADROOM_RETRY_MAX_ATTEMPTS: "2" },
      fetch: async () => {
        throw new TypeError("connection refused");
      },
    });
    const res = await app.request("/v1/messages", claude('{"model":"m"}'));
    expect(res.status).toBe(502);
    const body = await json(res);
    expect(body.error.type).toBe("api_error");
    expect(body.error.message).toContain("connection refused");
    const exchange = app.exchanges.at(-1)!;
    expect([exchange.outcome, exchange.status]).toEqual(["failed", 502]);
    expect(exchange.error).toBe(body.error.message);
  });

  test("a bug in headroom: 500 in the provider's shape, logged, recorded as failed", async () => {
    // An upstream answer that is not a Response at all makes the relay itself throw.
    const app = buildApp({ fetch: async () => ({}) as Response });
    for (const [path, shape] of [
      ["/v1/messages", "anthropic"],
      ["/v1/models", "openai"],
    ] as const) {
      const res = await app.request(
        path,
        path === "/v1/models" ? { headers: { authorization: "Bearer sk-x" } } : claude("{}"),
      );
      expect(res.status).toBe(500);
      const body = await json(res);
      expect(body.error.message).toBe("headroom failed to handle this request");
      if (shape === "anthropic") expect(body.type).toBe("error");
      else expect(body.error.type).toBe("server_error");
      const exchange = app.exchanges.at(-1)!;
      expect([exchange.outcome, exchange.status]).toEqual(["failed", 500]);
      // The record keeps what went wrong; the client only learns that something did.
      expect(exchange.error).not.toBe(body.error.message);
    }
    expect(app.logs.filter((line) => line.msg === "unhandled error")).toHaveLength(2);
  });

  test("a refusal that is not a model request (WebSocket) stays out of the ledger", async () => {
    const app = buildApp({ fetch: async () => Response.json({}) });
    const res = await app.request("/v1/responses", {
      headers: { upgrade: "websocket", authorization: "Bearer sk-x" },
    });
    expect(res.status).toBe(426);
    expect((await json(res)).error.type).toBe("invalid_request_error");
    const exchange = app.exchanges.at(-1)!;
    expect([exchange.outcome, exchange.status]).toEqual(["local", 426]);
    expect((await json(app.request("/stats"))).requests.total).toBe(0);
  });
});
