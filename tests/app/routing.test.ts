import { describe, expect, test } from "bun:test";
import { json } from "../helpers/http.ts";
import { buildApp } from "../helpers/proxy.ts";

/** A fetch that records what the app sent upstream and answers a fixed JSON. */
function recordingFetch(answer: () => Response = () => Response.json({ ok: true })) {
  const calls: { url: string; init: RequestInit; headers: Headers; body: string }[] = [];
  const fetch = async (url: string, init: RequestInit) => {
    const body = init.body ? new TextDecoder().decode(init.body as Uint8Array) : "";
    calls.push({ url, init, headers: new Headers(init.headers), body });
    return answer();
  };
  return { calls, fetch };
}

const bases = {
  OPENAI_TARGET_API_URL: "http://openai.invalid/v1",
  ANTHROPIC_TARGET_API_URL: "http://anthropic.invalid/",
};

describe("routing", () => {
  test("each generation API goes to its provider, a trailing /v1 in the base tolerated", async () => {
    const { calls, fetch } = recordingFetch();
    const app = buildApp({ fetch, env: bases });
    for (const path of [
      "/v1/messages",
      "/v1/chat/completions",
      "/v1/responses",
      "/v1/messages/count_tokens",
    ]) {
      await app.request(path, { method: "POST", body: "{}" });
    }
    expect(calls.map((c) => c.url)).toEqual([
      "http://anthropic.invalid/v1/messages",
      "http://openai.invalid/v1/chat/completions",
      "http://openai.invalid/v1/responses",
      "http://anthropic.invalid/v1/messages/count_tokens",
    ]);
  });

  test("Responses sub-resources go to OpenAI", async () => {
    const { calls, fetch } = recordingFetch();
    const app = buildApp({ fetch, env: bases });
    await app.request("/v1/responses/resp_123?include=x", {
      headers: { authorization: "Bearer sk-proj-x" },
    });
    await app.request("/v1/responses/resp_123", { method: "DELETE" });
    await app.request("/v1/responses/resp_123/input_items");
    expect(calls.map((c) => `${c.init.method} ${c.url}`)).toEqual([
      "GET http://openai.invalid/v1/responses/resp_123?include=x",
      "DELETE http://openai.invalid/v1/responses/resp_123",
      "GET http://openai.invalid/v1/responses/resp_123/input_items",
    ]);
  });

  test("models and every other /v1 path go to the provider the credentials belong to", async () => {
    const { calls, fetch } = recordingFetch();
    const app = buildApp({ fetch, env: bases });
    await app.request("/v1/models", {
      headers: { "x-api-key": "sk-ant-x", "anthropic-version": "2023-06-01" },
    });
    await app.request("/v1/models/gpt-4o", { headers: { authorization: "Bearer sk-proj-x" } });
    await app.request("/v1/models", { headers: { authorization: "Bearer sk-ant-oat01-x" } });
    await app.request("/v1/embeddings", {
      method: "POST",
      body: '{"input":"x"}',
      headers: { authorization: "Bearer sk-x" },
    });
    await app.request("/v1/files/file-1/content");
    await app.request("/v1/some/future/endpoint", {
      method: "PUT",
      body: "raw",
      headers: { "user-agent": "claude-cli/2.0 (external)" },
    });
    expect(calls.map((c) => c.url)).toEqual([
      "http://anthropic.invalid/v1/models",
      "http://openai.invalid/v1/models/gpt-4o",
      "http://anthropic.invalid/v1/models",
      "http://openai.invalid/v1/embeddings",
      "http://openai.invalid/v1/files/file-1/content",
      "http://anthropic.invalid/v1/some/future/endpoint",
    ]);
    expect(calls[5]!.body).toBe("raw");
  });

  test("a path outside /v1 that is not a headroom route is a 404 and is never forwarded", async () => {
    const { calls, fetch } = recordingFetch();
    const app = buildApp({ fetch, env: bases });
    for (const path of ["/v2/messages", "/admin/secret", "/messages", "/"]) {
      const res = await app.request(path, {
        method: "POST",
        body: "{}",
        headers: { authorization: "Bearer sk-x" },
      });
      expect(res.status).toBe(404);
      // The provider's own 404 shape (OpenAI's, from the Bearer credential), naming the route.
      expect(await json(res)).toEqual({
        error: {
          message: "Not found",
          type: "invalid_request_error",
          param: null,
          code: null,
        },
      });
    }
    expect(calls).toHaveLength(0);
  });

  test("an unknown route and a control-plane POST without JSON answer in the caller's provider's shape", async () => {
    const { calls, fetch } = recordingFetch();
    const app = buildApp({ fetch, env: bases });
    const anthropic = { "x-api-key": "sk-ant-api03-x", "anthropic-version": "2023-06-01" };
    const missing = await app.request("/messages", {
      method: "POST",
      body: "{}",
      headers: anthropic,
    });
    expect(missing.status).toBe(404);
    expect(await json(missing)).toEqual({
      type: "error",
      error: { type: "not_found_error", message: "Not found" },
    });

    for (const [headers, body] of [
      [
        { ...anthropic, "content-type": "text/plain" },
        {
          type: "error",
          error: {
            type: "invalid_request_error",
            message: "Control-plane POSTs must be sent with content-type: application/json",
          },
        },
      ],
      [
        { authorization: "Bearer sk-x", "content-type": "text/plain" },
        {
          error: {
            message: "Control-plane POSTs must be sent with content-type: application/json",
            type: "invalid_request_error",
            param: null,
            code: null,
          },
        },
      ],
    ] as const) {
      const res = await app.request("/v1/compress", { method: "POST", body: "{}", headers });
      expect(res.status).toBe(415);
      expect(await json(res)).toEqual(body);
    }
    expect(calls).toHaveLength(0);
  });

  test("without a socket runtime (app.request, Deno) a WebSocket upgrade is refused locally (426), never forwarded as a plain GET", async () => {
    const { calls, fetch } = recordingFetch();
    const app = buildApp({ fetch, env: bases });
    const res = await app.request("/v1/responses", {
      headers: {
        authorization: "Bearer sk-ws",
        connection: "Upgrade",
        upgrade: "websocket",
        "sec-websocket-version": "13",
        "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
      },
    });
    expect(res.status).toBe(426);
    expect((await json(res)).error.message).toContain("does not relay WebSockets");
    expect(calls).toHaveLength(0);
  });

  test("x-headroom-base-url overrides the upstream per request and is not forwarded", async () => {
    const { calls, fetch } = recordingFetch();
    const app = buildApp({ fetch, env: bases });
    await app.request("/v1/chat/completions?a=1", {
      method: "POST",
      body: "{}",
      headers: { "x-headroom-base-url": "http://other.invalid:8080/v1/" },
    });
    expect(calls[0]!.url).toBe("http://other.invalid:8080/v1/chat/completions?a=1");
    expect(calls[0]!.headers.has("x-headroom-base-url")).toBe(false);
    const bad = await app.request("/v1/messages", {
      method: "POST",
      body: "{}",
      headers: { "x-headroom-base-url": "file:///etc/passwd" },
    });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.type).toBe("invalid_request_error");
    expect(calls).toHaveLength(1);
  });
});

describe("header hygiene", () => {
  test("forwards credentials and provider headers, drops hop-by-hop, host, length, accept-encoding and control headers", async () => {
    const { calls, fetch } = recordingFetch();
    const app = buildApp({ fetch, env: bases });
    await app.request("/v1/messages", {
      method: "POST",
      body: '{"model":"m"}',
      headers: {
        "x-api-key": "sk-ant-secret",
        authorization: "Bearer tok",
        "anthropic-version": "2023-06-01",
        "anthropic-beta": "prompt-caching-2024-07-31,interleaved-thinking-2025-05-14",
        "openai-organization": "org-1",
        "user-agent": "claude-cli/2.0.1",
        "x-stainless-lang": "js",
        connection: "keep-alive, x-drop-me",
        "x-drop-me": "1",
        "keep-alive": "timeout=5",
        te: "trailers",
        "proxy-authorization": "Basic abc",
        "accept-encoding": "gzip",
        "content-length": "13",
        "x-headroom-bypass": "true",
        "X-Headroom-Session-Id": "s1",
      },
    });
    const sent = calls[0]!.headers;
    for (const [name, value] of [
      ["x-api-key", "sk-ant-secret"],
      ["authorization", "Bearer tok"],
      ["anthropic-version", "2023-06-01"],
      ["anthropic-beta", "prompt-caching-2024-07-31,interleaved-thinking-2025-05-14"],
      ["openai-organization", "org-1"],
      ["user-agent", "claude-cli/2.0.1"],
      ["x-stainless-lang", "js"],
    ]) {
      expect(sent.get(name!)).toBe(value!);
    }
    for (const name of [
      "connection",
      "x-drop-me",
      "keep-alive",
      "te",
      "proxy-authorization",
      "accept-encoding",
      "content-length",
      "host",
      "x-headroom-bypass",
      "x-headroom-session-id",
    ]) {
      expect(sent.has(name)).toBe(false);
    }
  });

  test("relayed responses lose stale content-encoding, content-length and hop-by-hop headers", async () => {
    const { fetch } = recordingFetch(
      () =>
        new Response('{"ok":true}', {
          headers: {
            "content-type": "application/json",
            "content-encoding": "gzip",
            "content-length": "7",
            "transfer-encoding": "chunked",
            connection: "close",
            "anthropic-ratelimit-requests-remaining": "10",
          },
        }),
    );
    const app = buildApp({ fetch, env: bases });
    const res = await app.request("/v1/messages", { method: "POST", body: "{}" });
    expect(res.headers.get("content-encoding")).toBeNull();
    expect(res.headers.get("content-length")).toBeNull();
    expect(res.headers.get("connection")).toBeNull();
    expect(res.headers.get("anthropic-ratelimit-requests-remaining")).toBe("10");
    expect(await res.text()).toBe('{"ok":true}');
  });

  test("security headers are on every response, relayed or local", async () => {
    const { fetch } = recordingFetch();
    const app = buildApp({ fetch, env: bases });
    for (const res of [
      await app.request("/v1/models"),
      await app.request("/livez"),
      await app.request("/nope"),
      await app.request("/v1/messages", { method: "POST", body: "[" }),
    ]) {
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    }
  });

  test("streamed routes lift the server's idle timeout so quiet streams are not cut", async () => {
    const { fetch } = recordingFetch();
    const app = buildApp({ fetch, env: bases });
    let lifted = 0;
    const env = { remoteAddress: "127.0.0.1", disableIdleTimeout: () => lifted++ };
    await app.request("/v1/messages", { method: "POST", body: '{"stream":true}' }, env);
    await app.request("/v1/chat/completions", { method: "POST", body: "{}" }, env);
    await app.request("/v1/files/x", {}, env);
    expect(lifted).toBe(3);
    await app.request("/livez", {}, env);
    expect(lifted).toBe(3);
  });
});
