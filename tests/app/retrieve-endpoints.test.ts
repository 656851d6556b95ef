import { describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RETRIEVE_TOOL_JSON } from "../../src/ccr/retrieve-tool.ts";
import { MemoryOriginalStore } from "../../src/store/memory-original-store.ts";
import { openWorkspaceDatabase } from "../../src/store/sqlite-db.ts";
import { SqliteOriginalStore } from "../../src/store/sqlite-original-store.ts";
import { json } from "../helpers/http.ts";
import { buildApp } from "../helpers/proxy.ts";

const HASH = "00112233445566778899aabb";
const post = (body: unknown) => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

describe("retrieve endpoints", () => {
  test("POST /v1/retrieve and GET /v1/retrieve/{hash} return the original with its figures", async () => {
    const app = buildApp();
    app.deps.originals.put({
      hash: HASH,
      content: "line one\nline two\nline three",
      toolName: "Bash",
      originalItems: 3,
      keptItems: 1,
    });
    const viaPost = await json(app.request("/v1/retrieve", post({ hash: HASH })));
    expect(viaPost).toEqual({
      hash: HASH,
      original_content: "line one\nline two\nline three",
      original_tokens: expect.any(Number),
      original_item_count: 3,
      compressed_item_count: 1,
      tool_name: "Bash",
      retrieval_count: 1,
    });
    expect(viaPost.original_tokens).toBeGreaterThan(3);
    const viaGet = await json(app.request(`/v1/retrieve/${HASH}`));
    expect(viaGet.retrieval_count).toBe(2);
  });

  test("a missing hash is a 404 saying so; a malformed one is a 400", async () => {
    const app = buildApp();
    const missing = await app.request("/v1/retrieve/ffffffffffffffffffffffff");
    expect(missing.status).toBe(404);
    expect((await json(missing)).error).toEqual({
      type: "not_found",
      message: expect.stringContaining("No original is stored"),
    });
    expect((await app.request("/v1/retrieve/not-a-hash")).status).toBe(400);
    expect((await app.request("/v1/retrieve", post({ hash: 42 }))).status).toBe(400);
    expect((await app.request("/v1/retrieve", post([1]))).status).toBe(400);
  });

  test("an original past its time to live is a 404 that says it expired", async () => {
    let now = 1_000_000;
    const store = new MemoryOriginalStore(60, 1 << 20, () => now);
    const app = buildApp({ originals: store });
    store.put({ hash: HASH, content: "old output" });
    now += 61_000;
    const res = await app.request(`/v1/retrieve/${HASH}`);
    expect(res.status).toBe(404);
    expect((await json(res)).error).toMatchObject({
      type: "expired",
      message: expect.stringContaining("expired after 61 seconds"),
    });
  });

  test("GET /v1/retrieve/stats reports entries, bytes, cap, hits, misses, hit rate, evictions and recent retrievals", async () => {
    const store = new MemoryOriginalStore(3600, 30);
    const app = buildApp({ originals: store });
    store.put({ hash: HASH, content: "x".repeat(20), toolName: "Bash" });
    store.put({ hash: "ffffffffffffffffffffffff", content: "y".repeat(20) });
    await app.request(`/v1/retrieve/${HASH}`);
    await app.request("/v1/retrieve/ffffffffffffffffffffffff");
    const stats = await json(app.request("/v1/retrieve/stats"));
    expect(stats).toMatchObject({
      backend: "memory",
      entries: 1,
      bytes: 20,
      size_cap_bytes: 30,
      hits: 1,
      misses: 1,
      hit_rate: 0.5,
      evictions: 1,
    });
    expect(stats.recent_retrievals.map((r: { found: boolean }) => r.found)).toEqual([false, true]);
  });

  test("POST /v1/retrieve/tool_call answers a retrieve call in each provider's shape", async () => {
    const app = buildApp();
    app.deps.originals.put({ hash: HASH, content: "the original" });
    const anthropic = await json(
      app.request(
        "/v1/retrieve/tool_call",
        post({
          provider: "anthropic",
          tool_call: { id: "toolu_1", name: "headroom_retrieve", input: { hash: HASH } },
        }),
      ),
    );
    expect(anthropic).toEqual({
      tool_result: { type: "tool_result", tool_use_id: "toolu_1", content: "the original" },
      success: true,
      data: { hash: HASH, original_content: "the original" },
    });
    const openai = await json(
      app.request(
        "/v1/retrieve/tool_call",
        post({
          provider: "openai",
          tool_call: {
            id: "call_1",
            type: "function",
            function: { name: "headroom_retrieve", arguments: JSON.stringify({ hash: HASH }) },
          },
        }),
      ),
    );
    expect(openai.tool_result).toEqual({
      role: "tool",
      tool_call_id: "call_1",
      content: "the original",
    });
    const responses = await json(
      app.request(
        "/v1/retrieve/tool_call",
        post({
          provider: "responses",
          tool_call: {
            type: "function_call",
            call_id: "c1",
            name: "headroom_retrieve",
            arguments: `{"hash":"${HASH}"}`,
          },
        }),
      ),
    );
    expect(responses.tool_result).toEqual({
      type: "function_call_output",
      call_id: "c1",
      output: "the original",
    });
    const miss = await json(
      app.request(
        "/v1/retrieve/tool_call",
        post({
          tool_call: {
            id: "t",
            name: "headroom_retrieve",
            input: { hash: "ffffffffffffffffffffffff" },
          },
        }),
      ),
    );
    expect(miss.success).toBe(false);
    expect(miss.data.error).toContain("No original is stored");
    const other = await app.request(
      "/v1/retrieve/tool_call",
      post({ tool_call: { id: "t", name: "Bash", input: {} } }),
    );
    expect(other.status).toBe(400);
  });

  test("every retrieve route is loopback only and never forwarded upstream", async () => {
    let forwarded = 0;
    const app = buildApp({
      fetch: async () => {
        forwarded++;
        return Response.json({});
      },
    });
    const remote = { remoteAddress: "198.51.100.7" };
    for (const [path, init] of [
      [`/v1/retrieve/${HASH}`, {}],
      ["/v1/retrieve/stats", {}],
      ["/v1/retrieve", post({ hash: HASH })],
      ["/v1/retrieve/tool_call", post({})],
    ] as const) {
      expect((await app.request(path, init, remote)).status).toBe(404);
      expect((await app.request(`http://attacker.example${path}`, init)).status).toBe(404);
    }
    expect((await app.request("/v1/retrieve/anything/else", { method: "DELETE" })).status).toBe(
      404,
    );
    expect(forwarded).toBe(0);
  });

  test("originals in the workspace database survive a restart", async () => {
    const workspace = mkdtempSync(join(tmpdir(), "headroom-ccr-"));
    new SqliteOriginalStore(openWorkspaceDatabase(workspace)).put({
      hash: HASH,
      content: "kept across restarts",
      toolName: "Bash",
    });
    const restarted = buildApp({
      originals: new SqliteOriginalStore(openWorkspaceDatabase(workspace)),
    });
    const body = await json(restarted.request(`/v1/retrieve/${HASH}`));
    expect(body.original_content).toBe("kept across restarts");
    expect(body.tool_name).toBe("Bash");
  });
});

describe("the headroom_retrieve tool", () => {
  const usersJson = JSON.stringify(
    Array.from({ length: 80 }, (_, i) => ({
      id: i,
      name: `user${i}`,
      plan: "free",
      seats: (i * 7) % 11,
    })),
    null,
    2,
  );
  const turn = {
    model: "claude-sonnet-4-5",
    messages: [
      { role: "user", content: "list users" },
      { role: "assistant", content: [{ type: "tool_use", id: "t1", name: "Bash", input: {} }] },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content: usersJson }] },
    ],
  };

  function recording(env: Record<string, string> = {}) {
    const bodies: Record<string, unknown>[] = [];
    const built = buildApp({
      env,
      fetch: async (_url, init) => {
        bodies.push(JSON.parse(new TextDecoder().decode(init.body as Uint8Array)));
        return Response.json({
          id: "msg",
          type: "message",
          role: "assistant",
          content: [{ type: "text", text: "ok" }],
          usage: { input_tokens: 1, output_tokens: 1 },
        });
      },
    });
    return { ...built, bodies };
  }

  test("is offered with byte-identical bytes on every later turn, also once compression is off or bypassed", async () => {
    const app = recording();
    await app.request("/v1/messages", post(turn));
    const later = {
      ...turn,
      messages: [
        ...turn.messages,
        { role: "assistant", content: [{ type: "text", text: "done" }] },
        { role: "user", content: "thanks" },
      ],
    };
    await app.request("/v1/messages", post(later));
    await app.request("/v1/messages", {
      ...post(later),
      headers: { "content-type": "application/json", "x-headroom-bypass": "true" },
    });
    const tools = app.bodies.map((body) => JSON.stringify(body.tools));
    expect(tools[0]).toBe(`[${RETRIEVE_TOOL_JSON.messages}]`);
    expect(tools[1]).toBe(tools[0]);
    // Bypassed: nothing new is compressed, but the history replays and keeps its tool.
    expect(tools[2]).toBe(tools[0]);
    expect(JSON.stringify(app.bodies[2]!.messages)).toBe(JSON.stringify(app.bodies[1]!.messages));
    // A marker the client holds (e.g. from /v1/compress) gets the tool even under bypass.
    const withMarker = {
      ...turn,
      messages: [
        {
          role: "user",
          content: `see [headroom: 3 rows omitted; the full original is available via headroom_retrieve hash=${HASH}]`,
        },
      ],
    };
    await app.request("/v1/messages", {
      ...post(withMarker),
      headers: { "content-type": "application/json", "x-headroom-bypass": "true" },
    });
    expect(JSON.stringify(app.bodies[3]!.tools)).toBe(`[${RETRIEVE_TOOL_JSON.messages}]`);
  });

  test("is never added when the client declares a tool of that name", async () => {
    const app = recording();
    const own = {
      name: "headroom_retrieve",
      description: "client's own",
      input_schema: { type: "object" },
    };
    await app.request("/v1/messages", post({ ...turn, tools: [own] }));
    expect(app.bodies[0]!.tools).toEqual([own]);
  });

  test("a retrieved original in the history is never compressed again", async () => {
    const app = recording();
    const history = {
      model: "claude-sonnet-4-5",
      tools: [
        {
          name: "headroom_retrieve",
          description: "client-run retrieval",
          input_schema: { type: "object" },
        },
      ],
      messages: [
        { role: "user", content: "go" },
        {
          role: "assistant",
          content: [
            { type: "tool_use", id: "r1", name: "headroom_retrieve", input: { hash: HASH } },
          ],
        },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "r1", content: usersJson }] },
      ],
    };
    await app.request("/v1/messages", post(history));
    expect(
      (app.bodies[0]!.messages as { content: { content?: string }[] }[])[2]!.content[0]!.content,
    ).toBe(usersJson);
  });
});
