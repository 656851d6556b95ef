/**
 * A user moving from the original Headroom keeps their lifetime savings and request history: on
 * the first start the executable carries `proxy_savings.json` and the original's request log
 * (`--log-file`, tests/fixtures/original-interface/request-log.jsonl) into its ledger, says so
 * once, never imports them twice, and starts regardless when a file cannot be read.
 */

import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { IMPORT_MARKER } from "../../src/cli/import-original-savings.ts";
import { makeSandbox } from "../helpers/agent-env.ts";
import { startBinary } from "../helpers/binary.ts";
import { json } from "../helpers/http.ts";

const DAY = 86_400_000;
/** An ISO time `days` ago, at second precision as the original writes them. */
const daysAgo = (days: number) =>
  new Date(Math.floor((Date.now() - days * DAY) / 1000) * 1000).toISOString().replace(".000", "");

// A proxy_savings.json as the original writes it (schema 3), with one legacy array checkpoint;
// recent enough for headroom to keep its raw rows (older ones live on in the roll-ups only).
const ORIGINAL = {
  schema_version: 3,
  lifetime: {
    requests: 412,
    tokens_saved: 1_830_021,
    compression_savings_usd: 5.49,
    total_input_tokens: 9_120_345,
    total_input_cost_usd: 31.2,
  },
  display_session: { requests: 0, tokens_saved: 0, started_at: null, last_activity_at: null },
  history: [
    [daysAgo(10), 1_000_000, 3.0, 5_000_000, 17.0],
    {
      timestamp: daysAgo(5),
      provider: "anthropic",
      model: "claude-sonnet-4-5",
      total_tokens_saved: 1_500_000,
      compression_savings_usd: 4.5,
      total_input_tokens: 8_000_000,
      total_input_cost_usd: 27.0,
    },
    {
      timestamp: daysAgo(1),
      provider: "openai",
      model: "gpt-4o",
      total_tokens_saved: 1_830_021,
      compression_savings_usd: 5.49,
      total_input_tokens: 9_000_000,
      total_input_cost_usd: 30.0,
    },
  ],
  projects: {},
};

const importLines = (lines: string[]) => lines.filter((line) => line.includes("original Headroom"));

/** A time as the original wrote it in its request log: local, no offset, microseconds. */
function naiveLocal(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, "0")}000`;
}

const LOG_FIXTURE = readFileSync(
  join(import.meta.dir, "..", "fixtures", "original-interface", "request-log.jsonl"),
  "utf8",
);
/** The fixture log moved so its first entry was two days ago (inside the ledger's retention). */
const LOG_SHIFT = Date.now() - 2 * DAY - Date.parse("2026-07-01T09:58:40.123456");
const REQUEST_LOG = LOG_FIXTURE.replace(
  /"timestamp": "([^"]+)"/g,
  (_, ts: string) => `"timestamp": "${naiveLocal(Date.parse(ts) + LOG_SHIFT)}"`,
);
/** When each readable entry happened, as headroom reads it. */
const LOGGED_AT = [...REQUEST_LOG.matchAll(/"timestamp": "([^"]+)"/g)].map((m) =>
  Date.parse(m[1]!),
);
/** The fixture's six readable entries. */
const LOGGED = {
  entries: 6,
  tokensSaved: 18_097 + 30_000 + 5_000,
  inputTokens: 30_114 + 12_000 + 60_000 + 0 + 5_000 + 15_000,
  models: [
    "claude-sonnet-4-5",
    "gpt-4o",
    "claude-sonnet-4-5",
    "gpt-4o",
    "claude-sonnet-4-5",
    "gpt-4o",
  ],
};

describe("importing the original Headroom's proxy_savings.json and request log", () => {
  test("the first start carries the lifetime over and says so; the next start does not again", async () => {
    const { workspace } = makeSandbox("import");
    mkdirSync(workspace, { recursive: true });
    const file = join(workspace, "proxy_savings.json");
    writeFileSync(file, JSON.stringify(ORIGINAL));
    const env = { HEADROOM_WORKSPACE_DIR: workspace };

    const first = await startBinary([], env);
    const stats = await json(fetch(`${first.url}/stats`));
    const history = await json(fetch(`${first.url}/stats-history`));
    const metrics = await (await fetch(`${first.url}/metrics`)).text();
    await first.stop();
    expect(stats.persistent_savings.lifetime).toMatchObject({
      requests: 412,
      tokens_saved: 1_830_021,
      compression_savings_usd: 5.49,
      total_input_tokens: 9_120_345,
      total_input_cost_usd: 31.2,
    });
    expect(stats.imported_from).toMatchObject({ path: file, requests: 412, history_points: 3 });
    // The session starts at zero: imported figures are history, not this session's traffic.
    expect(stats.requests.total).toBe(0);
    expect(stats.recent_requests).toEqual([]);
    expect(importLines(first.lines)).toHaveLength(1);
    expect(JSON.parse(importLines(first.lines)[0]!)).toMatchObject({
      level: "info",
      path: file,
      tokens_saved: 1_830_021,
    });
    // The checkpoints land where they happened, and the cumulative figures continue them.
    expect(history.lifetime.tokens_saved).toBe(1_830_021);
    expect(
      history.history.map((p: { total_tokens_saved: number }) => p.total_tokens_saved),
    ).toEqual([1_000_000, 1_500_000, 1_830_021, 1_830_021]);
    const daily = history.series.daily as { tokens_saved: number }[];
    expect(daily.map((p) => p.tokens_saved)).toEqual([1_000_000, 500_000, 330_021]);
    expect(history.series.daily.at(-1).total_input_tokens).toBe(9_120_345);
    expect(metrics).toContain("headroom_lifetime_requests 412");
    // The original's file is read, never changed.
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(ORIGINAL);
    expect(existsSync(join(workspace, IMPORT_MARKER))).toBe(true);

    const second = await startBinary([], env);
    const again = await json(fetch(`${second.url}/stats`));
    await second.stop();
    expect(again.persistent_savings.lifetime.requests).toBe(412);
    expect(again.persistent_savings.lifetime.tokens_saved).toBe(1_830_021);
    expect(again.imported_from.imported_at).toBe(stats.imported_from.imported_at);
    expect(importLines(second.lines)).toEqual([]);
  });

  test("a malformed file (here at HEADROOM_SAVINGS_PATH) is reported and skipped; the proxy serves", async () => {
    const { workspace, root } = makeSandbox("import-bad");
    const file = join(root, "elsewhere.json");
    writeFileSync(file, '{"lifetime": {"requests": "many"');
    const proxy = await startBinary([], {
      HEADROOM_WORKSPACE_DIR: workspace,
      HEADROOM_SAVINGS_PATH: file,
    });
    const stats = await json(fetch(`${proxy.url}/stats`));
    await proxy.stop();
    expect(stats.persistent_savings.lifetime.requests).toBe(0);
    expect(stats.imported_from).toBeUndefined();
    const lines = importLines(proxy.lines).map((line) => JSON.parse(line));
    expect(lines).toEqual([
      expect.objectContaining({
        level: "warn",
        path: file,
        reason: expect.stringContaining("JSON"),
      }),
    ]);
    expect(existsSync(join(workspace, IMPORT_MARKER))).toBe(false);
  });

  test("the request log given by --log-file comes in with it, once, each entry where it happened", async () => {
    const { workspace, root } = makeSandbox("import-log");
    mkdirSync(workspace, { recursive: true });
    const logFile = join(root, "requests.jsonl");
    writeFileSync(logFile, REQUEST_LOG);
    const env = { HEADROOM_WORKSPACE_DIR: workspace };

    const first = await startBinary(["--log-file", logFile], env);
    const stats = await json(fetch(`${first.url}/stats`));
    const history = await json(fetch(`${first.url}/stats-history`));
    await first.stop();
    expect(stats.persistent_savings.lifetime).toMatchObject({
      requests: LOGGED.entries,
      tokens_saved: LOGGED.tokensSaved,
      total_input_tokens: LOGGED.inputTokens,
    });
    expect(stats.imported_from).toMatchObject({
      path: null,
      request_log: { path: logFile, entries: LOGGED.entries },
      request_log_entries: LOGGED.entries,
    });
    // Said once, on stderr, with the unreadable (truncated) last line counted.
    expect(importLines(first.lines).map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({
        level: "info",
        msg: "imported the original Headroom's request log",
        request_log: logFile,
        request_log_entries: 6,
        request_log_unreadable_lines: 1,
      }),
    ]);
    // Each entry is a point of the history, dated and attributed as the original logged it.
    expect(history.history.map((p: { timestamp: string }) => Date.parse(p.timestamp))).toEqual(
      LOGGED_AT.map((ts) => Math.floor(ts)),
    );
    expect(history.history.map((p: { model: string }) => p.model)).toEqual(LOGGED.models);
    expect(history.history.at(-1).total_tokens_saved).toBe(LOGGED.tokensSaved);
    // The session starts at zero: the log is history, not this session's traffic.
    expect(stats.requests.total).toBe(0);
    expect(stats.recent_requests).toEqual([]);

    // headroom appended its own lines to the same file; the next start imports nothing again.
    expect(readFileSync(logFile, "utf8").startsWith(REQUEST_LOG)).toBe(true);
    expect(readFileSync(logFile, "utf8").length).toBeGreaterThan(REQUEST_LOG.length);
    const second = await startBinary([], { ...env, HEADROOM_LOG_FILE: logFile });
    const again = await json(fetch(`${second.url}/stats`));
    await second.stop();
    expect(again.persistent_savings.lifetime.requests).toBe(LOGGED.entries);
    expect(importLines(second.lines)).toEqual([]);
  });

  test("with proxy_savings.json too: the log's entries stand for its span, the lifetime adds up", async () => {
    const { workspace, root } = makeSandbox("import-both");
    mkdirSync(workspace, { recursive: true });
    const logFile = join(root, "requests.jsonl");
    writeFileSync(logFile, REQUEST_LOG);
    // One checkpoint before the log began, three during it (the entries that saved tokens), and
    // four earlier requests that saved nothing: eleven requests in all.
    const during = (i: number) => new Date(LOGGED_AT[i]!).toISOString().replace(/\.\d+Z$/, "Z");
    const savings = {
      schema_version: 3,
      lifetime: {
        requests: 11,
        tokens_saved: 100_000 + LOGGED.tokensSaved,
        compression_savings_usd: 0.3,
        total_input_tokens: 400_000 + LOGGED.inputTokens + 20_000,
        total_input_cost_usd: 1.2,
      },
      history: [
        { timestamp: daysAgo(10), total_tokens_saved: 100_000, total_input_tokens: 400_000 },
        { timestamp: during(0), total_tokens_saved: 118_097, total_input_tokens: 430_114 },
        { timestamp: during(2), total_tokens_saved: 148_097, total_input_tokens: 502_114 },
        { timestamp: during(5), total_tokens_saved: 153_097, total_input_tokens: 522_114 },
      ],
    };
    writeFileSync(join(workspace, "proxy_savings.json"), JSON.stringify(savings));

    const proxy = await startBinary(["--log-file", logFile], { HEADROOM_WORKSPACE_DIR: workspace });
    const stats = await json(fetch(`${proxy.url}/stats`));
    const history = await json(fetch(`${proxy.url}/stats-history`));
    await proxy.stop();
    expect(stats.persistent_savings.lifetime).toMatchObject({
      requests: 11,
      tokens_saved: savings.lifetime.tokens_saved,
      total_input_tokens: savings.lifetime.total_input_tokens,
    });
    expect(stats.imported_from).toMatchObject({ history_points: 4, request_log_entries: 6 });
    expect(importLines(proxy.lines)).toHaveLength(1);
    // The checkpoint before the log, then the log's six entries, then the rest of the lifetime:
    // the checkpoints inside the log's span are not counted twice.
    const saved = history.history.map((p: { total_tokens_saved: number }) => p.total_tokens_saved);
    expect(saved).toEqual([100_000, 118_097, 118_097, 148_097, 148_097, 148_097, 153_097, 153_097]);
    expect(history.history.at(-1).total_input_tokens).toBe(savings.lifetime.total_input_tokens);
  });

  test("a log holding only headroom's own lines imports nothing, and says nothing", async () => {
    const { workspace, root } = makeSandbox("import-own-log");
    const logFile = join(root, "headroom.log");
    const env = { HEADROOM_WORKSPACE_DIR: workspace, HEADROOM_LOG_FILE: logFile };
    const first = await startBinary([], env);
    await first.stop();
    expect(readFileSync(logFile, "utf8")).toContain('"msg":"listening"');
    const second = await startBinary([], env);
    const stats = await json(fetch(`${second.url}/stats`));
    await second.stop();
    expect(stats.imported_from).toBeUndefined();
    expect(importLines([...first.lines, ...second.lines])).toEqual([]);
    expect(existsSync(join(workspace, IMPORT_MARKER))).toBe(false);
  });
});
