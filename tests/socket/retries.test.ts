import { describe, expect, test } from "bun:test";
import { closedPort } from "../helpers/fake-upstream.ts";
import { json } from "../helpers/http.ts";
import { proxiedUpstream } from "../helpers/proxied-upstream.ts";
import { serveApp, waitFor } from "../helpers/proxy.ts";

const { upstream, proxy } = proxiedUpstream({
  env: { HEADROOM_REQUEST_TIMEOUT: "0.5", HEADROOM_RETRY_MAX_DELAY_MS: "2000" },
});
const deadPort = closedPort();

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${proxy.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

describe("upstream retries and failures", () => {
  test("429 with a short Retry-After is retried before any byte reaches the client", async () => {
    upstream.once(
      () => new Response('{"error":"slow down"}', { status: 429, headers: { "retry-after": "0" } }),
    );
    upstream.once(
      () => new Response('{"type":"error"}', { status: 529, headers: { "retry-after-ms": "5" } }),
    );
    const res = await post("/v1/messages", { model: "m" });
    expect(res.status).toBe(200);
    expect(upstream.requests).toHaveLength(3);
  });

  test("429 asking for a longer wait than headroom accepts goes to the client as is", async () => {
    upstream.once(
      () =>
        new Response('{"error":{"type":"rate_limit"}}', {
          status: 429,
          headers: { "retry-after": "3600" },
        }),
    );
    const res = await post("/v1/chat/completions", { model: "gpt-4o" });
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("3600");
    expect(await res.text()).toBe('{"error":{"type":"rate_limit"}}');
    expect(upstream.requests).toHaveLength(1);
  });

  test("429 after every attempt is relayed with the upstream's status and body", async () => {
    upstream.always(
      () => new Response('{"error":"busy"}', { status: 429, headers: { "retry-after": "0" } }),
    );
    const res = await post("/v1/responses", { model: "gpt-5" });
    expect(res.status).toBe(429);
    expect(await res.text()).toBe('{"error":"busy"}');
    expect(upstream.requests).toHaveLength(3);
  });

  test("a refused connection is retried, then answered 502 in the provider's error shape", async () => {
    const base = { "x-headroom-base-url": `http://127.0.0.1:${deadPort}` };
    const anthropic = await post("/v1/messages", { model: "m", stream: true }, base);
    expect(anthropic.status).toBe(502);
    const body = await json(anthropic);
    expect(body.type).toBe("error");
    expect(body.error.type).toBe("api_error");
    expect(body.error.message).toContain("after 3 attempts");
    const openai = await post("/v1/chat/completions", { model: "gpt-4o" }, base);
    expect(openai.status).toBe(502);
    expect((await json(openai)).error.type).toBe("server_error");
  });

  test("no response headers within the read timeout is a 504 in the provider's shape", async () => {
    upstream.once(async () => {
      await Bun.sleep(2000);
      return new Response("{}");
    });
    const res = await post("/v1/messages", { model: "m" });
    expect(res.status).toBe(504);
    expect((await json(res)).error.type).toBe("timeout_error");
    await waitFor(() => proxy.exchanges.length === 1);
    expect(proxy.exchanges[0]!.outcome).toBe("failed");
  });
});

describe("passive upstream health", () => {
  test("/health turns unhealthy (503) once every configured upstream refuses connections", async () => {
    const dead = serveApp({ upstream: `http://127.0.0.1:${deadPort}` });
    try {
      expect((await fetch(`${dead.url}/health`)).status).toBe(200);
      await fetch(`${dead.url}/v1/messages`, { method: "POST", body: "{}" });
      await fetch(`${dead.url}/v1/chat/completions`, { method: "POST", body: "{}" });
      const health = await fetch(`${dead.url}/health`);
      expect(health.status).toBe(503);
      const body = await json(health);
      expect(body.status).toBe("unhealthy");
      expect(body.upstreams.anthropic.status).toBe("unreachable");
      expect(body.upstreams.openai.status).toBe("unreachable");
    } finally {
      await dead.stop();
    }
  });
});
