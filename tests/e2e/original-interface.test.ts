/**
 * The original Headroom's interface, asserted against the compiled executable (dist/headroom)
 * over real sockets, driven by the data in tests/fixtures/original-interface: its /metrics
 * families and dashboard queries (metric-names.json), its /stats and /stats-history fields, CSV
 * downloads and validation answers (stats-fields.json), and its routing headers, project prefix
 * and response headers (routing-headers.json). Its launch lines run against the executable in
 * launch-lines.test.ts. The app-level suites (tests/app/original-*.test.ts) test the same data
 * in more detail; this one proves the shipped executable answers it.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import routing from "../fixtures/original-interface/routing-headers.json";
import stats from "../fixtures/original-interface/stats-fields.json";
import { makeSandbox, proxyEnv } from "../helpers/agent-env.ts";
import { type RunningBinary, startBinary } from "../helpers/binary.ts";
import {
  type Exposition,
  evaluate,
  familyProblems,
  GRAFANA_QUERIES,
  metricNames,
  ORIGINAL_METRICS,
  parseExposition,
  promtool,
} from "../helpers/exposition.ts";
import { FakeUpstream } from "../helpers/fake-upstream.ts";
import { fieldMismatches } from "../helpers/field-paths.ts";
import { json } from "../helpers/http.ts";
import { npmQueryRequest } from "../helpers/tool-output-request.ts";

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON
type Json = any;

const upstream = new FakeUpstream();
let proxy: RunningBinary;
let metrics: Exposition;
/** Each request sent in beforeAll, by name, with the answer's headers. */
const answers = new Map<string, Headers>();

const anthropic = (text: string, extra: Record<string, unknown> = {}) => ({
  method: "POST",
  headers: {
    "content-type": "application/json",
    "x-api-key": "sk-ant-test",
    "anthropic-version": "2023-06-01",
  },
  body: JSON.stringify({
    model: "claude-sonnet-4-5",
    max_tokens: 64,
    messages: [{ role: "user", content: text }],
    ...extra,
  }),
});

const chat = (text: string, headers: Record<string, string> = {}) => ({
  method: "POST",
  headers: { "content-type": "application/json", authorization: "Bearer sk-test", ...headers },
  body: JSON.stringify({ model: "gpt-4o", messages: [{ role: "user", content: text }] }),
});

/** Sends a request to the executable, reads the whole answer, and keeps its headers. */
async function send(name: string, path: string, init: RequestInit): Promise<Headers> {
  const res = await fetch(`${proxy.url}${path}`, init);
  expect(res.status, name).toBe(200);
  await res.text();
  answers.set(name, res.headers);
  return res.headers;
}

/** The upstream request `send` caused, the newest. */
const lastUpstream = () => upstream.requests.at(-1)!;

/** A fixture base URL moved onto the fake upstream: its origin replaced, its path kept. */
const onUpstream = (base: string) => base.replace(/^https?:\/\/[^/]+/, upstream.url);

/** What each override case reached upstream: path and query. */
const reached = new Map<string, string>();
const projectPaths = new Map<string, string>();

beforeAll(async () => {
  upstream.usage = { input: 900, output: 12, cacheRead: 600, cacheWrite: 100 };
  const sandbox = makeSandbox("original-interface");
  proxy = await startBinary(["--cache"], proxyEnv(upstream.url, sandbox.workspace));
  // Traffic the original's dashboards would see: prompt-cache reads (plain and streamed), a
  // response-cache hit, and compressed tool outputs, answered whole and streamed.
  await send("anthropic", "/v1/messages", anthropic("hello"));
  await send("cache hit", "/v1/messages", anthropic("hello"));
  await send("anthropic stream", "/v1/messages", anthropic("stream it", { stream: true }));
  await send("compressed", "/v1/chat/completions", npmQueryRequest("sk-one"));
  const streamed = npmQueryRequest("sk-two");
  streamed.body = JSON.stringify({ ...JSON.parse(streamed.body as string), stream: true });
  await send("compressed stream", "/v1/chat/completions", streamed);
  // The routing cases, each with its own body so the response cache answers none of them.
  for (const [i, c] of routing.upstream_overrides.entries()) {
    const headers: Record<string, string> = {
      ...c.headers,
      "x-headroom-base-url": onUpstream(c.headers["x-headroom-base-url"]),
    };
    await send(c.why, c.route, chat(`override ${i}`, headers));
    reached.set(
      c.why,
      `${lastUpstream().path}${lastUpstream().query ? `?${lastUpstream().query}` : ""}`,
    );
  }
  for (const [i, c] of routing.project_prefixes.entries()) {
    const init = c.path.includes("/v1/messages") ? anthropic(`project ${i}`) : chat(`project ${i}`);
    init.headers = { ...init.headers, ...(c.headers ?? {}) };
    await send(c.path, c.path, init);
    projectPaths.set(c.path, lastUpstream().path);
  }
  await send(
    "tagged",
    "/v1/chat/completions",
    chat("tagged", routing.recorded_request_headers.headers),
  );
  metrics = parseExposition(await (await fetch(`${proxy.url}/metrics`)).text());
}, 120_000);

afterAll(async () => {
  await proxy?.stop();
  upstream.stop();
});

describe("the executable's /metrics, as the original's dashboards read it", () => {
  test("every family of metric-names.json, with its type, labels and meaning", () => {
    expect(familyProblems(metrics)).toEqual([]);
    expect(metrics.samples.find((s) => s.series === "headroom_requests_total")?.value).toBe(
      answers.size,
    );
  });

  test.each([
    ["the original's dashboard queries", ORIGINAL_METRICS.queries],
    ["headroom's Grafana dashboard", GRAFANA_QUERIES],
  ])("%s select series (evaluated by promtool when installed)", (_name, queries) => {
    for (const query of queries)
      for (const name of metricNames(query))
        expect(
          metrics.samples.some((s) => s.name === name),
          `${name} in ${query}`,
        ).toBe(true);
    if (!promtool) {
      console.warn("promtool not installed (npm run setup:test): PromQL evaluation not run");
      return;
    }
    const result = evaluate(queries, metrics);
    expect(result.output).toContain("SUCCESS");
    expect(result.code).toBe(0);
  });
});

describe("the executable's /stats and /stats-history, as the original's clients read them", () => {
  test("every field of stats-fields.json, with its type", async () => {
    const body = await json(fetch(`${proxy.url}/stats`));
    expect(fieldMismatches(body, stats.stats)).toEqual([]);
    expect(fieldMismatches(body, stats.stats_loopback_only)).toEqual([]);
    const history = await json(fetch(`${proxy.url}/stats-history`));
    expect(fieldMismatches(history, stats.stats_history)).toEqual([]);
  });

  test("its CSV downloads: file names, content type, columns", async () => {
    for (const series of ["history", "hourly", "daily", "weekly", "monthly"]) {
      const res = await fetch(`${proxy.url}/stats-history?format=csv&series=${series}`);
      expect(res.headers.get("content-type")).toBe(stats.stats_history_csv.content_type);
      expect(res.headers.get("content-disposition")).toBe(
        `attachment; filename="${stats.stats_history_csv.filename.replace("{series}", series)}"`,
      );
      const header = (await res.text()).split("\n")[0]!.split(",");
      const columns = stats.stats_history_csv.columns[series === "history" ? "history" : "rollup"];
      expect(header.slice(0, columns.length)).toEqual(columns);
    }
  });

  test("a query it cannot take: 422, FastAPI's validation document", async () => {
    const bad = stats.stats_history_bad_query;
    const res = await fetch(`${proxy.url}/stats-history?${bad.query}`);
    expect(res.status).toBe(bad.status);
    expect(await res.json()).toEqual(bad.body);
  });
});

describe("the executable honours routing-headers.json", () => {
  for (const c of routing.upstream_overrides) {
    test(`x-headroom-base-url / x-headroom-original-path: ${c.why}`, () => {
      const want = new URL(c.upstream);
      expect(reached.get(c.why)).toBe(`${want.pathname}${want.search}`);
    });
  }

  test("the /p/<project>/ prefix: the route without it, the project as given", async () => {
    const recent = (await json(fetch(`${proxy.url}/stats`))).recent_requests as Json[];
    for (const c of routing.project_prefixes) {
      expect(projectPaths.get(c.path), c.path).toBe(c.upstream_path);
      expect(recent.map((r) => r.project)).toContain(c.project);
    }
  });

  test("x-headroom-user-id, -cwd and tags are in the ledger; no x-headroom-* goes upstream", async () => {
    const recent = (await json(fetch(`${proxy.url}/stats`))).recent_requests as Json[];
    const want = routing.recorded_request_headers;
    expect(recent).toContainEqual(
      expect.objectContaining({ user_id: want.user_id, cwd: want.cwd, tags: want.tags }),
    );
    for (const request of upstream.requests)
      expect([...request.headers.keys()].filter((k) => k.startsWith("x-headroom-"))).toEqual([]);
  });

  test("response headers: token figures on compressed answers, streamed too; the cache hit", () => {
    for (const name of ["compressed", "compressed stream"]) {
      const headers = answers.get(name)!;
      for (const header of routing.compressed_response_headers)
        expect(headers.get(header), `${header} on ${name}`).not.toBeNull();
      expect(Number(headers.get("x-headroom-tokens-saved"))).toBeGreaterThan(1000);
    }
    expect(answers.get("compressed stream")!.get("x-headroom-tokens-estimated")).toBe("true");
    for (const [header, value] of Object.entries(routing.cache_hit_response_headers))
      expect(answers.get("cache hit")!.get(header)).toBe(value);
    expect(answers.get("anthropic")!.get("x-headroom-cached")).toBeNull();
  });
});
