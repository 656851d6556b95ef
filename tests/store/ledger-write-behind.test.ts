/**
 * The proxy's ledger writes rows behind the requests, in one transaction per interval: no row is
 * lost, /stats counts rows that are still waiting, and any read of stored rows writes them first.
 */

import { expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StatsService } from "../../src/stats/stats-service.ts";
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
    stats: new StatsService(ledger),
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
  const stats = new StatsService(ledger);
  const app = buildApp({
    stats,
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
