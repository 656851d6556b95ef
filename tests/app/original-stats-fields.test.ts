/**
 * /stats and /stats-history carry the fields the original Headroom's clients read, with their
 * types (tests/fixtures/original-interface/stats-fields.json), after real traffic, and the
 * figures under the original's names agree with headroom's own.
 */

import { beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fieldMismatches } from "../helpers/field-paths.ts";
import { type BuiltApp, buildApp, waitFor } from "../helpers/proxy.ts";
import { npmQueryRequest } from "../helpers/tool-output-request.ts";
import { anthropicMessage, chatCompletion } from "../helpers/wire.ts";

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON
type Json = any;

const FIELDS = JSON.parse(
  readFileSync(
    join(import.meta.dir, "..", "fixtures", "original-interface", "stats-fields.json"),
    "utf8",
  ),
) as {
  stats: Record<string, string>;
  stats_loopback_only: Record<string, string>;
  stats_history: Record<string, string>;
  stats_history_bad_query: { query: string; status: number; body: unknown };
  stats_history_csv: {
    filename: string;
    content_type: string;
    columns: { history: string[]; rollup: string[] };
  };
};

let proxy: BuiltApp;
const get = async (path: string, env?: { remoteAddress: string }) =>
  (await (await proxy.request(path, undefined, env)).json()) as Json;

beforeAll(async () => {
  proxy = buildApp({
    fetch: async (url) =>
      new Response(
        String(url).includes("/v1/messages")
          ? anthropicMessage({ kind: "text", text: "ok" }, "claude-sonnet-4-5", {
              input: 900,
              output: 12,
              cacheRead: 600,
              cacheWrite: 100,
            })
          : chatCompletion({ kind: "text", text: "Two." }, "gpt-4o"),
        { headers: { "content-type": "application/json" } },
      ),
  });
  // Two compressed OpenAI requests and one Anthropic request that reads the prompt cache.
  for (const key of ["sk-one", "sk-two"]) {
    const res = await proxy.request("/v1/chat/completions", npmQueryRequest(key));
    expect(res.status).toBe(200);
    await res.text();
  }
  const res = await proxy.request("/v1/messages", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-api-key": "sk-ant-test",
      "anthropic-version": "2023-06-01",
    },
    body: JSON.stringify({
      model: "claude-sonnet-4-5",
      max_tokens: 50,
      messages: [{ role: "user", content: "hello" }],
    }),
  });
  expect(res.status).toBe(200);
  await res.text();
  await waitFor(() => proxy.exchanges.length === 3);
}, 60_000);

describe("the original Headroom's /stats fields", () => {
  test("every field its clients read is there with its type", async () => {
    const stats = await get("/stats");
    expect(fieldMismatches(stats, FIELDS.stats)).toEqual([]);
    expect(fieldMismatches(stats, FIELDS.stats_loopback_only)).toEqual([]);
    // headroom's own fields stay beside them.
    expect(stats.cost.total_saved_usd).toBe(stats.cost.savings_usd);
    expect(stats.semantic_cache).toEqual({ enabled: false });
    expect(stats.cache).toBeNull();
  });

  test("the figures under the original's names agree with headroom's own", async () => {
    const stats = await get("/stats");
    const t = stats.tokens;
    expect(t.proxy_compression_saved).toBeGreaterThan(0);
    expect(t.all_layers_saved).toBe(t.saved);
    expect(t.all_layers_savings_percent).toBe(t.savings_percent);
    expect(t.proxy_attempted_tokens).toBe(t.input + t.proxy_compression_saved);
    expect(t.active_savings_percent).toBeCloseTo(
      (100 * t.proxy_compression_saved) / t.proxy_attempted_tokens,
      2,
    );
    for (const section of ["latency", "overhead", "ttfb"]) {
      const s = stats[section];
      expect(s.min_ms).toBeLessThanOrEqual(s.average_ms + 0.01);
      expect(s.max_ms).toBeGreaterThanOrEqual(s.average_ms - 0.01);
    }
    expect(stats.cost.per_model["gpt-4o"].requests).toBe(2);
    expect(stats.cost.per_model["gpt-4o"].tokens_saved).toBe(t.proxy_compression_saved);
    // The Anthropic request read 600 tokens from the cache: its provider's row says so.
    expect(stats.prefix_cache.by_provider.anthropic).toMatchObject({
      cache_read_tokens: 600,
      hit_requests: 1,
      read_discount: "90%",
      write_premium: "25%",
      bust_count: 0,
    });
    expect(stats.prefix_cache.miss_attribution.totals).toMatchObject({
      prefix_change: 0,
      total: 2,
      unknown: 2,
    });
    // One point per request, cumulative, ending at the session's savings.
    expect(stats.savings_history).toHaveLength(3);
    expect(stats.savings_history.at(-1)[1]).toBe(t.proxy_compression_saved);
    expect(stats.request_logs).toHaveLength(3);
    expect(stats.request_logs[0]).toMatchObject({ provider: "anthropic", cache_hit: false });
    expect(stats.request_logs[2].tokens_saved).toBeGreaterThan(0);
  });

  test("pipeline timing, prefix-cache dollars, the feedback loop: measured; the rest says why not", async () => {
    // A person retrieves the compressed output's original: the tool's retrieval rate goes up.
    const hash = proxy.exchanges.flatMap((exchange) => exchange.markerHashes)[0]!;
    const retrieved = await proxy.request(`/v1/retrieve/${hash}`);
    expect(retrieved.status).toBe(200);
    const stats = await get("/stats");
    // Planning ran for the two chat requests (the Anthropic one had no tool output to plan).
    const timing = stats.pipeline_timing.compression;
    expect(timing.count).toBe(2);
    expect(timing.max_ms).toBeGreaterThanOrEqual(timing.average_ms);
    expect(timing.average_ms).toBeGreaterThan(0);
    // Each provider's cache dollars at its models' list prices, adding up to the totals.
    const { anthropic, openai } = stats.prefix_cache.by_provider;
    const sonnet = proxy.deps.prices.priceOf("claude-sonnet-4-5")!;
    expect(anthropic.savings_usd).toBeCloseTo((600 * (sonnet.input - sonnet.cachedInput)) / 1e6, 8);
    expect(anthropic.write_premium_usd).toBeCloseTo(
      (100 * (sonnet.cacheWrite - sonnet.input)) / 1e6,
      8,
    );
    expect(anthropic.net_savings_usd).toBeCloseTo(
      anthropic.savings_usd - anthropic.write_premium_usd,
      8,
    );
    expect(openai.savings_usd).toBe(0);
    expect(anthropic.savings_usd + openai.savings_usd).toBeCloseTo(
      stats.prefix_cache.totals.savings_usd,
      8,
    );
    // The one fresh compression (the second request replayed it), and its retrieval.
    expect(stats.feedback_loop).toMatchObject({
      tools_tracked: 1,
      total_compressions: 1,
      total_retrievals: 1,
      global_retrieval_rate: 1,
      tools_with_high_retrieval: ["sh"],
      adapts_compression: false,
    });
    // Not measured: null, and the reason is in not_measured, never a made-up figure.
    expect(stats.waste_signals).toBeNull();
    const cvc = stats.prefix_cache.compression_vs_cache;
    expect(cvc.tokens_lost_to_cache_bust).toBeNull();
    expect(cvc.tokens_saved_by_compression).toBe(stats.tokens.proxy_compression_saved);
    for (const field of [
      "waste_signals",
      "prefix_cache.compression_vs_cache.tokens_lost_to_cache_bust",
      "codex_ws.unit_bytes_sum",
    ])
      expect(stats.not_measured[field]).toEqual(expect.any(String));
    // No WebSocket turn here: codex_ws is all zeros (tests/clients/codex-websocket.test.ts fills it).
    expect(stats.codex_ws.frames_attempted_total).toBe(0);
  });

  test("request logs and config are for this machine only", async () => {
    const remote = await get("/stats", { remoteAddress: "192.0.2.7" });
    expect(remote.requests.total).toBe(3);
    expect(remote.request_logs).toBeUndefined();
    expect(remote.recent_requests).toBeUndefined();
    expect(remote.config).toBeUndefined();
  });
});

describe("the original Headroom's /stats-history document", () => {
  test("every field is there with its type; checkpoints are cumulative and end at the lifetime", async () => {
    const history = await get("/stats-history");
    expect(fieldMismatches(history, FIELDS.stats_history)).toEqual([]);
    expect(history.history).toHaveLength(3);
    expect(history.history.at(-1).total_tokens_saved).toBe(history.lifetime.tokens_saved);
    expect(history.history.at(-1).total_input_tokens).toBe(history.lifetime.total_input_tokens);
    const hourly = history.series.hourly as Json[];
    expect(hourly.reduce((sum, p) => sum + p.tokens_saved, 0)).toBe(
      hourly.at(-1).total_tokens_saved,
    );
    expect(hourly.at(-1).total_tokens_saved).toBe(history.lifetime.tokens_saved);
    const providers = Object.keys(hourly.at(-1).by_provider).sort();
    expect(providers).toEqual(["anthropic", "openai"]);
    expect(hourly.at(-1).by_provider.openai.tokens_saved).toBe(history.lifetime.tokens_saved);
  });

  test("?series= picks the CSV; JSON carries every roll-up whatever it says, as the original", async () => {
    const all = await get("/stats-history");
    for (const series of ["history", "hourly", "daily", "weekly", "monthly"]) {
      const json = await get(`/stats-history?series=${series}`);
      expect(Object.keys(json.series).sort()).toEqual(["daily", "hourly", "monthly", "weekly"]);
      expect(json.history).toEqual(all.history);

      const csv = await proxy.request(`/stats-history?format=csv&series=${series}`);
      expect(csv.headers.get("content-type")).toBe(FIELDS.stats_history_csv.content_type);
      expect(csv.headers.get("content-disposition")).toBe(
        `attachment; filename="${FIELDS.stats_history_csv.filename.replace("{series}", series)}"`,
      );
      const [header, ...rows] = (await csv.text()).trim().split("\n");
      const columns = FIELDS.stats_history_csv.columns[series === "history" ? "history" : "rollup"];
      expect(header!.split(",").slice(0, columns.length)).toEqual(columns);
      expect(rows).toHaveLength(series === "history" ? 3 : 1);
    }
  });

  test("a parameter it cannot take is a 422 in FastAPI's validation shape, as the original", async () => {
    const bad = FIELDS.stats_history_bad_query;
    const res = await proxy.request(`/stats-history?${bad.query}`);
    expect(res.status).toBe(bad.status);
    expect(await res.json()).toEqual(bad.body);
    const mode = await proxy.request("/stats-history?history_mode=all");
    expect(mode.status).toBe(422);
    expect(((await mode.json()) as Json).detail).toEqual([
      expect.objectContaining({ loc: ["query", "history_mode"], input: "all" }),
    ]);
    const cached = await proxy.request("/stats?cached=maybe");
    expect(cached.status).toBe(422);
    expect(await cached.json()).toEqual({
      detail: [
        {
          type: "bool_parsing",
          loc: ["query", "cached"],
          msg: "Input should be a valid boolean, unable to interpret input",
          input: "maybe",
        },
      ],
    });
    // pydantic's other spellings of a boolean are taken.
    expect((await proxy.request("/stats?cached=on")).status).toBe(200);
    expect((await proxy.request("/stats?cached=F")).status).toBe(200);
  });
});
