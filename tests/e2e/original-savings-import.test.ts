/**
 * A user moving from the original Headroom keeps their lifetime savings: on the first start the
 * executable carries `proxy_savings.json` into its ledger, says so once, never imports it twice,
 * and starts regardless when the file cannot be read.
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

describe("importing the original Headroom's proxy_savings.json", () => {
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
});
