/**
 * The original Headroom's routing headers, path prefixes and response headers, driven by
 * tests/fixtures/original-interface/routing-headers.json and asserted through the app, plus the
 * rule that constrains a caller-chosen upstream (x-headroom-base-url).
 */
import { describe, expect, test } from "bun:test";
import fixture from "../fixtures/original-interface/routing-headers.json";
import { json } from "../helpers/http.ts";
import { type BuildOptions, buildApp, serveApp, waitFor } from "../helpers/proxy.ts";
import { chatCompletion, chatStream } from "../helpers/wire.ts";

/** An app whose injected fetch records each upstream call and answers a real chat completion. */
function recordingApp(options: BuildOptions = {}) {
  const calls: { url: string; headers: Headers; body: string }[] = [];
  const built = buildApp({
    ...options,
    fetch: async (url, init) => {
      const body = init.body ? new TextDecoder().decode(init.body as Uint8Array) : "";
      calls.push({ url: String(url), headers: new Headers(init.headers), body });
      return new Response(chatCompletion({ kind: "text", text: "done" }, "gpt-4o"), {
        headers: { "content-type": "application/json" },
      });
    },
  });
  /** Sends a request, reads the whole answer, and waits until its exchange is recorded. */
  const send = async (path: string, init: RequestInit) => {
    const before = built.exchanges.length;
    const res = await built.request(path, init);
    const text = await res.text();
    await waitFor(() => built.exchanges.length > before);
    return { res, text, exchange: built.exchanges[before]! };
  };
  return { ...built, calls, send };
}

const post = (body: unknown, headers: Record<string, string> = {}) => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});

const CHAT = { model: "gpt-4o", messages: [{ role: "user", content: "hi" }] };

/** A chat conversation whose newest tool output headroom compresses. */
const TOOL_CHAT = {
  model: "gpt-4o",
  messages: [
    { role: "user", content: "Which users are disabled?" },
    {
      role: "assistant",
      content: null,
      tool_calls: [{ id: "call_1", type: "function", function: { name: "bash", arguments: "{}" } }],
    },
    {
      role: "tool",
      tool_call_id: "call_1",
      content: JSON.stringify(
        Array.from({ length: 80 }, (_, i) => ({
          id: i + 1,
          name: `user${i}`,
          email: `user${i}@example.com`,
          status: i % 7 ? "active" : "disabled",
        })),
        null,
        2,
      ),
    },
  ],
};

describe("x-headroom-base-url and x-headroom-original-path, as the original routes them", () => {
  for (const case_ of fixture.upstream_overrides) {
    test(case_.why, async () => {
      const app = recordingApp();
      const res = await app.request(case_.route, post(CHAT, case_.headers));
      expect(res.status).toBe(200);
      expect(app.calls.map((call) => call.url)).toEqual([case_.upstream]);
      // Read, then stripped: neither header reaches the upstream.
      for (const name of Object.keys(case_.headers)) {
        expect(app.calls[0]!.headers.has(name)).toBe(false);
      }
    });
  }
});

describe("what constrains a caller-chosen upstream", () => {
  const override = { "x-headroom-base-url": "http://gateway.invalid" };

  test("another machine gets a 403 unless HEADROOM_REMOTE_BASE_URL is set", async () => {
    const app = recordingApp();
    const remote = await app.request("/v1/chat/completions", post(CHAT, override), {
      remoteAddress: "192.0.2.7",
    });
    expect(remote.status).toBe(403);
    expect((await json(remote)).error.message).toContain("HEADROOM_REMOTE_BASE_URL");
    const allowed = recordingApp({ env: { HEADROOM_REMOTE_BASE_URL: "1" } });
    const res = await allowed.request("/v1/chat/completions", post(CHAT, override), {
      remoteAddress: "192.0.2.7",
    });
    expect(res.status).toBe(200);
    expect(app.calls).toHaveLength(0);
    expect(allowed.calls.map((call) => call.url)).toEqual([
      "http://gateway.invalid/v1/chat/completions",
    ]);
  });

  test("a page rebound to 127.0.0.1 (loopback peer, foreign Host) cannot aim the proxy", async () => {
    const app = recordingApp();
    const res = await app.request(
      "/v1/chat/completions",
      post(CHAT, { ...override, host: "attacker.invalid:8787" }),
    );
    expect(res.status).toBe(403);
    expect(app.calls).toHaveLength(0);
  });

  test("a provider's own sign-in is never redirected, even from this machine", async () => {
    const app = recordingApp();
    const claims = btoa(
      JSON.stringify({ "https://api.openai.com/auth": { chatgpt_account_id: "acct_1" } }),
    );
    const signIns = [
      ["/v1/responses", { authorization: `Bearer h.${claims}.s` }],
      ["/v1/messages", { authorization: "Bearer sk-ant-oat01-abc" }],
    ] as const;
    for (const [path, credential] of signIns) {
      const res = await app.request(path, post(CHAT, { ...override, ...credential }));
      expect(res.status).toBe(403);
      expect(JSON.stringify(await json(res))).toContain("only ever goes to its provider");
    }
    expect(app.calls).toHaveLength(0);
  });

  test("a base URL with a query (a gateway's key, say) is refused, not stripped", async () => {
    const app = recordingApp();
    const res = await app.request(
      "/v1/chat/completions",
      post(CHAT, { "x-headroom-base-url": "https://gateway.invalid/v1?key=k" }),
    );
    expect(res.status).toBe(400);
    expect((await json(res)).error.message).toContain("query or fragment");
    expect(app.calls).toHaveLength(0);
  });

  test("the route table still decides first: an Anthropic key on the chat route goes nowhere", async () => {
    const app = recordingApp();
    const res = await app.request(
      "/v1/chat/completions",
      post(CHAT, { ...override, "x-api-key": "sk-ant-api03-abc" }),
    );
    expect(res.status).toBe(404);
    expect(app.calls).toHaveLength(0);
  });
});

describe("the /p/<project>/ prefix and project names", () => {
  for (const case_ of fixture.project_prefixes) {
    test(`${case_.path} → ${case_.upstream_path}, project "${case_.project}"`, async () => {
      const app = recordingApp();
      const { res, exchange } = await app.send(case_.path, post(CHAT, case_.headers ?? {}));
      expect(res.status).toBe(200);
      expect(new URL(app.calls[0]!.url).pathname).toBe(case_.upstream_path);
      expect(exchange.client?.project).toBe(case_.project);
      const stats = await json(await app.request("/stats"));
      expect(stats.recent_requests[0].project).toBe(case_.project);
    });
  }

  test("over a real socket: the body and query go through, a non-Latin project is kept", async () => {
    const seen: { url: string; body: string }[] = [];
    const served = serveApp({
      fetch: async (url, init) => {
        seen.push({ url: String(url), body: new TextDecoder().decode(init.body as Uint8Array) });
        return new Response(chatCompletion({ kind: "text", text: "done" }, "gpt-4o"), {
          headers: { "content-type": "application/json" },
        });
      },
    });
    try {
      const res = await fetch(
        `${served.url}/p/Caf%C3%A9%20Team/v1/chat/completions?trace=1`,
        post(CHAT),
      );
      expect(res.status).toBe(200);
      await res.text();
      await waitFor(() => served.exchanges.length > 0);
      expect(seen.map((call) => call.url)).toEqual([
        "http://upstream.invalid/v1/chat/completions?trace=1",
      ]);
      expect(JSON.parse(seen[0]!.body)).toEqual(CHAT);
      expect(served.exchanges[0]!.client?.project).toBe("Café Team");
    } finally {
      await served.stop();
    }
  });

  test("a header's project keeps its case and spaces", async () => {
    const app = recordingApp();
    const { exchange } = await app.send(
      "/v1/messages",
      post(CHAT, { "x-headroom-project": "  Team Alpha/API " }),
    );
    expect(exchange.client?.project).toBe("Team Alpha/API");
  });
});

describe("x-headroom-user-id, x-headroom-cwd and tags are recorded in the ledger", () => {
  test("the row keeps them; /stats shows them to this machine", async () => {
    const app = recordingApp();
    const given = fixture.recorded_request_headers;
    const { res } = await app.send("/v1/chat/completions", post(CHAT, given.headers));
    expect(res.status).toBe(200);
    const [row] = app.stats.recent.map((stored) => stored.row);
    expect(row).toMatchObject({ userId: given.user_id, cwd: given.cwd });
    expect(JSON.parse(row!.tags!)).toEqual(given.tags);
    const stats = await json(await app.request("/stats"));
    expect(stats.recent_requests[0]).toMatchObject({
      user_id: given.user_id,
      cwd: given.cwd,
      tags: given.tags,
    });
    for (const name of Object.keys(given.headers)) {
      expect(app.calls[0]!.headers.has(name)).toBe(false);
    }
  });
});

describe("response headers the original's clients read", () => {
  test("a compressed answer carries the token figures, the transforms and the model", async () => {
    const app = recordingApp({ env: { HEADROOM_LOSSY: "false" } });
    const res = await app.request("/v1/chat/completions", post(TOOL_CHAT));
    expect(res.status).toBe(200);
    for (const name of fixture.compressed_response_headers) {
      expect(res.headers.get(name)).not.toBeNull();
    }
    expect(res.headers.get("x-headroom-model")).toBe("gpt-4o");
    const before = Number(res.headers.get("x-headroom-tokens-before"));
    const after = Number(res.headers.get("x-headroom-tokens-after"));
    expect(before).toBeGreaterThan(after);
    expect(Number(res.headers.get("x-headroom-tokens-saved"))).toBe(before - after);
  });

  test.each([
    ["lossless", "false"],
    ["lossy, so headroom_retrieve is offered and answered", "true"],
  ])(
    "a streamed answer carries them too, before its body: headroom's estimate (%s)",
    async (_name, lossy) => {
      const app = buildApp({
        env: { HEADROOM_LOSSY: lossy },
        fetch: async () =>
          new Response(chatStream({ kind: "text", text: "done" }, "gpt-4o").join(""), {
            headers: { "content-type": "text/event-stream" },
          }),
      });
      const res = await app.request("/v1/chat/completions", post({ ...TOOL_CHAT, stream: true }));
      expect(res.status).toBe(200);
      // Read before the body: the figures are there as soon as the stream starts.
      for (const name of fixture.compressed_response_headers) {
        expect(res.headers.get(name)).not.toBeNull();
      }
      expect(res.headers.get("x-headroom-tokens-estimated")).toBe("true");
      expect(res.headers.get("x-headroom-model")).toBe("gpt-4o");
      const before = Number(res.headers.get("x-headroom-tokens-before"));
      const after = Number(res.headers.get("x-headroom-tokens-after"));
      expect(before).toBeGreaterThan(after);
      expect(Number(res.headers.get("x-headroom-tokens-saved"))).toBe(before - after);
      expect(await res.text()).toContain("data: [DONE]");
      // The ledger gets the exact count; the estimate is close to it.
      await waitFor(() => app.exchanges.length === 1);
      const exact = app.exchanges[0]!;
      expect(exact.tokensSaved).toBeGreaterThan(0);
      expect(Math.abs(before - exact.tokensBefore!) / exact.tokensBefore!).toBeLessThan(0.15);
      expect(Math.abs(before - after - exact.tokensSaved!) / exact.tokensSaved!).toBeLessThan(0.15);
    },
  );

  test("an answer from the response cache says x-headroom-cached: true", async () => {
    const app = recordingApp({ env: { HEADROOM_CACHE: "1" } });
    const first = await app.request("/v1/chat/completions", post(CHAT));
    await first.text();
    expect(first.headers.get("x-headroom-cached")).toBeNull();
    const again = await app.request("/v1/chat/completions", post(CHAT));
    for (const [name, value] of Object.entries(fixture.cache_hit_response_headers)) {
      expect(again.headers.get(name)).toBe(value);
    }
    expect(app.calls).toHaveLength(1);
  });

  test("compression that fails forwards the original and says so", async () => {
    // Hashing the tool output is the first step of planning: failing there fails compression.
    const app = recordingApp({
      sha256: () => {
        throw new Error("hashing failed");
      },
    });
    const res = await app.request("/v1/chat/completions", post(TOOL_CHAT));
    expect(res.status).toBe(200);
    for (const [name, value] of Object.entries(fixture.compression_failed_response_headers)) {
      expect(res.headers.get(name)).toBe(value);
    }
    expect(JSON.parse(app.calls[0]!.body)).toEqual(TOOL_CHAT);
  });
});
