import { describe, expect, test } from "bun:test";
import { Hono } from "hono";
import type { HeadroomEnv } from "../../src/app/hono-env.ts";
import { localOnly } from "../../src/app/local-only.ts";
import { json } from "../helpers/http.ts";
import { buildApp } from "../helpers/proxy.ts";

const remote = { remoteAddress: "203.0.113.9" };
const local = { remoteAddress: "127.0.0.1" };

function forwardingApp(env: Record<string, string> = {}) {
  const seen: Headers[] = [];
  const built = buildApp({
    env,
    fetch: async (_url, init) => {
      seen.push(new Headers(init.headers));
      return Response.json({ ok: true });
    },
  });
  return { ...built, seen };
}

describe("proxy token", () => {
  test("non-loopback callers must present HEADROOM_PROXY_TOKEN, which is never forwarded", async () => {
    const app = forwardingApp({ HEADROOM_PROXY_TOKEN: "s3cret-token" });
    const denied = await app.request("/v1/messages", { method: "POST", body: "{}" }, remote);
    expect(denied.status).toBe(401);
    expect((await json(denied)).error.type).toBe("authentication_error");
    const wrong = await app.request(
      "/v1/chat/completions",
      { method: "POST", body: "{}", headers: { "x-headroom-proxy-token": "s3cret-tokeX" } },
      remote,
    );
    expect(wrong.status).toBe(401);
    expect((await json(wrong)).error.type).toBe("invalid_request_error");
    const allowed = await app.request(
      "/v1/messages",
      {
        method: "POST",
        body: "{}",
        headers: { "x-headroom-proxy-token": "s3cret-token", "x-api-key": "k" },
      },
      remote,
    );
    expect(allowed.status).toBe(200);
    expect(app.seen).toHaveLength(1);
    expect(app.seen[0]!.has("x-headroom-proxy-token")).toBe(false);
    expect(app.seen[0]!.get("x-api-key")).toBe("k");
  });

  test("loopback callers and the probes need no token", async () => {
    const app = forwardingApp({ HEADROOM_PROXY_TOKEN: "s3cret-token" });
    expect((await app.request("/v1/messages", { method: "POST", body: "{}" }, local)).status).toBe(
      200,
    );
    for (const path of ["/livez", "/readyz", "/health"]) {
      expect((await app.request(path, {}, remote)).status).toBe(200);
    }
  });

  test("a Prometheus scrape of /metrics may present the token as a bearer, nothing else may", async () => {
    const app = forwardingApp({ HEADROOM_PROXY_TOKEN: "s3cret-token" });
    const scrape = (path: string, authorization: string) =>
      app.request(path, { headers: { authorization } }, remote);
    const metrics = await scrape("/metrics", "Bearer s3cret-token");
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain("# TYPE headroom_requests_total counter");
    expect((await scrape("/metrics", "Bearer s3cret-tokeX")).status).toBe(401);
    expect((await scrape("/metrics", "Basic s3cret-token")).status).toBe(401);
    // Elsewhere Authorization is the provider's credential, never the proxy token.
    expect((await scrape("/stats", "Bearer s3cret-token")).status).toBe(401);
    const generation = await app.request(
      "/v1/chat/completions",
      { method: "POST", body: "{}", headers: { authorization: "Bearer s3cret-token" } },
      remote,
    );
    expect(generation.status).toBe(401);
    expect(app.seen).toHaveLength(0);
  });

  test("a peer of unknown address is not treated as loopback", async () => {
    const app = forwardingApp({ HEADROOM_PROXY_TOKEN: "t" });
    expect((await app.request("/v1/messages", { method: "POST", body: "{}" }, {})).status).toBe(
      401,
    );
  });
});

describe("CORS", () => {
  test("loopback pages get CORS headers and preflights; other origins get neither", async () => {
    const app = forwardingApp();
    const ok = await app.request("/v1/models", { headers: { origin: "http://localhost:5173" } });
    expect(ok.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    const foreign = await app.request("/v1/models", {
      headers: { origin: "https://evil.example" },
    });
    expect(foreign.headers.get("access-control-allow-origin")).toBeNull();
    const preflight = await app.request("/v1/messages", {
      method: "OPTIONS",
      headers: {
        origin: "http://127.0.0.1:3000",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type,x-api-key",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-headers")).toBe("content-type,x-api-key");
    const foreignPreflight = await app.request("/v1/messages", {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
    });
    expect(foreignPreflight.status).toBe(403);
    expect(foreignPreflight.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("localOnly() control-plane guard", () => {
  const guarded = new Hono<HeadroomEnv>();
  guarded.use("*", localOnly());
  guarded.get("/admin/x", (c) => c.json({ ok: true }));
  guarded.post("/admin/x", (c) => c.json({ ok: true }));
  const call = (
    init: RequestInit,
    env: { remoteAddress?: string },
    url = "http://127.0.0.1:8787/admin/x",
  ) => Promise.resolve(guarded.request(url, init, env));

  test("answers a loopback peer with a loopback Host", async () => {
    expect((await call({}, local)).status).toBe(200);
    expect((await call({}, { remoteAddress: "::1" }, "http://localhost:8787/admin/x")).status).toBe(
      200,
    );
    expect(
      (await call({}, { remoteAddress: "::ffff:127.0.0.1" }, "http://[::1]:8787/admin/x")).status,
    ).toBe(200);
  });

  test("is a plain 404 for a remote peer, whatever the Host or X-Forwarded-For say", async () => {
    const res = await call({ headers: { "x-forwarded-for": "127.0.0.1" } }, remote);
    expect(res.status).toBe(404);
    expect(await json(res)).toEqual({
      error: {
        message: "Not found",
        type: "invalid_request_error",
        param: null,
        code: null,
      },
    });
  });

  test("is a 404 for a loopback peer with a foreign Host (DNS rebinding)", async () => {
    for (const host of [
      "evil.example",
      "evil.example:8787",
      "127.0.0.1.evil.example",
      "localhost.evil.example",
    ]) {
      expect((await call({ headers: { host } }, local, `http://${host}/admin/x`)).status).toBe(404);
    }
  });

  test("is a 404 for a foreign Origin and a 415 for a POST that is not JSON", async () => {
    expect((await call({ headers: { origin: "https://evil.example" } }, local)).status).toBe(404);
    expect((await call({ headers: { origin: "http://localhost:3000" } }, local)).status).toBe(200);
    const form = await call(
      {
        method: "POST",
        body: "a=1",
        headers: { "content-type": "application/x-www-form-urlencoded" },
      },
      local,
    );
    expect(form.status).toBe(415);
    const json = await call(
      {
        method: "POST",
        body: "{}",
        headers: { "content-type": "application/json; charset=utf-8" },
      },
      local,
    );
    expect(json.status).toBe(200);
  });
});
