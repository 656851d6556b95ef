import { describe, expect, test } from "bun:test";
import { json } from "../helpers/http.ts";
import { buildApp } from "../helpers/proxy.ts";

describe("probes", () => {
  test("/health has status, version, uptime and upstreams; loopback callers also get config and pid", async () => {
    const app = buildApp({ env: { HEADROOM_PROXY_TOKEN: "sentinel-token-value" } });
    const local = await app.request("/health");
    expect(local.status).toBe(200);
    const body = await json(local);
    expect(body.status).toBe("healthy");
    expect(body.version).toBe("0.0.0-test");
    expect(typeof body.uptime_seconds).toBe("number");
    expect(body.upstreams.openai.status).toBe("unknown");
    expect(body.upstreams.anthropic.url).toBe("http://upstream.invalid");
    expect(body.pid).toBe(4242);
    expect(body.config.openai_api_url).toBe("http://upstream.invalid");
    expect(body.config.optimize).toBe(true);
    expect(body.config.proxy_token_required).toBe(true);
    expect(JSON.stringify(body)).not.toContain("sentinel-token-value");

    const remote = await json(app.request("/health", {}, { remoteAddress: "10.1.2.3" }));
    expect(remote.config).toBeUndefined();
    expect(remote.pid).toBeUndefined();
    expect(remote.upstreams.anthropic.url).toBeUndefined();
    const rebound = await json(app.request("http://evil.example/health"));
    expect(rebound.config).toBeUndefined();
  });

  test("/livez always answers; /readyz is 503 while starting and once shutdown begins", async () => {
    const app = buildApp();
    app.lifecycle.state = "starting";
    expect((await app.request("/livez")).status).toBe(200);
    expect((await app.request("/readyz")).status).toBe(503);
    app.lifecycle.state = "ready";
    expect((await app.request("/readyz")).status).toBe(200);
    app.lifecycle.state = "stopping";
    const stopping = await app.request("/readyz");
    expect(stopping.status).toBe(503);
    expect((await json(stopping)).status).toBe("stopping");
  });

  test("probes are local routes, not counted as data-plane requests", async () => {
    const app = buildApp();
    await app.request("/livez");
    await app.request("/health");
    expect(app.exchanges.map((e) => e.outcome)).toEqual(["local", "local"]);
  });
});

describe("request log", () => {
  test("one structured line per request with method, path, status, model, bytes and timings, never a credential", async () => {
    const app = buildApp({
      fetch: async () => Response.json({ usage: { input_tokens: 3, output_tokens: 4 } }),
    });
    const res = await app.request("/v1/messages", {
      method: "POST",
      body: '{"model":"claude-sonnet-4-5"}',
      headers: { "x-api-key": "sk-ant-SENTINEL-KEY", authorization: "Bearer SENTINEL-BEARER" },
    });
    await res.text();
    const lines = app.logs.filter((l) => l.msg === "request");
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    expect(line).toMatchObject({
      method: "POST",
      path: "/v1/messages",
      status: 200,
      model: "claude-sonnet-4-5",
      outcome: "ok",
    });
    expect(line.bytes_in).toBe(29);
    expect(line.bytes_out).toBeGreaterThan(0);
    expect(typeof line.duration_ms).toBe("number");
    expect(typeof line.ttfb_ms).toBe("number");
    expect(JSON.stringify(app.logs)).not.toContain("SENTINEL");
  });
});
