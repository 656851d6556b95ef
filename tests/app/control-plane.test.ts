import { describe, expect, test } from "bun:test";
import { json } from "../helpers/http.ts";
import { buildApp } from "../helpers/proxy.ts";
import { anthropicMessage, anthropicStream } from "../helpers/wire.ts";

const postJson = (body: unknown, headers: Record<string, string> = {}) => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});

const CONTROL_PLANE: [string, string][] = [
  ["GET", "/admin/runtime-env"],
  ["POST", "/admin/runtime-env"],
  ["GET", "/admin/upstream"],
  ["POST", "/cache/clear"],
  ["POST", "/stats/reset"],
  ["GET", "/transformations/feed"],
  ["POST", "/v1/compress"],
  ["GET", "/v1/retrieve/stats"],
];

describe("every control-plane route is loopback only", () => {
  test("a non-loopback peer and a loopback peer with a foreign Host both get the plain 404", async () => {
    let forwarded = 0;
    const app = buildApp({
      fetch: async () => {
        forwarded++;
        return Response.json({});
      },
    });
    for (const [method, path] of CONTROL_PLANE) {
      const init = method === "POST" ? postJson({}) : { method };
      const remote = await app.request(path, init, { remoteAddress: "192.0.2.44" });
      expect([path, remote.status]).toEqual([path, 404]);
      const rebound = await app.request(`http://headroom.attacker.example:8787${path}`, init);
      expect([path, rebound.status]).toEqual([path, 404]);
      const local = await app.request(path, init);
      expect([path, local.status === 404]).toEqual([path, false]);
    }
    expect(forwarded).toBe(0);
  });
});

describe("POST /admin/runtime-env", () => {
  test("applies live keys at once, reports restart-only and unknown keys, and removes overrides with null", async () => {
    const app = buildApp({ env: { HEADROOM_MIN_TOKENS: "300" } });
    const res = await json(
      app.request(
        "/admin/runtime-env",
        postJson({
          HEADROOM_COMPRESSION_BUDGET_MS: "80",
          HEADROOM_OUTPUT_SHAPER: "1",
          HEADROOM_PORT: "9999",
          HEADROOM_HOST: "127.0.0.1",
          HEADROOM_NOT_A_THING: "x",
          OPENAI_API_KEY: "sk-nope",
          HEADROOM_MIN_SAVINGS_RATIO: "7",
          HEADROOM_LOG_LEVEL: 3,
        }),
      ),
    );
    expect(res.applied).toEqual({
      HEADROOM_COMPRESSION_BUDGET_MS: "80",
      HEADROOM_OUTPUT_SHAPER: "1",
    });
    expect(res.restart_required).toEqual(["HEADROOM_PORT"]);
    // The host it already listens on: nothing to restart for.
    expect(res.unchanged).toEqual(["HEADROOM_HOST"]);
    expect(Object.keys(res.rejected).sort()).toEqual([
      "HEADROOM_LOG_LEVEL",
      "HEADROOM_MIN_SAVINGS_RATIO",
      "HEADROOM_NOT_A_THING",
      "OPENAI_API_KEY",
    ]);
    expect(res.rejected.HEADROOM_MIN_SAVINGS_RATIO).toContain("from 0 to 1");
    expect(res.runtime_env.HEADROOM_COMPRESSION_BUDGET_MS).toEqual({
      value: "80",
      source: "override",
    });
    expect(res.runtime_env.HEADROOM_MIN_TOKENS).toEqual({ value: "300", source: "env" });
    expect(res.runtime_env.HEADROOM_EFFORT_ROUTER).toEqual({ value: null, source: "default" });
    expect(app.deps.config.compressionBudgetMs).toBe(80);
    expect(app.deps.config.outputShaper).toBe(true);
    expect(app.deps.config.port).toBe(8787);

    // The last write wins; null removes the override and the environment shows through again.
    await app.request("/admin/runtime-env", postJson({ HEADROOM_MIN_TOKENS: "10" }));
    expect(app.deps.config.minTokens).toBe(10);
    const removed = await json(
      app.request("/admin/runtime-env", postJson({ HEADROOM_MIN_TOKENS: null })),
    );
    expect(removed.applied).toEqual({ HEADROOM_MIN_TOKENS: null });
    expect(app.deps.config.minTokens).toBe(300);
    const current = await json(app.request("/admin/runtime-env"));
    expect(current.overrides).toEqual({
      HEADROOM_COMPRESSION_BUDGET_MS: "80",
      HEADROOM_OUTPUT_SHAPER: "1",
    });
    expect((await app.request("/admin/runtime-env", postJson([1, 2]))).status).toBe(400);
  });

  test("switching compression off live stops new compression on the next request", async () => {
    const bodies: string[] = [];
    const app = buildApp({
      fetch: async (_url, init) => {
        bodies.push(new TextDecoder().decode(init.body as Uint8Array));
        return new Response(anthropicMessage({ kind: "text", text: "ok" }, "m"));
      },
    });
    const output = Array.from(
      { length: 200 },
      (_, i) => `INFO worker handled job ${i} in ${i % 9}ms`,
    ).join("\n");
    const request = (id: string) => ({
      model: "m",
      messages: [
        { role: "user", content: "go" },
        { role: "assistant", content: [{ type: "tool_use", id, name: "Bash", input: {} }] },
        {
          role: "user",
          content: [{ type: "tool_result", tool_use_id: id, content: `${output}\n${id}` }],
        },
      ],
    });
    await app.request("/v1/messages", postJson(request("a")));
    expect(bodies[0]!.length).toBeLessThan(JSON.stringify(request("a")).length);
    await app.request("/admin/runtime-env", postJson({ HEADROOM_COMPRESSION: "off" }));
    await app.request("/v1/messages", postJson(request("b")));
    expect(bodies[1]).toBe(JSON.stringify(request("b")));
  });
});

describe("GET /admin/upstream", () => {
  test("names each provider's upstream URL and where it came from", async () => {
    const app = buildApp({
      env: { OPENAI_TARGET_API_URL: "http://gateway.invalid/v1" },
      flags: { "anthropic-api-url": "http://flag.invalid" },
    });
    expect(await json(app.request("/admin/upstream"))).toEqual({
      openai: { url: "http://gateway.invalid", source: "env" },
      anthropic: { url: "http://flag.invalid", source: "flag" },
      chatgpt: { url: "http://upstream.invalid", source: "env" },
    });
  });
});

describe("the response cache", () => {
  function cachedApp(env: Record<string, string> = {}) {
    let calls = 0;
    const built = buildApp({
      flags: { cache: true },
      env,
      fetch: async (_url, init) => {
        calls++;
        const stream = (
          JSON.parse(new TextDecoder().decode(init.body as Uint8Array)) as { stream?: boolean }
        ).stream;
        if (stream) {
          return new Response(
            anthropicStream({ kind: "text", text: `answer ${calls}` }, "m").join(""),
            {
              headers: { "content-type": "text/event-stream" },
            },
          );
        }
        return new Response(anthropicMessage({ kind: "text", text: `answer ${calls}` }, "m"), {
          headers: { "content-type": "application/json" },
        });
      },
    });
    return { ...built, calls: () => calls };
  }
  const question = {
    model: "m",
    max_tokens: 10,
    messages: [{ role: "user", content: "What is 2+2?" }],
  };

  test("replays an identical request, streamed or not, and counts the hit as cached", async () => {
    const app = cachedApp();
    const first = await (
      await app.request("/v1/messages", postJson(question, { "x-api-key": "k1" }))
    ).text();
    const again = await app.request(
      "/v1/messages",
      postJson({ ...question, metadata: { user_id: "other-session" } }, { "x-api-key": "k1" }),
    );
    expect(again.headers.get("x-headroom-cache")).toBe("hit");
    expect(await again.text()).toBe(first);
    expect(app.calls()).toBe(1);
    const streamed = await (
      await app.request(
        "/v1/messages",
        postJson({ ...question, stream: true }, { "x-api-key": "k1" }),
      )
    ).text();
    const replayed = await (
      await app.request(
        "/v1/messages",
        postJson({ ...question, stream: true }, { "x-api-key": "k1" }),
      )
    ).text();
    expect(replayed).toBe(streamed);
    expect(app.calls()).toBe(2);
    const stats = await json(app.request("/stats"));
    expect(stats.requests.cached).toBe(2);
    expect(stats.semantic_cache).toMatchObject({
      enabled: true,
      mode: "exact",
      entries: 2,
      hits: 2,
    });
    const metrics = await (await app.request("/metrics")).text();
    expect(metrics).toContain("\nheadroom_response_cache_hits_total 2\n");
    // The original's name counts prompt-cache reads too; this fake upstream reports none.
    expect(metrics).toContain("\nheadroom_requests_cached_total 2\n");
  });

  test("never serves another credential, a changed field or a bypassed request; POST /cache/clear empties it", async () => {
    const app = cachedApp();
    await (await app.request("/v1/messages", postJson(question, { "x-api-key": "k1" }))).text();
    await (await app.request("/v1/messages", postJson(question, { "x-api-key": "k2" }))).text();
    await (
      await app.request(
        "/v1/messages",
        postJson({ ...question, temperature: 0.2 }, { "x-api-key": "k1" }),
      )
    ).text();
    await (
      await app.request(
        "/v1/messages",
        postJson(question, { "x-api-key": "k1", "x-headroom-bypass": "true" }),
      )
    ).text();
    expect(app.calls()).toBe(4);
    expect(await json(app.request("/cache/clear", postJson({})))).toEqual({
      status: "cleared",
      entries_removed: 3,
    });
    await (await app.request("/v1/messages", postJson(question, { "x-api-key": "k1" }))).text();
    expect(app.calls()).toBe(5);
  });

  test("keeps Claude subscribers apart: each OAuth bearer, also behind one shared gateway key", async () => {
    const app = cachedApp();
    const subscriber = (token: string, gatewayKey?: string) => ({
      authorization: `Bearer ${token}`,
      "anthropic-beta": "oauth-2025-04-20",
      ...(gatewayKey ? { "x-api-key": gatewayKey } : {}),
    });
    const ask = async (headers: Record<string, string>) => {
      const res = await app.request("/v1/messages", postJson(question, headers));
      await res.text();
      return res.headers.get("x-headroom-cache");
    };
    expect(await ask(subscriber("sk-ant-oat01-alice"))).toBeNull();
    expect(await ask(subscriber("sk-ant-oat01-bob"))).toBeNull();
    expect(await ask(subscriber("sk-ant-oat01-alice"))).toBe("hit");
    // A team gateway's key in x-api-key does not make its users one caller.
    expect(await ask(subscriber("sk-ant-oat01-alice", "gw-team"))).toBeNull();
    expect(await ask(subscriber("sk-ant-oat01-bob", "gw-team"))).toBeNull();
    expect(await ask(subscriber("sk-ant-oat01-bob", "gw-team"))).toBe("hit");
    expect(app.calls()).toBe(4);
  });

  test("only complete successful answers are stored", async () => {
    let calls = 0;
    const app = buildApp({
      flags: { cache: true },
      fetch: async () => {
        calls++;
        return new Response('{"type":"error","error":{"type":"overloaded_error","message":"x"}}', {
          status: 529,
          headers: { "retry-after": "3600" },
        });
      },
    });
    await (await app.request("/v1/messages", postJson(question))).text();
    await (await app.request("/v1/messages", postJson(question))).text();
    expect(calls).toBe(2);
  });

  test("is off by default: POST /cache/clear says so", async () => {
    const app = buildApp();
    expect(await json(app.request("/cache/clear", postJson({})))).toEqual({
      status: "disabled",
      entries_removed: 0,
    });
  });
});

describe("rate limiting", () => {
  test("is off by default, and when on answers 429 with Retry-After in the provider's shape", async () => {
    const app = buildApp({ fetch: async () => Response.json({ ok: true }) });
    for (let i = 0; i < 5; i++)
      expect((await app.request("/v1/chat/completions", postJson({ model: "m" }))).status).toBe(
        200,
      );
    await app.request("/admin/runtime-env", postJson({ HEADROOM_RATE_LIMIT_RPM: "2" }));
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 3; i++) {
      last = await app.request(
        "/v1/messages",
        postJson({ model: "m" }, { "x-api-key": "one-client" }),
      );
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await json(last!)).error.type).toBe("rate_limit_error");
    expect((await json(app.request("/stats"))).requests.rate_limited).toBe(1);
    // Another client has its own allowance.
    expect(
      (await app.request("/v1/messages", postJson({ model: "m" }, { "x-api-key": "another" })))
        .status,
    ).toBe(200);
  });

  test("counts each Claude subscription (its OAuth bearer) on its own, even behind a shared key", async () => {
    const app = buildApp({
      env: { HEADROOM_RATE_LIMIT_RPM: "1" },
      fetch: async () => Response.json({ ok: true }),
    });
    const status = async (headers: Record<string, string>) =>
      (await app.request("/v1/messages", postJson({ model: "m" }, headers))).status;
    const alice = { authorization: "Bearer sk-ant-oat01-alice", "x-api-key": "gw-team" };
    const bob = { authorization: "Bearer sk-ant-oat01-bob", "x-api-key": "gw-team" };
    expect(await status(alice)).toBe(200);
    expect(await status(bob)).toBe(200);
    expect(await status(alice)).toBe(429);
    expect(await status({ authorization: "Bearer sk-ant-oat01-carol" })).toBe(200);
  });
});
