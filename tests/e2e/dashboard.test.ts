/**
 * The dashboard: one self-contained page that shows exactly what /stats, /stats-history and
 * /transformations/feed say, drawn in headless Chromium against a proxy in front of a fake
 * upstream, without a single request leaving the proxy's origin.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { DASHBOARD_CSP } from "../../src/app/dashboard-route.ts";
import { dashboardHtml } from "../../src/assets.ts";
import { type RunningServer, serveWithBun } from "../../src/runtime/bun-server.ts";
import type { LedgerRow } from "../../src/stats/ledger-row.ts";
import { MemoryLedgerStore } from "../../src/store/memory-ledger.ts";
import { FakeUpstream } from "../helpers/fake-upstream.ts";
import { json } from "../helpers/http.ts";
import { type BuiltApp, buildApp, waitFor } from "../helpers/proxy.ts";
import { anthropicStream } from "../helpers/wire.ts";

const SCREENSHOT = join(import.meta.dir, "..", "..", "dist", "dashboard.png");
const DAY = 86_400_000;

/** A ledger row from days ago, so the lifetime view and the charts hold more than this session. */
function pastRow(daysAgo: number, model: string, saved: number): LedgerRow {
  const before = saved * 3;
  return {
    ts: Date.now() - daysAgo * DAY,
    layer: "proxy",
    provider: model.startsWith("gpt") ? "openai" : "anthropic",
    model,
    api: model.startsWith("gpt") ? "chat" : "messages",
    agent: "claude-code",
    userAgent: null,
    project: "archive",
    stack: null,
    auth: null,
    tokensBefore: before,
    tokensAfter: before - saved,
    tokensSaved: saved,
    compressibleTokens: saved * 2,
    inputTokens: before - saved,
    outputTokens: 200,
    cacheReadTokens: 500,
    cacheWriteTokens: 0,
    usageEstimated: false,
    overheadMs: 2,
    ttfbMs: 300,
    durationMs: 900,
    transforms: "log:select",
    status: 200,
    outcome: "ok",
    streamed: false,
    aborted: false,
    cached: false,
    retrievals: 0,
    overBudget: 0,
    shaping: "",
    cacheRewrite: "",
    costUsd: 0.004,
    savedUsd: (saved * 3) / 1_000_000,
  };
}

const bigLog = Array.from({ length: 300 }, (_, i) =>
  i === 222
    ? "ERROR payment job 222 failed: card declined"
    : `2026-11-26T08:00:${String(i % 60).padStart(2, "0")}Z INFO job ${i} ok`,
).join("\n");
const bigJson = JSON.stringify(
  Array.from({ length: 200 }, (_, i) => ({
    id: i,
    name: `user-${i}`,
    email: `user${i}@example.com`,
    status: i === 77 ? "error" : "active",
    score: (i * 37) % 100,
  })),
);

const upstream = new FakeUpstream();
let built: BuiltApp;
let server: RunningServer;
let serverStopped = false;
let origin: string;
let browser: Browser;
let page: Page;
const requested: string[] = [];
const pageErrors: string[] = [];
const consoleErrors: string[] = [];

function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${origin}${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "user-agent": "claude-cli/2.1.0 (external, cli)",
      "x-headroom-project": "shop",
      ...headers,
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  }).then((res) => res.text());
}

/** Compressed, streamed, estimated-usage, failed, rejected and aborted requests. */
async function mixedWorkload(): Promise<void> {
  upstream.usage = { input: 1800, output: 240, cacheRead: 1200, cacheWrite: 300 };
  await post("/v1/messages", {
    model: "claude-sonnet-4-5",
    messages: [
      { role: "user", content: "why did the payment job fail?" },
      { role: "assistant", content: [{ type: "tool_use", id: "t1", name: "Bash", input: {} }] },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content: bigLog }] },
    ],
  });
  upstream.usage = { input: 2400, output: 310, cacheRead: 0, cacheWrite: 0 };
  await post(
    "/v1/chat/completions",
    {
      model: "gpt-4o",
      messages: [
        { role: "user", content: "which users are in error?" },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            { id: "c1", type: "function", function: { name: "list_users", arguments: "{}" } },
          ],
        },
        { role: "tool", tool_call_id: "c1", content: bigJson },
      ],
    },
    { "x-client": "codex", "x-headroom-project": "api" },
  );
  upstream.usage = { input: 300, output: 40, cacheRead: 0, cacheWrite: 0 };
  await post(
    "/v1/chat/completions",
    { model: "gpt-4o", stream: true, stream_options: { include_usage: true }, messages: [] },
    { "x-client": "aider", "x-headroom-project": "api" },
  );
  await post("/v1/chat/completions", { model: "gpt-4o", stream: true, messages: [] });
  upstream.once(() => new Response('{"error":{"message":"boom"}}', { status: 500 }));
  await post("/v1/responses", { model: "gpt-5" });
  await post("/v1/messages", "{not json");
  upstream.once(() =>
    upstream.stream(anthropicStream({ kind: "text", text: "a long answer" }, "m"), {
      stopAfter: 2,
      ending: "stall",
    }),
  );
  const res = await fetch(`${origin}/v1/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", "user-agent": "claude-cli/2.1.0" },
    body: JSON.stringify({ model: "claude-sonnet-4-5", stream: true }),
  });
  const reader = res.body!.getReader();
  await reader.read();
  await reader.cancel();
  await waitFor(() => built.exchanges.filter((e) => e.outcome !== "local").length === 7);
}

beforeAll(async () => {
  const ledger = new MemoryLedgerStore();
  ledger.insert(pastRow(9, "claude-opus-4-5", 12_000));
  ledger.insert(pastRow(3, "claude-sonnet-4-5", 8_000));
  ledger.insert(pastRow(2, "gpt-4o", 5_000));
  built = buildApp({ upstream: upstream.url, ledger, dashboardHtml });
  server = serveWithBun(built.app, "127.0.0.1", 0);
  origin = `http://127.0.0.1:${server.port}`;
  await mixedWorkload();

  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, colorScheme: "dark" });
  // The page's timers run on Playwright's clock: real time until a test pauses it.
  await page.clock.install();
  page.on("request", (request) => requested.push(request.url()));
  page.on("pageerror", (error) => pageErrors.push(error.message));
  // A CSP violation or a failed load (a missing favicon, say) shows up as a console error.
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (!serverStopped) await server?.stop(0);
  upstream.stop();
});

/** The raw value a key figure carries (the page formats the text, the attribute is verbatim). */
async function figure(testid: string): Promise<string | null> {
  return page.locator(`[data-testid="${testid}"]`).first().getAttribute("data-value");
}

// biome-ignore lint/suspicious/noExplicitAny: /stats is arbitrary JSON here
type Json = any;

/** Key figures of the page and the /stats field each must equal. */
function expectedFigures(stats: Json): Record<string, unknown> {
  const life = stats.persistent_savings.lifetime;
  const d = stats.display_session;
  return {
    "session-tokens-saved": stats.tokens.saved,
    "session-dollars-saved": stats.cost.total_saved_usd,
    "session-savings-percent": stats.tokens.savings_percent,
    "session-requests": stats.requests.total,
    "display-tokens-saved": d.tokens_saved,
    "display-dollars-saved": d.compression_savings_usd,
    "display-savings-percent": d.savings_percent,
    "display-requests": d.requests,
    "lifetime-tokens-saved": life.tokens_saved,
    "lifetime-dollars-saved": life.compression_savings_usd,
    "lifetime-savings-percent": life.savings_percent,
    "lifetime-requests": life.requests,
    "requests-total": stats.requests.total,
    "requests-compressed": stats.requests.compressed,
    "requests-streamed": stats.requests.streamed,
    "requests-cached": stats.requests.cached,
    "requests-retrievals": stats.requests.retrievals,
    "outputs-over-budget": stats.compressions.over_budget,
    "cache-rewrites-caused": stats.cache_rewrites_caused.total,
    compactions: stats.compaction.compactions,
    "compaction-tokens-saved": stats.compaction.tokens_saved,
    "compaction-saved-usd": stats.compaction.saved_usd,
    "requests-upstream-errors": stats.requests.upstream_errors,
    "requests-failed": stats.requests.failed,
    "requests-aborted": stats.requests.aborted,
    "requests-rejected": stats.requests.rejected,
    "cost-without": stats.cost.without_headroom_usd,
    "cost-with": stats.cost.with_headroom_usd,
    "cost-compression-saved": stats.cost.compression_savings_usd,
    "cost-cli-saved": stats.cost.cli_savings_usd,
    "cost-total-saved": stats.cost.total_saved_usd,
    "cost-unpriced": stats.cost.unpriced_requests,
    "tokens-before": stats.tokens.total_before_compression,
    "tokens-input": stats.tokens.input,
    "tokens-output": stats.tokens.output,
    "tokens-proxy-saved": stats.tokens.proxy_compression_saved,
    "tokens-cli-saved": stats.tokens.cli_filtering_saved,
    "tokens-proxy-savings-percent": stats.tokens.proxy_savings_percent,
    "tokens-compressible": stats.tokens.compressible,
    "tokens-compressible-savings-percent": stats.tokens.compressible_savings_percent,
    "tokens-estimated-usage": stats.tokens.estimated_usage_requests,
    "latency-average": stats.latency.average_ms,
    "latency-p50": stats.latency.p50_ms_at_most,
    "latency-p95": stats.latency.p95_ms_at_most,
    "ttfb-average": stats.ttfb.average_ms,
    "ttfb-p50": stats.ttfb.p50_ms_at_most,
    "ttfb-p95": stats.ttfb.p95_ms_at_most,
    "overhead-average": stats.overhead.average_ms,
    "overhead-p50": stats.overhead.p50_ms_at_most,
    "overhead-p95": stats.overhead.p95_ms_at_most,
    "ccr-entries": stats.compression.ccr_entries,
    "ccr-bytes": stats.compression.ccr_bytes,
    "ccr-retrievals": stats.compression.ccr_retrievals,
    "ccr-misses": stats.compression.ccr_misses,
  };
}

/** Rows of a table the page drew, keyed by data-key, with each cell's raw data-value. */
async function rows(testid: string): Promise<Record<string, Record<string, string>>> {
  return page.$$eval(`[data-testid="${testid}"]`, (nodes) =>
    Object.fromEntries(
      nodes.map((node) => [
        node.getAttribute("data-key") ?? "",
        Object.fromEntries(
          [...node.querySelectorAll("[data-field][data-value]")].map((cell) => [
            cell.getAttribute("data-field") ?? "",
            cell.getAttribute("data-value") ?? "",
          ]),
        ),
      ]),
    ),
  );
}

describe("GET /dashboard", () => {
  test("serves one self-contained HTML page under a strict Content-Security-Policy", async () => {
    const res = await fetch(`${origin}/dashboard`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("content-security-policy")).toBe(DASHBOARD_CSP);
    expect(DASHBOARD_CSP).toBe(
      "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    const html = await res.text();
    expect(html).toBe(dashboardHtml);
    expect(html).toStartWith("<!doctype html>");
    // Nothing to load from anywhere: no external scripts, styles, fonts or images.
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+rel="stylesheet"|@import|@font-face/i);
    const urls = html.match(/\b(?:https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}[^\s"'<>)]*/gi) ?? [];
    expect(urls.filter((url) => !url.endsWith("//www.w3.org/2000/svg"))).toEqual([]);
  });

  test("shows exactly what /stats, /stats-history and the feed say, and fetches only from the proxy", async () => {
    const stats: Json = await json(fetch(`${origin}/stats`));
    const history: Json = await json(fetch(`${origin}/stats-history?history_mode=none`));
    const feed: Json = await json(fetch(`${origin}/transformations/feed?limit=50`));
    expect(stats.requests.total).toBe(6);
    expect(stats.requests.compressed).toBe(2);
    expect(stats.persistent_savings.lifetime.requests).toBe(9);
    expect(feed.transformations.length).toBe(2);

    await page.goto(`${origin}/dashboard`);
    const expected = expectedFigures(stats);
    // ?cached=true may serve a snapshot up to two seconds old: wait until the page caught up.
    await page.waitForFunction(
      `(() => {
        const want = ${JSON.stringify(expected)};
        const raw = (id) => document.querySelector('[data-testid="' + id + '"]')?.getAttribute("data-value");
        return Object.entries(want).every(([id, value]) => raw(id) === String(value)) &&
          document.querySelectorAll('[data-testid="feed-entry"]').length > 0 &&
          document.querySelectorAll('[data-testid="chart-bar"]').length > 0;
      })()`,
      undefined,
      { timeout: 20_000, polling: 100 },
    );
    for (const [id, value] of Object.entries(expected)) {
      expect({ id, value: await figure(id) }).toEqual({ id, value: String(value) });
    }

    // The text is a faithful rendering of that value.
    const text = (id: string) => page.locator(`[data-testid="${id}"]`).first().textContent();
    expect(await text("requests-total")).toBe(String(stats.requests.total));
    expect(await text("session-savings-percent")).toBe(`${stats.tokens.savings_percent}%`);
    expect(await text("lifetime-requests")).toBe(
      String(stats.persistent_savings.lifetime.requests),
    );
    expect(await text("session-dollars-saved")).toBe(`$${stats.cost.total_saved_usd.toFixed(2)}`);
    // Token counts read as k/M with the exact count on hover.
    const saved = stats.tokens.saved as number;
    const shown = (await text("session-tokens-saved")) ?? "";
    expect(shown).toMatch(/^\d+(\.\d+)?[kM]?$/);
    const scale = shown.endsWith("M") ? 1e6 : shown.endsWith("k") ? 1e3 : 1;
    expect(Math.abs(Number.parseFloat(shown) * scale - saved)).toBeLessThanOrEqual(saved * 0.005);
    expect(await page.locator('[data-testid="session-tokens-saved"]').getAttribute("title")).toBe(
      saved.toLocaleString("en-US"),
    );

    // Breakdowns: one row per model, agent and project with requests, carrying /stats' figures.
    const models = await rows("model-row");
    const perModel = stats.savings.per_model as Record<string, Json>;
    const active = Object.keys(perModel).filter((name) => perModel[name].requests > 0);
    expect(Object.keys(models).sort()).toEqual(active.sort());
    for (const name of active) {
      expect(models[name]).toMatchObject({
        requests: String(perModel[name].requests),
        tokens_saved: String(perModel[name].tokens_saved),
        savings_percent: String(perModel[name].savings_percent),
        compression_savings_usd: String(perModel[name].compression_savings_usd),
      });
    }
    const agents = await rows("agent-row");
    for (const agent of stats.agent_usage.agents as Json[]) {
      expect(agents[agent.agent]).toMatchObject({
        requests: String(agent.requests),
        tokens_saved: String(agent.tokens_saved),
        share_of_saved_percent: String(agent.share_of_saved_percent),
      });
    }
    const projects = await rows("project-row");
    expect(Object.keys(projects).sort()).toEqual(Object.keys(stats.savings.per_project).sort());
    expect(projects.shop).toMatchObject({
      requests: String(stats.savings.per_project.shop.requests),
      tokens_saved: String(stats.savings.per_project.shop.tokens_saved),
    });
    await page.click('#project-view button[data-v="lifetime"]');
    const lifetimeProjects = await rows("project-row");
    expect(lifetimeProjects.archive?.requests).toBe(
      String(stats.persistent_savings.projects.archive.requests),
    );

    // Prefix-cache health per provider and compressions per strategy.
    const cache = await rows("cache-row");
    for (const [provider, figures] of Object.entries(
      stats.prefix_cache.by_provider as Record<string, Json>,
    )) {
      expect(cache[provider]).toEqual({
        requests: String(figures.requests),
        hit_requests: String(figures.hit_requests),
        hit_rate: String(figures.hit_rate),
        request_hit_rate: String(figures.request_hit_rate),
        cache_read_tokens: String(figures.cache_read_tokens),
        cache_write_tokens: String(figures.cache_write_tokens),
        input_tokens: String(figures.input_tokens),
      });
    }
    expect(cache.anthropic?.cache_read_tokens).toBe("1200");
    const strategies = await rows("strategy-row");
    for (const [strategy, count] of Object.entries(stats.compressions_by_strategy)) {
      expect(strategies[strategy]?.count).toBe(String(count));
    }

    // The savings chart: one bar per bucket of the daily series, each the bucket's tokens_saved.
    const daily = history.series.daily as Json[];
    expect(daily.length).toBeGreaterThanOrEqual(3);
    const bars = await page.$$eval('[data-testid="chart-bar"]', (nodes) =>
      nodes.map((node) => [node.getAttribute("data-ts"), node.getAttribute("data-value")]),
    );
    expect(bars).toEqual(daily.map((point) => [point.timestamp, String(point.tokens_saved)]));
    const dots = await page.$$eval('[data-testid="chart-point"]', (nodes) =>
      nodes.map((node) => Number(node.getAttribute("data-value"))),
    );
    expect(dots).toEqual(daily.filter((p) => p.saved_usd > 0).map((p) => p.saved_usd));
    await page.click('#granularity button[data-g="hourly"]');
    await page.waitForSelector('[data-testid="chart-tokens"][data-granularity="hourly"]');
    const hourlyBars = await page.$$eval('[data-testid="chart-bar"]', (nodes) =>
      nodes.map((node) => Number(node.getAttribute("data-value"))),
    );
    const hourly = history.series.hourly as Json[];
    // The hourly chart spans the last 48 hours: today's bucket is drawn, last week's is not.
    expect(hourlyBars.at(-1)).toBe(hourly.at(-1).tokens_saved);
    expect(hourlyBars.length).toBeLessThan(hourly.length);

    // The live feed and the recent requests.
    const entries = await page.$$eval('[data-testid="feed-entry"]', (nodes) =>
      nodes.map((node) => ({
        request_id: node.getAttribute("data-key"),
        tool: node.querySelector('[data-field="tool"]')?.textContent,
        strategy: node.querySelector('[data-field="strategy"]')?.textContent,
        tokens_saved: Number(
          node.querySelector('[data-field="tokens_saved"]')?.getAttribute("data-value"),
        ),
      })),
    );
    expect(entries).toEqual(
      (feed.transformations as Json[]).map((event) => ({
        request_id: event.request_id,
        tool: event.tool,
        strategy: event.strategy,
        tokens_saved: event.tokens_saved,
      })),
    );
    expect(entries.map((entry) => entry.tool).sort()).toEqual(["Bash", "list_users"]);
    const recent = await page.$$eval('[data-testid="recent-row"]', (nodes) =>
      nodes.map((node) => node.getAttribute("data-key")),
    );
    expect(recent).toEqual(stats.recent_requests.map((r: Json) => String(r.request_id)));

    // Nothing left the proxy's origin (no CDN, no fonts, no favicon elsewhere), and no script broke.
    expect(requested.length).toBeGreaterThan(3);
    expect(requested.filter((url) => !url.startsWith(`${origin}/`))).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(await page.locator('[data-testid="error-banner"]').isVisible()).toBe(false);

    await page.click('#granularity button[data-g="daily"]');
    await page.evaluate("window.scrollTo(0, 0)");
    mkdirSync(join(SCREENSHOT, ".."), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    const png = Bun.file(SCREENSHOT);
    expect(Buffer.from(await png.slice(0, 8).arrayBuffer()).toString("hex")).toBe(
      "89504e470d0a1a0a",
    );
    expect(statSync(SCREENSHOT).size).toBeGreaterThan(50_000);
  }, 60_000);

  test("stops polling while the tab is hidden and resumes when it is shown again", async () => {
    const polls = () => requested.filter((url) => url.includes("/stats?cached=true")).length;
    const setHidden = (hidden: boolean) =>
      page.evaluate(`(() => {
        Object.defineProperty(document, "hidden", { configurable: true, get: () => ${hidden} });
        Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "${hidden ? "hidden" : "visible"}" });
        document.dispatchEvent(new Event("visibilitychange"));
      })()`);
    // A request the page makes now is seen by the test only after the ones it made before.
    const settle = () => page.evaluate(`fetch("/health").then((res) => res.text())`);
    await setHidden(true);
    expect(await page.locator('[data-testid="status"]').textContent()).toContain("paused");
    // A little ahead of the page's clock: on a busy machine "now + 1 ms" is already the past
    // by the time the pause reaches the page, which Playwright refuses.
    await page.clock.pauseAt((await page.evaluate<number>("Date.now()")) + 2_000);
    await settle();
    const before = polls();
    // Longer than two polling intervals: a visible page would have asked at least twice.
    await page.clock.runFor(7_000);
    await settle();
    expect(polls()).toBe(before);
    await setHidden(false);
    await waitFor(() => polls() > before, 20_000);
    expect(await page.locator('[data-testid="status"]').textContent()).toContain("live");
    await page.clock.resume();
  }, 40_000);

  test("shows an error banner when the proxy stops answering", async () => {
    await server.stop(0);
    serverStopped = true;
    await page.waitForSelector('[data-testid="error-banner"]', {
      state: "visible",
      timeout: 20_000,
    });
    expect(await page.locator('[data-testid="status"]').textContent()).toContain("offline");
    // The last figures stay on screen.
    expect(await figure("requests-total")).toBe("6");
  }, 30_000);
});
