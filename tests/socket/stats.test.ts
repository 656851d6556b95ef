import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openWorkspaceDatabase } from "../../src/store/sqlite-db.ts";
import { SqliteLedgerStore } from "../../src/store/sqlite-ledger.ts";
import { FakeUpstream } from "../helpers/fake-upstream.ts";
import { json } from "../helpers/http.ts";
import { promtoolFindings } from "../helpers/promtool.ts";
import { serveApp, waitFor } from "../helpers/proxy.ts";
import { anthropicStream } from "../helpers/wire.ts";

const upstream = new FakeUpstream();
const workspace = mkdtempSync(join(tmpdir(), "headroom-ledger-"));
const openLedger = () => new SqliteLedgerStore(openWorkspaceDatabase(workspace));
let proxy = serveApp({ upstream: upstream.url, ledger: openLedger() });
afterAll(async () => {
  await proxy.stop();
  upstream.stop();
});

const bigLog = Array.from({ length: 300 }, (_, i) =>
  i === 222
    ? "ERROR payment job 222 failed: card declined"
    : `2026-11-26T08:00:${String(i % 60).padStart(2, "0")}Z INFO job ${i} ok`,
).join("\n");

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${proxy.url}${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "user-agent": "claude-cli/2.1.0 (external, cli)",
      "x-headroom-project": "shop",
      ...headers,
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

/** Parses Prometheus text into sample name+labels → value. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const at = line.lastIndexOf(" ");
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

function sum(metrics: Map<string, number>, prefix: string): number {
  let total = 0;
  for (const [key, value] of metrics)
    if (key === prefix || key.startsWith(`${prefix}{`)) total += value;
  return total;
}

async function mixedWorkload(): Promise<void> {
  // 1. A compressed, non-streamed Anthropic request.
  await (
    await post("/v1/messages", {
      model: "claude-sonnet-4-5",
      messages: [
        { role: "user", content: "why did the payment job fail?" },
        { role: "assistant", content: [{ type: "tool_use", id: "t1", name: "Bash", input: {} }] },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content: bigLog }] },
      ],
    })
  ).text();
  // 2. A streamed chat request with usage, and 3. one without (usage estimated).
  await (
    await post(
      "/v1/chat/completions",
      { model: "gpt-4o", stream: true, stream_options: { include_usage: true }, messages: [] },
      { "x-client": "codex" },
    )
  ).text();
  await (
    await post("/v1/chat/completions", { model: "gpt-4o", stream: true, messages: [] })
  ).text();
  // 4. An upstream error.
  upstream.once(() => new Response('{"error":{"message":"boom"}}', { status: 500 }));
  await (await post("/v1/responses", { model: "gpt-5" })).text();
  // 5. A request rejected before forwarding.
  await (await post("/v1/messages", "{not json")).text();
  // 6. A stream the client aborts.
  upstream.once(() =>
    upstream.stream(anthropicStream({ kind: "text", text: "a long answer" }, "m"), {
      stopAfter: 2,
      ending: "stall",
    }),
  );
  const controller = new AbortController();
  const res = await post("/v1/messages", { model: "claude-sonnet-4-5", stream: true }, {});
  const reader = res.body!.getReader();
  await reader.read();
  controller.abort();
  await reader.cancel();
  await waitFor(() => dataPlane() === 6);
}

/** Exchanges of data-plane requests (the test's own /stats calls are local). */
function dataPlane(): number {
  return proxy.exchanges.filter((exchange) => exchange.outcome !== "local").length;
}

async function snapshot() {
  const stats = await json(fetch(`${proxy.url}/stats`));
  const metricsText = await (await fetch(`${proxy.url}/metrics`)).text();
  const history = await json(fetch(`${proxy.url}/stats-history?history_mode=full`));
  return { stats, metricsText, metrics: samples(metricsText), history };
}

describe("one ledger behind /stats, /metrics and /stats-history", () => {
  test("after a mixed workload every endpoint reports the same figures, and promtool accepts /metrics", async () => {
    await mixedWorkload();
    const { stats, metrics, metricsText, history } = await snapshot();

    expect(stats.requests).toMatchObject({
      total: 5,
      rejected: 1,
      upstream_errors: 1,
      aborted: 1,
      compressed: 1,
      streamed: 3,
    });
    expect(stats.requests.by_provider).toEqual({ anthropic: 2, openai: 3 });
    expect(stats.requests.by_agent).toMatchObject({ "claude-code": 4, codex: 1 });
    expect(stats.tokens.proxy_compression_saved).toBeGreaterThan(1000);
    expect(stats.tokens.estimated_usage_requests).toBeGreaterThanOrEqual(1);
    expect(stats.savings.per_project.shop.requests).toBe(5);

    // /metrics counters equal the session view.
    expect(sum(metrics, "headroom_requests_total")).toBe(stats.requests.total);
    expect(metrics.get("headroom_requests_rejected_total")).toBe(1);
    expect(metrics.get('headroom_tokens_saved_by_layer_total{layer="proxy"}')).toBe(
      stats.tokens.proxy_compression_saved,
    );
    expect(metrics.get("headroom_tokens_saved_total")).toBe(stats.tokens.proxy_compression_saved);
    expect(sum(metrics, "headroom_input_tokens_total")).toBe(stats.tokens.input);
    expect(sum(metrics, "headroom_output_tokens_total")).toBe(stats.tokens.output);
    expect(metrics.get('headroom_errors_total{kind="aborted"}')).toBe(1);
    expect(metrics.get("headroom_request_duration_seconds_count")).toBe(5);
    expect(metrics.get("headroom_compression_ratio_count")).toBe(1);
    // Lifetime gauges equal /stats' lifetime and /stats-history's lifetime.
    expect(metrics.get("headroom_lifetime_requests")).toBe(
      stats.persistent_savings.lifetime.requests,
    );
    expect(history.lifetime.requests).toBe(stats.persistent_savings.lifetime.requests);
    // Store health and the retrieval store's size, as /stats reports them.
    for (const store of ["originals", "decisions", "ledger"]) {
      expect(metrics.get(`headroom_store_up{store="${store}"}`)).toBe(1);
      expect(metrics.get(`headroom_store_errors_total{store="${store}"}`)).toBe(0);
    }
    expect(metrics.get("headroom_ccr_entries")).toBe(stats.compression.ccr_entries);
    expect(metrics.get("headroom_ccr_entries")).toBeGreaterThan(0);
    expect(metrics.get("headroom_ccr_bytes")).toBe(stats.compression.ccr_bytes);
    expect(history.lifetime.tokens_saved).toBe(stats.persistent_savings.lifetime.tokens_saved);
    // The roll-ups and the per-request history add up to the same totals.
    const hourly = history.series.hourly as { requests: number; tokens_saved: number }[];
    expect(hourly.reduce((a, p) => a + p.requests, 0)).toBe(5);
    expect(hourly.reduce((a, p) => a + p.tokens_saved, 0)).toBe(
      stats.tokens.proxy_compression_saved,
    );
    expect(history.history).toHaveLength(5);
    expect(history.history.at(-1).cumulative_tokens_saved).toBe(
      stats.tokens.proxy_compression_saved,
    );

    expect(promtoolFindings(metricsText).unexpected).toEqual([]);
  });

  test("the live feed lists compression events without content; CSV history downloads; bad parameters are 400", async () => {
    const feed = await json(fetch(`${proxy.url}/transformations/feed?limit=10`));
    expect(feed.log_messages).toBe(false);
    expect(feed.transformations.length).toBeGreaterThanOrEqual(1);
    expect(feed.transformations[0]).toMatchObject({
      model: "claude-sonnet-4-5",
      tool: "Bash",
      strategy: expect.stringContaining("log"),
    });
    expect(feed.transformations[0].tokens_after).toBeLessThan(
      feed.transformations[0].tokens_before,
    );
    expect(JSON.stringify(feed)).not.toContain("card declined");

    const csv = await fetch(`${proxy.url}/stats-history?format=csv&series=daily`);
    expect(csv.headers.get("content-disposition")).toBe(
      'attachment; filename="headroom-stats-history-daily.csv"',
    );
    const lines = (await csv.text()).trim().split("\n");
    // The original Headroom's columns first, in its order; headroom's own after them.
    expect(lines[0]).toStartWith(
      "timestamp,tokens_saved,compression_savings_usd_delta,total_tokens_saved,compression_savings_usd,total_input_tokens_delta,total_input_tokens,total_input_cost_usd_delta,total_input_cost_usd,requests",
    );
    expect(lines.length).toBe(2);
    expect((await fetch(`${proxy.url}/stats-history?series=yearly`)).status).toBe(422);
    expect((await fetch(`${proxy.url}/stats?cached=maybe`)).status).toBe(422);
    const cached = await json(fetch(`${proxy.url}/stats?cached=true`));
    expect(cached.requests).toBeDefined();
  });

  test("after a restart the lifetime view is unchanged and the session starts at zero", async () => {
    const before = await snapshot();
    await proxy.stop();
    proxy = serveApp({ upstream: upstream.url, ledger: openLedger() });
    const after = await snapshot();
    expect(after.stats.persistent_savings.lifetime).toEqual(
      before.stats.persistent_savings.lifetime,
    );
    expect(after.history.lifetime).toEqual({ ...before.history.lifetime });
    expect(after.stats.requests.total).toBe(0);
    expect(sum(after.metrics, "headroom_requests_total")).toBe(0);
    expect(after.metrics.get("headroom_lifetime_requests")).toBe(
      before.stats.persistent_savings.lifetime.requests,
    );
    // The display session survives: it is activity without an hour's gap, from the ledger.
    expect(after.stats.display_session.requests).toBe(before.stats.display_session.requests);
  });

  test("/stats/reset empties the session view, never the lifetime ledger", async () => {
    await (await post("/v1/chat/completions", { model: "gpt-4o", messages: [] })).text();
    await waitFor(() => dataPlane() === 1);
    const lifetime = (await json(fetch(`${proxy.url}/stats`))).persistent_savings.lifetime.requests;
    const reset = await fetch(`${proxy.url}/stats/reset`, {
      method: "POST",
      headers: { "content-type": "application/json" },
    });
    expect(reset.status).toBe(200);
    const stats = await json(fetch(`${proxy.url}/stats`));
    expect(stats.requests.total).toBe(0);
    expect(stats.persistent_savings.lifetime.requests).toBe(lifetime);
  });
});
