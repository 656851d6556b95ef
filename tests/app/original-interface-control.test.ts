/**
 * The control-plane calls of the original Headroom's SDKs that headroom answers the same way:
 * /v1/compress with `config.query` and `token_budget`, /v1/retrieve's item counts,
 * /v1/retrieve/tool_call with a Gemini `functionCall`, and /debug/memory.
 */
import { describe, expect, test } from "bun:test";
import { json } from "../helpers/http.ts";
import { buildApp } from "../helpers/proxy.ts";

const post = (body: unknown) => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

/** 120 log-like records: lossy compression keeps a sample, and the rows a query names. */
const RECORDS = JSON.stringify(
  Array.from({ length: 120 }, (_, i) => ({
    id: i + 1,
    host: `node-${i}`,
    region: i % 3 ? "eu-west-1" : "us-east-1",
    status: "healthy",
    uptime_hours: 1000 + i,
  })),
  null,
  2,
);

const conversation = (ask: string) => [
  { role: "user", content: ask },
  {
    role: "assistant",
    content: null,
    tool_calls: [{ id: "call_1", type: "function", function: { name: "list", arguments: "{}" } }],
  },
  { role: "tool", tool_call_id: "call_1", content: RECORDS },
];

async function compress(app: ReturnType<typeof buildApp>, body: Record<string, unknown>) {
  const res = await app.request("/v1/compress", post({ model: "gpt-4o", ...body }));
  return { status: res.status, body: await json(res) };
}

describe("/v1/compress", () => {
  test("config.query decides which rows a lossy compression keeps", async () => {
    // Two apps: the endpoint remembers its decisions, and would replay the first one.
    const messages = conversation("How are the nodes?");
    const plain = await compress(buildApp(), { messages });
    const asked = await compress(buildApp(), { messages, config: { query: "node-97" } });
    expect(plain.status).toBe(200);
    expect(asked.status).toBe(200);
    expect(plain.body.messages[2].content).not.toContain('"node-97"');
    expect(asked.body.messages[2].content).toContain('"node-97"');
    expect(asked.body.tokens_saved).toBeGreaterThan(0);
  });

  test("token_budget: messages that already fit are left as they are; others are compressed", async () => {
    const app = buildApp();
    const messages = conversation("How are the nodes?");
    const roomy = await compress(app, { messages, token_budget: 1_000_000 });
    expect(roomy.status).toBe(200);
    expect(roomy.body.messages).toEqual(messages);
    expect(roomy.body.tokens_saved).toBe(0);
    expect(roomy.body.tokens_before).toBeGreaterThan(1_000);
    expect(roomy.body.tokens_after).toBe(roomy.body.tokens_before);
    const tight = await compress(app, { messages, token_budget: 1_000 });
    expect(tight.body.tokens_saved).toBeGreaterThan(0);
    expect(tight.body.tokens_before).toBe(roomy.body.tokens_before);
    for (const bad of [0, -5, 1.5, "100"]) {
      const res = await compress(app, { messages, token_budget: bad });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain("token_budget");
    }
  });
});

describe("/v1/retrieve and /v1/retrieve/tool_call", () => {
  test("a compressed output's original comes back with its real item counts", async () => {
    const app = buildApp();
    const { body } = await compress(app, { messages: conversation("How are the nodes?") });
    const [hash] = body.ccr_hashes as [string];
    const res = await app.request("/v1/retrieve", post({ hash }));
    const entry = await json(res);
    expect(entry).toMatchObject({ hash, original_content: RECORDS, original_item_count: 120 });
    expect(entry.compressed_item_count).toBeGreaterThan(0);
    expect(entry.compressed_item_count).toBeLessThan(120);
    expect(await json(await app.request(`/v1/retrieve/${hash}`))).toEqual(
      expect.objectContaining({ original_item_count: 120 }),
    );
  });

  test("a Gemini functionCall is answered with a functionResponse part", async () => {
    const app = buildApp();
    const { body } = await compress(app, { messages: conversation("How are the nodes?") });
    const [hash] = body.ccr_hashes as [string];
    for (const provider of ["gemini", "google"]) {
      const res = await app.request(
        "/v1/retrieve/tool_call",
        post({
          provider,
          tool_call: { functionCall: { id: "fc_1", name: "headroom_retrieve", args: { hash } } },
        }),
      );
      expect(res.status).toBe(200);
      expect(await json(res)).toEqual({
        tool_result: {
          functionResponse: {
            id: "fc_1",
            name: "headroom_retrieve",
            response: { output: RECORDS },
          },
        },
        success: true,
        data: { hash, original_content: RECORDS },
      });
    }
    const other = await app.request(
      "/v1/retrieve/tool_call",
      post({ provider: "gemini", tool_call: { functionCall: { name: "read_file", args: {} } } }),
    );
    expect(other.status).toBe(400);
  });
});

describe("/debug/memory", () => {
  test("the process's memory and the bounded stores, for this machine only", async () => {
    const app = buildApp({ env: { HEADROOM_CACHE: "1" } });
    const res = await app.request("/debug/memory");
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.process_memory.rss).toBeGreaterThan(1);
    expect(Object.keys(body.components).sort()).toEqual(["ccr_originals", "response_cache"]);
    expect(body.components.response_cache.budget_mb).toBe(256);
    expect(body.target_budget_mb).toBeGreaterThan(body.total_tracked_mb);
    const remote = await app.request("/debug/memory", {}, { remoteAddress: "192.0.2.9" });
    expect(remote.status).toBe(404);
  });
});
