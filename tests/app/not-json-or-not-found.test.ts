import { describe, expect, test } from "bun:test";
import { json } from "../helpers/http.ts";
import { buildApp } from "../helpers/proxy.ts";

function appWithCounter() {
  let forwarded = 0;
  const built = buildApp({
    fetch: async () => {
      forwarded++;
      return Response.json({ id: "x", type: "message", content: [] });
    },
  });
  return { ...built, forwarded: () => forwarded };
}

const REMOTE = { remoteAddress: "198.51.100.7" };

describe("a generation body that does not say it is JSON", () => {
  test("is a 415 in each provider's shape, recorded as rejected, never forwarded", async () => {
    const app = appWithCounter();
    const anthropic = await app.request("/v1/messages", {
      method: "POST",
      body: '{"model":"m","max_tokens":1,"messages":[]}',
      headers: { "content-type": "text/plain" },
    });
    expect(anthropic.status).toBe(415);
    const a = await json(anthropic);
    expect(a.type).toBe("error");
    expect(a.error.type).toBe("invalid_request_error");
    expect(a.error.message).toContain("content-type: application/json");
    for (const path of ["/v1/chat/completions", "/v1/responses"]) {
      const openai = await app.request(path, {
        method: "POST",
        body: "model=m",
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
      expect(openai.status).toBe(415);
      const o = await json(openai);
      expect(o.error.type).toBe("invalid_request_error");
      expect(o.error.message).toContain("application/x-www-form-urlencoded");
    }
    expect(app.forwarded()).toBe(0);
    expect(app.exchanges.map((e) => [e.outcome, e.status])).toEqual([
      ["rejected", 415],
      ["rejected", 415],
      ["rejected", 415],
    ]);
  });

  test("JSON with parameters, a +json type or no content-type at all is read as before", async () => {
    const app = appWithCounter();
    const body = '{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"hi"}]}';
    for (const headers of [
      { "content-type": "application/json; charset=utf-8" },
      { "content-type": "application/vnd.example+json" },
      {},
    ] as Record<string, string>[]) {
      const res = await app.request("/v1/messages", { method: "POST", body, headers });
      expect(res.status).toBe(200);
    }
    expect(app.forwarded()).toBe(3);
  });
});

describe("a path headroom does not serve", () => {
  test("is a 404 in the shape of the provider the path or credentials name, never forwarded", async () => {
    const app = appWithCounter();
    const anthropic = await app.request("/v2/messages", {
      method: "POST",
      body: "{}",
      headers: { "x-api-key": "sk-ant-x" },
    });
    expect(anthropic.status).toBe(404);
    expect(await json(anthropic)).toEqual({
      type: "error",
      error: { type: "not_found_error", message: "Not found" },
    });
    const openai = await app.request("/", { headers: { authorization: "Bearer sk-x" } });
    expect(openai.status).toBe(404);
    expect(await json(openai)).toEqual({
      error: { message: "Not found", type: "invalid_request_error", param: null, code: null },
    });
    const telemetry = await app.request("/v1/telemetry", { headers: { "x-api-key": "sk-ant-x" } });
    expect(telemetry.status).toBe(404);
    expect((await json(telemetry)).error.type).toBe("not_found_error");
    expect(app.forwarded()).toBe(0);
  });

  test("is what a refused control-plane call gets: the same status, body and headers", async () => {
    const app = appWithCounter();
    for (const headers of [{}, { "x-api-key": "sk-ant-x" }] as Record<string, string>[]) {
      const refused = await app.request("/admin/runtime-env", { headers }, REMOTE);
      const missing = await app.request("/no-such-route", { headers }, REMOTE);
      expect(refused.status).toBe(404);
      expect([refused.status, await refused.text()]).toEqual([
        missing.status,
        await missing.text(),
      ]);
      expect([...refused.headers]).toEqual([...missing.headers]);
    }
  });
});
