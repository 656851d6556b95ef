/**
 * The proxy's ledger writes rows behind the requests, in one transaction per interval: no row is
 * lost, /stats counts rows that are still waiting, and any read of stored rows writes them first.
 */

import { expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LedgerRow } from "../../src/stats/ledger-row.ts";
import { GuardedLedgerStore } from "../../src/store/guarded-ledger.ts";
import { openWorkspaceDatabase } from "../../src/store/sqlite-db.ts";
import { SqliteLedgerStore } from "../../src/store/sqlite-ledger.ts";
import { StoreStatus } from "../../src/store/store-status.ts";
import { json } from "../helpers/http.ts";
import { buildApp, waitFor } from "../helpers/proxy.ts";
import { anthropicMessage } from "../helpers/wire.ts";

test("rows wait for one batched write, count in /stats meanwhile, and are all stored", async () => {
  const db = openWorkspaceDatabase(mkdtempSync(join(tmpdir(), "headroom-write-behind-")));
  const stored = () => (db.query("SELECT count(*) AS n FROM ledger").get() as { n: number }).n;
  const ledger = new GuardedLedgerStore(
    new SqliteLedgerStore(db),
    new StoreStatus("ledger"),
    undefined,
    60_000,
  );
  const app = buildApp({
    ledger,
    fetch: async () =>
      new Response(anthropicMessage({ kind: "text", text: "ok" }, "claude-sonnet-4-5"), {
        headers: { "content-type": "application/json" },
      }),
  });
  const send = () =>
    app.request("/v1/messages", {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": "sk-ant-test" },
      body: JSON.stringify({ model: "claude-sonnet-4-5", messages: [] }),
    });
  for (let n = 0; n < 3; n++) await (await send()).text();
  await waitFor(() => app.exchanges.length === 3);
  // Nothing written yet (the interval is a minute here), yet the lifetime view counts all three.
  expect(stored()).toBe(0);
  expect(ledger.held).toBe(3);
  const stats = await json(app.request("/stats"));
  expect(stats.persistent_savings.lifetime.requests).toBe(3);
  // A read of stored rows writes the waiting ones first, in order.
  const newest = ledger.newest(10);
  expect(newest.map((r) => r.id)).toEqual([3, 2, 1]);
  expect(stored()).toBe(3);
  expect(ledger.held).toBe(0);
  expect((await json(app.request("/stats"))).persistent_savings.lifetime.requests).toBe(3);
});

test("with a short interval the rows are written on their own, without a read", async () => {
  const db = openWorkspaceDatabase(mkdtempSync(join(tmpdir(), "headroom-write-behind-")));
  const ledger = new GuardedLedgerStore(new SqliteLedgerStore(db), undefined, undefined, 20);
  const app = buildApp({
    ledger,
    fetch: async () => Response.json({ id: "x", usage: { input_tokens: 5, output_tokens: 1 } }),
  });
  await (
    await app.request("/v1/messages", {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": "sk-ant-test" },
      body: "{}",
    })
  ).text();
  await waitFor(() => ledger.held === 0 && app.exchanges.length === 1);
  expect((db.query("SELECT count(*) AS n FROM ledger").get() as { n: number }).n).toBe(1);
});

/** One of 40 varied ledger rows. */
function sampleRow(i = 0): LedgerRow {
  const HOUR = 3_600_000;
  return {
    ts: 1_764_000_000_000 + (i % 3) * HOUR + i * 1000,
    layer: i % 10 === 9 ? "cli" : "proxy",
    provider: i % 2 ? "openai" : "anthropic",
    model: ["gpt-4o", "claude-sonnet-4-5", "claude-opus-4-5"][i % 3]!,
    api: i % 2 ? "chat" : "messages",
    agent: i % 4 ? "claude-code" : "codex",
    userAgent: null,
    project: `p${i % 5}`,
    stack: null,
    auth: null,
    tokensBefore: 1000 + i,
    tokensAfter: 400 + i,
    tokensSaved: 600,
    compressibleTokens: 800,
    inputTokens: 400 + i,
    outputTokens: 50 + i,
    cacheReadTokens: i * 3,
    cacheWriteTokens: i % 7,
    usageEstimated: i % 6 === 0,
    overheadMs: i / 10,
    ttfbMs: 200 + i,
    durationMs: 900 + i,
    transforms: i % 2 ? "json:rows" : "log:select",
    status: i % 11 ? 200 : 500,
    outcome: i % 11 ? "ok" : "upstream_error",
    streamed: i % 3 === 0,
    aborted: false,
    cached: false,
    retrievals: i % 8 === 0 ? 1 : 0,
    overBudget: 0,
    shaping: "",
    cacheRewrite: i % 13 === 0 ? "retrieve_tool_added_mid_conversation" : "",
    costUsd: 0.001 * i,
    savedUsd: 0.0005 * i,
  };
}

test("a batch writes the same totals and hourly series as its rows one by one", () => {
  const rows = Array.from({ length: 40 }, (_, i) => sampleRow(i));
  const open = () =>
    new SqliteLedgerStore(
      openWorkspaceDatabase(mkdtempSync(join(tmpdir(), "headroom-ledger-batch-"))),
    );
  const single = open();
  for (const row of rows) single.insert(row);
  const batched = open();
  expect(batched.insertAll(rows)).toBe(rows.length);
  expect(batched.lifetime()).toEqual(single.lifetime());
  for (const granularity of ["hourly", "daily"] as const) {
    expect(batched.series(granularity)).toEqual(single.series(granularity));
  }
  expect(batched.newest(50)).toEqual(single.newest(50));
});

test("a database from before the cache-rewrite column gains it and keeps its rows", () => {
  const db = openWorkspaceDatabase(mkdtempSync(join(tmpdir(), "headroom-ledger-upgrade-")));
  const row: LedgerRow = { ...sampleRow(), cacheRewrite: "" };
  new SqliteLedgerStore(db).insert(row);
  // The schema of the previous version.
  db.run("ALTER TABLE ledger DROP COLUMN cache_rewrite");
  db.run("ALTER TABLE ledger_totals DROP COLUMN cache_rewrites_caused");
  const upgraded = new SqliteLedgerStore(db);
  upgraded.insert({ ...row, ts: row.ts + 1, cacheRewrite: "retrieve_tool_added_mid_conversation" });
  expect(upgraded.newest(5).map((r) => r.row.cacheRewrite)).toEqual([
    "retrieve_tool_added_mid_conversation",
    "",
  ]);
  expect(upgraded.lifetime().all.cache_rewrites_caused).toBe(1);
});

test("a database from before the user id, cwd and tags columns gains them and keeps its rows", () => {
  const db = openWorkspaceDatabase(mkdtempSync(join(tmpdir(), "headroom-ledger-caller-")));
  const row: LedgerRow = sampleRow();
  new SqliteLedgerStore(db).insert(row);
  // The schema of the previous version.
  for (const column of ["user_id", "cwd", "tags"])
    db.run(`ALTER TABLE ledger DROP COLUMN ${column}`);
  const upgraded = new SqliteLedgerStore(db);
  const tagged = {
    ...row,
    ts: row.ts + 1,
    userId: "alice",
    cwd: "/src/Billing",
    tags: '{"team":"pay"}',
  };
  upgraded.insert(tagged);
  const [newest, older] = upgraded.newest(5).map((stored) => stored.row);
  expect(newest).toEqual(tagged);
  // The older row has none of them: the keys are absent, not empty.
  expect(older).toEqual(row);
  expect(Object.keys(older!)).not.toContain("userId");
});
