/**
 * Who may reach what, route by route:
 *
 * - Control plane (/v1/compress, /v1/retrieve*, /admin/*, /stats/reset, /cache/clear,
 *   /transformations/feed): only a loopback peer (by socket address, never by a forwarding
 *   header) naming a loopback Host, with no browser page elsewhere behind it (no foreign Origin,
 *   not even a cross-site link or <img>). Anything else is the plain 404 of a missing route.
 * - Data plane (/v1/messages, /v1/chat/completions, /v1/responses, other /v1/*): any peer (with
 *   the proxy token when one is set), but never a page on another origin: a 403 in the
 *   provider's shape, even for "simple" requests a browser sends without a preflight, since a
 *   page could otherwise fill the original store, skew the ledger or spend through a gateway.
 * - Observability (/stats, /stats-history, /metrics, /dashboard, /health): readable by any peer,
 *   as the contract says (recent requests, config and pid only for this machine); a foreign
 *   page's script is refused, a link that opens them is not.
 * - CORS is granted to loopback pages only, never with credentials.
 */

import { describe, expect, test } from "bun:test";
import { DASHBOARD_CSP } from "../../src/app/dashboard-route.ts";
import type { ConnEnv } from "../../src/pipeline/client-request.ts";
import { json } from "../helpers/http.ts";
import { buildApp } from "../helpers/proxy.ts";

const HASH = "00112233445566778899aabb";
const LOCAL: ConnEnv = { remoteAddress: "127.0.0.1" };
const REMOTE: ConnEnv = { remoteAddress: "203.0.113.7" };
const BASE = "http://127.0.0.1:8787";

/** Every loopback-only route (the loopback-only control plane), with a body it would accept. */
const CONTROL_PLANE: [method: string, path: string, body?: unknown][] = [
  ["GET", "/admin/runtime-env"],
  ["POST", "/admin/runtime-env", {}],
  ["GET", "/admin/upstream"],
  ["POST", "/cache/clear", {}],
  ["POST", "/stats/reset", {}],
  ["GET", "/transformations/feed"],
  ["POST", "/v1/compress", { model: "gpt-4o", messages: [{ role: "user", content: "hi" }] }],
  ["GET", "/v1/retrieve/stats"],
  ["GET", `/v1/retrieve/${HASH}`],
  ["POST", "/v1/retrieve", { hash: HASH }],
  [
    "POST",
    "/v1/retrieve/tool_call",
    {
      provider: "anthropic",
      tool_call: { id: "t", name: "headroom_retrieve", input: { hash: HASH } },
    },
  ],
];

/** Headers a proxy or an attacker may add to claim the request came from this machine. */
const SPOOFS: Record<string, string>[] = [
  { "x-forwarded-for": "127.0.0.1" },
  { forwarded: "for=127.0.0.1;host=localhost:8787;proto=http" },
  { "x-real-ip": "127.0.0.1" },
  { "x-forwarded-host": "localhost:8787", "x-forwarded-for": "::1" },
  { "x-client-ip": "127.0.0.1", "true-client-ip": "127.0.0.1", "cf-connecting-ip": "127.0.0.1" },
];

function init(method: string, body: unknown, headers: Record<string, string> = {}): RequestInit {
  return method === "POST"
    ? {
        method,
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(body),
      }
    : { method, headers };
}

function appWithOriginal() {
  let forwarded = 0;
  const app = buildApp({
    dashboardHtml: "<!doctype html><title>dash</title>",
    fetch: async () => {
      forwarded++;
      return Response.json({ id: "x", type: "message", content: [] });
    },
  });
  app.deps.originals.put({ hash: HASH, content: "the stored original", toolName: "Bash" });
  return { app, forwarded: () => forwarded };
}

async function expectPlain404(res: Response, label: string): Promise<void> {
  expect([label, res.status]).toEqual([label, 404]);
  expect([label, await res.json()]).toEqual([
    label,
    // What any unknown route answers: OpenAI's 404 shape (no provider credentials were sent).
    {
      error: {
        message: "Not found",
        type: "invalid_request_error",
        param: null,
        code: null,
      },
    },
  ]);
  expect(res.headers.get("access-control-allow-origin")).toBeNull();
}

describe("the control plane and the peer address", () => {
  test("each route answers a loopback peer naming a loopback Host", async () => {
    const { app } = appWithOriginal();
    for (const host of ["127.0.0.1:8787", "localhost:8787", "[::1]:8787", "localhost"]) {
      for (const [method, path, body] of CONTROL_PLANE) {
        const res = await app.request(`http://${host}${path}`, init(method, body), LOCAL);
        expect([host, method, path, res.status]).toEqual([host, method, path, 200]);
      }
    }
    const v6 = await app.request(`http://[::1]:8787/admin/upstream`, {}, { remoteAddress: "::1" });
    expect(v6.status).toBe(200);
  });

  test("a remote peer gets the plain 404 whatever Host and forwarding headers claim", async () => {
    const { app, forwarded } = appWithOriginal();
    for (const [method, path, body] of CONTROL_PLANE) {
      for (const spoof of [{}, ...SPOOFS]) {
        const res = await app.request(
          `${BASE}${path}`,
          init(method, body, { host: "127.0.0.1:8787", ...spoof }),
          REMOTE,
        );
        await expectPlain404(res, `${method} ${path} ${JSON.stringify(spoof)}`);
      }
    }
    // An unknown peer (no socket address) is not loopback either, nor is a LAN address.
    for (const env of [{}, { remoteAddress: "10.0.0.5" }, { remoteAddress: "::ffff:10.0.0.5" }]) {
      await expectPlain404(
        await app.request(`${BASE}/admin/upstream`, { headers: { "x-real-ip": "127.0.0.1" } }, env),
        JSON.stringify(env),
      );
    }
    expect(forwarded()).toBe(0);
  });

  test("behind a reverse proxy on this machine, a relayed caller is treated as remote", async () => {
    // nginx's default proxy_pass sends Host as the upstream's own address: only its forwarding
    // headers tell the caller is elsewhere.
    const relayed: Record<string, string>[] = [
      { "x-forwarded-for": "198.51.100.4" },
      { "x-real-ip": "198.51.100.4" },
      { forwarded: "for=198.51.100.4" },
      { "x-forwarded-host": "headroom.example.com" },
    ];
    const { app, forwarded } = appWithOriginal();
    for (const headers of relayed) {
      for (const [method, path, body] of CONTROL_PLANE) {
        const res = await app.request(
          `${BASE}${path}`,
          init(method, body, { host: "127.0.0.1:8787", ...headers }),
          LOCAL,
        );
        await expectPlain404(res, `${JSON.stringify(headers)} ${method} ${path}`);
      }
    }
    expect(forwarded()).toBe(0);
    // With a proxy token, a relayed data-plane call must present it.
    const guarded = buildApp({
      env: { HEADROOM_PROXY_TOKEN: "tok-2" },
      fetch: async () => Response.json({ id: "x", type: "message", content: [] }),
    });
    const message = init("POST", { model: "m", max_tokens: 5, messages: [] }, relayed[0]);
    expect((await guarded.request("/v1/messages", message, LOCAL)).status).toBe(401);
    const withToken = init(
      "POST",
      { model: "m", max_tokens: 5, messages: [] },
      {
        ...relayed[0],
        "x-headroom-proxy-token": "tok-2",
      },
    );
    expect((await guarded.request("/v1/messages", withToken, LOCAL)).status).toBe(200);
  });

  test("a loopback peer naming a foreign Host (DNS rebinding) gets the plain 404", async () => {
    const { app, forwarded } = appWithOriginal();
    const rebound = [
      "evil.example:8787",
      "evil.example",
      "127.0.0.1.evil.example:8787",
      "localhost.evil.example:8787",
      "evil.example:8787@127.0.0.1",
      "127.0.0.1:8787, evil.example",
      "192.168.1.20:8787",
      "[::ffff:c0a8:114]:8787",
    ];
    for (const host of rebound) {
      for (const [method, path, body] of CONTROL_PLANE) {
        const res = await app.request(`${BASE}${path}`, init(method, body, { host }), LOCAL);
        await expectPlain404(res, `${host} ${method} ${path}`);
      }
    }
    expect(forwarded()).toBe(0);
  });
});

describe("browser pages", () => {
  const FOREIGN_ORIGINS = [
    "https://evil.example",
    "http://evil.example:8787",
    "http://127.0.0.1.evil.example:8787",
    "null",
    "file://",
  ];

  test("a foreign Origin or a cross-site fetch never reaches the control plane", async () => {
    const { app } = appWithOriginal();
    for (const [method, path, body] of CONTROL_PLANE) {
      for (const origin of FOREIGN_ORIGINS) {
        // Refused at the edge like any path a foreign page tries, so nothing is discovered.
        const res = await app.request(`${BASE}${path}`, init(method, body, { origin }), LOCAL);
        expect([origin, method, path, res.status]).toEqual([origin, method, path, 403]);
        expect(res.headers.get("access-control-allow-origin")).toBeNull();
        expect(await res.text()).not.toContain("stored original");
      }
      // No Origin (an <img>, a <script>, a link), but the browser says another site asked.
      const embedded = await app.request(
        `${BASE}${path}`,
        init(method, body, { "sec-fetch-site": "cross-site", "sec-fetch-mode": "no-cors" }),
        LOCAL,
      );
      expect([method, path, embedded.status]).toEqual([method, path, 403]);
      const navigated = await app.request(
        `${BASE}${path}`,
        init(method, body, { "sec-fetch-site": "cross-site", "sec-fetch-mode": "navigate" }),
        LOCAL,
      );
      await expectPlain404(navigated, `navigate ${method} ${path}`);
    }
    // The state the refused calls would have changed is untouched.
    expect(app.deps.originals.stats().hits).toBe(0);
  });

  test("pages on this machine, the user's own address bar, and non-browser clients get through", async () => {
    const { app } = appWithOriginal();
    for (const [method, path, body] of CONTROL_PLANE) {
      for (const headers of <Record<string, string>[]>[
        { origin: "http://localhost:5173" },
        { origin: "http://127.0.0.1:8787", "sec-fetch-site": "same-origin" },
        { origin: "http://[::1]:3000", "sec-fetch-site": "cross-site" },
        { "sec-fetch-site": "same-origin" },
        { "sec-fetch-site": "same-site" },
        { "sec-fetch-site": "none", "sec-fetch-mode": "navigate" },
      ]) {
        const res = await app.request(`${BASE}${path}`, init(method, body, headers), LOCAL);
        expect([headers, method, path, res.status]).toEqual([headers, method, path, 200]);
      }
    }
  });

  test("the data plane refuses a page on another origin in the provider's shape, forwarding nothing", async () => {
    const { app, forwarded } = appWithOriginal();
    const body = JSON.stringify({
      model: "m",
      max_tokens: 5,
      messages: [{ role: "user", content: "hi" }],
    });
    for (const origin of FOREIGN_ORIGINS) {
      // text/plain keeps it a "simple" request: no preflight, the browser just sends it.
      const anthropic = await app.request(
        `${BASE}/v1/messages`,
        { method: "POST", body, headers: { origin, "content-type": "text/plain" } },
        LOCAL,
      );
      expect([origin, anthropic.status]).toEqual([origin, 403]);
      expect((await json(anthropic)).error.type).toBe("permission_error");
      expect(anthropic.headers.get("access-control-allow-origin")).toBeNull();
      const openai = await app.request(
        `${BASE}/v1/chat/completions`,
        { method: "POST", body, headers: { origin, "content-type": "text/plain" } },
        REMOTE,
      );
      expect([origin, openai.status]).toEqual([origin, 403]);
      expect((await json(openai)).error.type).toBe("invalid_request_error");
      const passthrough = await app.request(`${BASE}/v1/models`, { headers: { origin } }, LOCAL);
      expect([origin, passthrough.status]).toEqual([origin, 403]);
    }
    const crossSite = await app.request(
      `${BASE}/v1/models`,
      { headers: { "sec-fetch-site": "cross-site", "sec-fetch-mode": "no-cors" } },
      LOCAL,
    );
    expect(crossSite.status).toBe(403);
    expect(forwarded()).toBe(0);
    expect(app.exchanges.filter((e) => e.outcome !== "local").map((e) => e.outcome)).toEqual(
      expect.arrayContaining(["rejected"]),
    );

    // A page on this machine and a client with no Origin at all are served (Node's fetch sends
    // sec-fetch-mode: cors, but no Origin and no Sec-Fetch-Site).
    for (const headers of <Record<string, string>[]>[
      { origin: "http://localhost:5173" },
      {},
      { "sec-fetch-mode": "cors" },
    ]) {
      const res = await app.request(
        `${BASE}/v1/messages`,
        { method: "POST", body, headers: { "content-type": "application/json", ...headers } },
        LOCAL,
      );
      expect(res.status).toBe(200);
    }
    expect(forwarded()).toBe(3);
  });

  test("observability pages stay readable by any peer, but never to a foreign page's script", async () => {
    const { app } = appWithOriginal();
    for (const path of ["/stats", "/stats-history", "/metrics", "/dashboard", "/health"]) {
      expect([path, (await app.request(`${BASE}${path}`, {}, REMOTE)).status]).toEqual([path, 200]);
      // A link from another site to the dashboard still opens it.
      const link = await app.request(
        `${BASE}${path}`,
        { headers: { "sec-fetch-site": "cross-site", "sec-fetch-mode": "navigate" } },
        LOCAL,
      );
      expect([path, link.status]).toEqual([path, 200]);
      const scripted = await app.request(
        `${BASE}${path}`,
        { headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" } },
        LOCAL,
      );
      expect([path, scripted.status]).toEqual([path, 403]);
      expect(scripted.headers.get("access-control-allow-origin")).toBeNull();
    }
    // Recent requests are for this machine only: not for a remote peer, nor a rebound Host.
    const remote = await json(app.request(`${BASE}/stats`, {}, REMOTE));
    expect(remote.recent_requests).toBeUndefined();
    const rebound = await json(
      app.request(`${BASE}/stats`, { headers: { host: "evil.example:8787" } }, LOCAL),
    );
    expect(rebound.recent_requests).toBeUndefined();
    expect((await json(app.request(`${BASE}/stats`, {}, LOCAL))).recent_requests).toBeDefined();
    // The effective config and pid in /health are for this machine only, too.
    const health = await json(
      app.request(`${BASE}/health`, { headers: { host: "evil.example:8787" } }, LOCAL),
    );
    expect(health.config).toBeUndefined();
    expect(health.pid).toBeUndefined();
  });

  test("CORS preflights are granted to loopback pages only, on every kind of route", async () => {
    const { app } = appWithOriginal();
    for (const path of ["/v1/messages", "/admin/runtime-env", "/v1/compress", "/stats", "/nope"]) {
      for (const origin of FOREIGN_ORIGINS) {
        const res = await app.request(
          `${BASE}${path}`,
          {
            method: "OPTIONS",
            headers: {
              origin,
              "access-control-request-method": "POST",
              "access-control-request-headers": "content-type,x-api-key",
              "access-control-request-private-network": "true",
            },
          },
          LOCAL,
        );
        expect([path, origin, res.status]).toEqual([path, origin, 403]);
        expect(res.headers.get("access-control-allow-origin")).toBeNull();
        expect(res.headers.get("access-control-allow-methods")).toBeNull();
        expect(res.headers.get("access-control-allow-headers")).toBeNull();
        expect(res.headers.get("access-control-allow-private-network")).toBeNull();
        expect(res.headers.get("access-control-allow-credentials")).toBeNull();
      }
      const local = await app.request(
        `${BASE}${path}`,
        {
          method: "OPTIONS",
          headers: { origin: "http://localhost:5173", "access-control-request-method": "POST" },
        },
        LOCAL,
      );
      expect([path, local.status]).toEqual([path, 204]);
      expect(local.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
      // Never with credentials: a loopback page gets answers, not the user's cookies' worth.
      expect(local.headers.get("access-control-allow-credentials")).toBeNull();
    }
  });
});

describe("the proxy token", () => {
  const TOKEN = "tok-9f2c61d0";
  const body = JSON.stringify({
    model: "m",
    max_tokens: 5,
    messages: [{ role: "user", content: "hi" }],
  });
  const post = (headers: Record<string, string> = {}): RequestInit => ({
    method: "POST",
    body,
    headers: { "content-type": "application/json", ...headers },
  });
  /** An app that wants the token, counting what it forwards. */
  const tokenApp = () => {
    let forwarded = 0;
    const app = buildApp({
      env: { HEADROOM_PROXY_TOKEN: TOKEN },
      fetch: async () => {
        forwarded++;
        return Response.json({});
      },
    });
    return { app, forwarded: () => forwarded };
  };

  test("a remote caller without it gets 401 in its provider's shape, whatever it claims", async () => {
    const { app, forwarded } = tokenApp();
    for (const spoof of [{}, ...SPOOFS, { host: "localhost:8787" }]) {
      const anthropic = await app.request("/v1/messages", post(spoof), REMOTE);
      expect(anthropic.status).toBe(401);
      expect(await json(anthropic)).toEqual({
        type: "error",
        error: { type: "authentication_error", message: expect.any(String) },
      });
      for (const path of ["/v1/chat/completions", "/v1/responses"]) {
        const openai = await app.request(path, post(spoof), REMOTE);
        expect(openai.status).toBe(401);
        expect((await json(openai)).error).toMatchObject({ type: "invalid_request_error" });
      }
      // Shared paths answer in the shape of the credentials presented.
      const models = await app.request(
        "/v1/models",
        { headers: { "x-api-key": "k", ...spoof } },
        REMOTE,
      );
      expect((await json(models)).error.type).toBe("authentication_error");
    }
    for (const wrong of ["", "tok-9f2c61d", "tok-9f2c61d00", "TOK-9F2C61D0", `${TOKEN}x`]) {
      const res = await app.request(
        "/v1/messages",
        post({ "x-headroom-proxy-token": wrong }),
        REMOTE,
      );
      expect([wrong, res.status]).toEqual([wrong, 401]);
    }
    expect(forwarded()).toBe(0);
    // Refused data-plane calls are counted as rejected, never as forwarded requests.
    expect(app.exchanges.every((e) => e.outcome === "rejected" && e.status === 401)).toBe(true);
  });

  test("with it a remote caller passes; loopback callers and the probes never need it", async () => {
    const { app, forwarded } = tokenApp();
    const res = await app.request(
      "/v1/messages",
      post({ "x-headroom-proxy-token": TOKEN }),
      REMOTE,
    );
    expect(res.status).toBe(200);
    for (const address of ["127.0.0.1", "::1", "::ffff:127.0.0.1", "127.8.9.10"]) {
      const local = await app.request("/v1/messages", post(), { remoteAddress: address });
      expect([address, local.status]).toEqual([address, 200]);
    }
    expect(forwarded()).toBe(5);
    for (const path of ["/livez", "/readyz", "/health"])
      expect([path, (await app.request(path, {}, REMOTE)).status]).toEqual([path, 200]);
    // The token is for the data plane: it never opens the control plane to a remote peer.
    for (const [method, path, reqBody] of CONTROL_PLANE) {
      const refused = await app.request(
        `${BASE}${path}`,
        init(method, reqBody, { "x-headroom-proxy-token": TOKEN }),
        REMOTE,
      );
      await expectPlain404(refused, `${method} ${path} with token`);
    }
  });
});

describe("x-headroom-base-url from another machine", () => {
  const INTERNAL = "http://10.0.0.5:9200";
  const recording = (env: Record<string, string> = {}) => {
    const urls: string[] = [];
    const app = buildApp({
      env: { HEADROOM_PROXY_TOKEN: "tok-1", ...env },
      fetch: async (input) => {
        urls.push(String(input));
        return Response.json({ id: "x", type: "message", content: [] });
      },
    });
    return { app, urls };
  };
  const send = (app: ReturnType<typeof recording>["app"], path: string, peer: ConnEnv) =>
    app.request(
      path,
      init(
        "POST",
        { model: "m", max_tokens: 5, messages: [{ role: "user", content: "hi" }] },
        { "x-headroom-proxy-token": "tok-1", "x-headroom-base-url": INTERNAL },
      ),
      peer,
    );

  test("is refused in the provider's shape, even with the proxy token, and nothing is sent anywhere", async () => {
    const { app, urls } = recording();
    const anthropic = await send(app, "/v1/messages", REMOTE);
    expect(anthropic.status).toBe(403);
    expect(await json(anthropic)).toEqual({
      type: "error",
      error: {
        type: "permission_error",
        message: expect.stringContaining("HEADROOM_REMOTE_BASE_URL"),
      },
    });
    const openai = await send(app, "/v1/models", REMOTE);
    expect(openai.status).toBe(403);
    expect(urls).toEqual([]);
    expect(app.exchanges.every((e) => e.outcome === "rejected")).toBe(true);
  });

  test("is honoured from this machine, and from others once the operator allows it", async () => {
    const local = recording();
    expect((await send(local.app, "/v1/messages", LOCAL)).status).toBe(200);
    expect(local.urls).toEqual([`${INTERNAL}/v1/messages`]);
    const allowed = recording({ HEADROOM_REMOTE_BASE_URL: "1" });
    expect((await send(allowed.app, "/v1/messages", REMOTE)).status).toBe(200);
    expect(allowed.urls).toEqual([`${INTERNAL}/v1/messages`]);
  });
});

describe("security response headers", () => {
  test("every control-plane and observability answer carries nosniff, no framing, no referrer", async () => {
    const { app } = appWithOriginal();
    const answers: [string, Response][] = [];
    for (const [method, path, body] of CONTROL_PLANE) {
      answers.push([path, await app.request(`${BASE}${path}`, init(method, body), LOCAL)]);
      answers.push([
        `${path} refused`,
        await app.request(`${BASE}${path}`, init(method, body), REMOTE),
      ]);
    }
    for (const path of ["/stats", "/stats-history", "/metrics", "/health", "/dashboard", "/nope"])
      answers.push([path, await app.request(`${BASE}${path}`, {}, LOCAL)]);
    for (const [label, res] of answers) {
      expect([label, res.headers.get("x-content-type-options")]).toEqual([label, "nosniff"]);
      expect([label, res.headers.get("x-frame-options")]).toEqual([label, "DENY"]);
      expect([label, res.headers.get("referrer-policy")]).toEqual([label, "no-referrer"]);
    }
  });

  test("the dashboard is served under a strict CSP that allows no other origin", async () => {
    const { app } = appWithOriginal();
    const res = await app.request(`${BASE}/dashboard`, {}, LOCAL);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toBe(DASHBOARD_CSP);
    const directives = Object.fromEntries(
      csp.split(";").map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name, values];
      }),
    );
    expect(directives["default-src"]).toEqual(["'none'"]);
    expect(directives["connect-src"]).toEqual(["'self'"]);
    expect(directives["frame-ancestors"]).toEqual(["'none'"]);
    expect(directives["form-action"]).toEqual(["'none'"]);
    // No wildcard and no remote source anywhere.
    expect(csp).not.toMatch(/\*|https?:/);
    expect(res.headers.get("cache-control")).toBe("no-store");
  });
});
