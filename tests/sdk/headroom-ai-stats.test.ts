/**
 * The headroom-ai SDK's stats calls read what its types declare from headroom: `proxyStats()`
 * with the latency and overhead extremes and the CLI figure, `statsHistory({series})` with the
 * original's whole document whatever the series, and `getMetrics()` from the request list.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { HeadroomClient } from "headroom-ai";
import { type ServedApp, serveApp, waitFor } from "../helpers/proxy.ts";
import { npmQueryRequest } from "../helpers/tool-output-request.ts";
import { chatCompletion } from "../helpers/wire.ts";

let proxy: ServedApp;
const client = () => new HeadroomClient({ baseUrl: proxy.url, fallback: false, retries: 0 });

beforeAll(async () => {
  proxy = serveApp({
    fetch: async () =>
      new Response(chatCompletion({ kind: "text", text: "Two." }, "gpt-4o"), {
        headers: { "content-type": "application/json" },
      }),
  });
  for (const key of ["sk-one", "sk-two"]) {
    const res = await fetch(`${proxy.url}/v1/chat/completions`, npmQueryRequest(key));
    expect(res.status).toBe(200);
    await res.text();
  }
  await waitFor(() => proxy.exchanges.length === 2);
}, 60_000);
afterAll(() => proxy?.stop());

describe("headroom-ai HeadroomClient stats calls", () => {
  test("proxyStats() has the latency and overhead extremes and the CLI figure it declares", async () => {
    const stats = await client().proxyStats();
    for (const section of [stats.latency, stats.overhead]) {
      expect(section.minMs).toBeGreaterThanOrEqual(0);
      expect(section.maxMs).toBeGreaterThanOrEqual(section.minMs);
      expect(section.averageMs).toBeLessThanOrEqual(section.maxMs + 0.01);
    }
    expect(stats.latency.maxMs).toBeGreaterThan(0);
    expect(stats.tokens.cliTokensAvoided).toBe(0);
    expect(stats.tokens.saved).toBeGreaterThan(0);
    expect(stats.cost.savingsUsd).toEqual(expect.any(Number));
  });

  test("statsHistory({series}) gets the original's document: every roll-up and the checkpoints", async () => {
    const headroom = client();
    const plain = await headroom.statsHistory();
    for (const series of ["history", "hourly", "daily", "weekly", "monthly"] as const) {
      const history = await headroom.statsHistory({ series });
      expect(history.schema_version).toBe(3);
      expect(Object.keys(history.series).sort()).toEqual(["daily", "hourly", "monthly", "weekly"]);
      expect(history.history).toEqual(plain.history);
      expect(history.history).toHaveLength(2);
      expect(history.series.daily.at(-1).total_tokens_saved).toBe(history.lifetime.tokens_saved);
    }
  });

  test("getMetrics() filters the request list by model", async () => {
    const headroom = client();
    const all = await headroom.getMetrics();
    expect(all).toHaveLength(2);
    expect(all[0]).toMatchObject({ model: "gpt-4o", requestId: expect.any(String) });
    expect(await headroom.getMetrics({ model: "claude-sonnet-4-5" })).toEqual([]);
  });
});
