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
    expect(roomy.body.budget).toEqual({ tokens: 1_000_000, fits: true, level: "none" });
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

/** Four small listings (below HEADROOM_MIN_TOKENS each): left alone unless a budget says otherwise. */
function smallOutputs() {
  const messages: unknown[] = [{ role: "user", content: "Check the items." }];
  for (let k = 0; k < 4; k++) {
    const rows = Array.from({ length: 5 }, (_, i) => ({
      id: k * 100 + i,
      name: `item-${k * 100 + i}`,
      status: "ok",
      size: 1000 + i,
    }));
    messages.push(
      {
        role: "assistant",
        content: null,
        tool_calls: [
          { id: `call_${k}`, type: "function", function: { name: "list", arguments: "{}" } },
        ],
      },
      { role: "tool", tool_call_id: `call_${k}`, content: JSON.stringify(rows, null, 2) },
    );
  }
  return messages;
}

describe("/v1/compress compresses harder to fit token_budget, and says whether it did", () => {
  test("first the configured settings, then every threshold down, then whole outputs elided", async () => {
    const messages = smallOutputs();
    const plain = await compress(buildApp(), { messages });
    // Too small for the configured thresholds: nothing changes without a budget.
    expect(plain.body.tokens_saved).toBe(0);
    const before = plain.body.tokens_before as number;

    const harder = await compress(buildApp(), { messages, token_budget: before - 200 });
    expect(harder.body.budget).toEqual({ tokens: before - 200, fits: true, level: "aggressive" });
    expect(harder.body.tokens_after).toBeLessThanOrEqual(before - 200);
    expect(harder.body.transforms_applied).not.toContain("elided");

    // Tighter than any compressor gets: the oldest outputs go whole, each behind a marker.
    const budget = Math.ceil(harder.body.tokens_after * 0.95);
    const app = buildApp();
    const elided = await compress(app, { messages, token_budget: budget });
    expect(elided.body.budget).toEqual({ tokens: budget, fits: true, level: "elided" });
    expect(elided.body.tokens_after).toBeLessThanOrEqual(budget);
    expect(elided.body.transforms_applied[0]).toBe("elided");
    // The newest output is still there, compressed rather than gone.
    expect(elided.body.transforms_applied.at(-1)).not.toBe("elided");
    const first = (messages[2] as { content: string }).content;
    expect(elided.body.messages[2].content).toContain("hash=");
    expect(elided.body.messages[0]).toEqual(messages[0]);
    // The elided original can be retrieved by its hash.
    const hashes = elided.body.ccr_hashes as string[];
    const originals = await Promise.all(
      hashes.map(
        async (hash) => (await json(await app.request(`/v1/retrieve/${hash}`))).original_content,
      ),
    );
    expect(originals).toContain(first);
    // What a budget forced is not remembered: the same call without one is as before.
    const again = await compress(app, { messages });
    expect(again.body.tokens_saved).toBe(0);
  });

  test("a budget the other messages alone exceed is reported as not met", async () => {
    const messages = smallOutputs();
    const res = await compress(buildApp(), { messages, token_budget: 20 });
    expect(res.status).toBe(200);
    expect(res.body.budget).toEqual({ tokens: 20, fits: false, level: "elided" });
    expect(res.body.tokens_after).toBeGreaterThan(20);
    // Every tool output went; the user's and assistant's messages are as sent.
    expect(res.body.transforms_applied).toEqual(["elided", "elided", "elided", "elided"]);
    expect(res.body.messages[0]).toEqual(messages[0]);
    expect(res.body.messages[1]).toEqual(messages[1]);
  });

  test("config.lossy false: nothing is dropped to meet the budget", async () => {
    const messages = smallOutputs();
    const res = await compress(buildApp(), {
      messages,
      token_budget: 20,
      config: { lossy: false },
    });
    expect(res.body.budget.fits).toBe(false);
    expect(res.body.budget.level).not.toBe("elided");
    expect(res.body.ccr_hashes).toEqual([]);
    expect(JSON.stringify(res.body.messages)).not.toContain("hash=");
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
