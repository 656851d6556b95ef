import { describe, expect, test } from "bun:test";
import { gzipSync } from "node:zlib";
import { json } from "../helpers/http.ts";
import { buildApp } from "../helpers/proxy.ts";

function appWithCounter(env: Record<string, string> = {}) {
  let forwarded = 0;
  const built = buildApp({
    env,
    fetch: async () => {
      forwarded++;
      return Response.json({});
    },
  });
  return { ...built, forwarded: () => forwarded };
}

describe("bad input gets a clear error in the provider's shape and nothing is forwarded", () => {
  test("invalid JSON is 400 in each provider's shape", async () => {
    const app = appWithCounter();
    const anthropic = await app.request("/v1/messages", { method: "POST", body: '{"model": "m",' });
    expect(anthropic.status).toBe(400);
    const a = await json(anthropic);
    expect(a.type).toBe("error");
    expect(a.error.type).toBe("invalid_request_error");
    expect(a.error.message).toStartWith("Invalid request body:");
    for (const path of ["/v1/chat/completions", "/v1/responses"]) {
      const openai = await app.request(path, { method: "POST", body: "not json" });
      expect(openai.status).toBe(400);
      const o = await json(openai);
      expect(o.error.type).toBe("invalid_request_error");
      expect(o.error.message).toStartWith("Invalid request body:");
    }
    expect(app.forwarded()).toBe(0);
    expect(app.exchanges.map((e) => e.outcome)).toEqual(["rejected", "rejected", "rejected"]);
  });

  test("a body that is not a JSON object is 400", async () => {
    const app = appWithCounter();
    for (const body of ["[1,2]", '"text"', "42", "null"]) {
      const res = await app.request("/v1/chat/completions", { method: "POST", body });
      expect(res.status).toBe(400);
      expect((await json(res)).error.message).toContain("expected a JSON object");
    }
    expect(app.forwarded()).toBe(0);
  });

  test("invalid UTF-8 and corrupt or unknown encodings are 400", async () => {
    const app = appWithCounter();
    const badUtf8 = new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
    expect((await app.request("/v1/messages", { method: "POST", body: badUtf8 })).status).toBe(400);
    const corrupt = await app.request("/v1/messages", {
      method: "POST",
      body: new Uint8Array([1, 2, 3, 4]),
      headers: { "content-encoding": "gzip" },
    });
    expect(corrupt.status).toBe(400);
    expect((await json(corrupt)).error.message).toContain("Cannot decode the gzip request body");
    const unknown = await app.request("/v1/messages", {
      method: "POST",
      body: "{}",
      headers: { "content-encoding": "compress" },
    });
    expect(unknown.status).toBe(400);
    expect(app.forwarded()).toBe(0);
  });

  test("a body over the limit is 413, declared or chunked, and a small body that inflates past it too", async () => {
    const app = appWithCounter({ HEADROOM_MAX_BODY_BYTES: "2048" });
    const big = `{"model":"m","pad":"${"x".repeat(4000)}"}`;
    const declared = await app.request("/v1/messages", { method: "POST", body: big });
    expect(declared.status).toBe(413);
    expect((await json(declared)).error.type).toBe("request_too_large");
    const chunked = await app.request("/v1/chat/completions", {
      method: "POST",
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < 8; i++) controller.enqueue(new TextEncoder().encode("x".repeat(512)));
          controller.close();
        },
      }),
      duplex: "half",
    });
    expect(chunked.status).toBe(413);
    const bomb = gzipSync(big);
    expect(bomb.length).toBeLessThan(2048);
    const inflated = await app.request("/v1/responses", {
      method: "POST",
      body: bomb,
      headers: { "content-encoding": "gzip" },
    });
    expect(inflated.status).toBe(413);
    expect(app.forwarded()).toBe(0);
  });
});
