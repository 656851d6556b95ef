import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { HiddenRecord } from "../../src/ccr/hidden-calls.ts";
import { openWorkspaceDatabase } from "../../src/store/sqlite-db.ts";
import { SqliteHiddenCallStore } from "../../src/store/sqlite-hidden-call-store.ts";
import { json } from "../helpers/http.ts";
import { buildApp } from "../helpers/proxy.ts";
import { GENERATION_APIS } from "../helpers/wire.ts";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
const workspace = () => {
  const dir = mkdtempSync(join(tmpdir(), "headroom-hidden-store-"));
  dirs.push(dir);
  return dir;
};

const record = (anchor: string): HiddenRecord => ({
  anchor,
  api: "messages",
  calls: [
    { position: 1, json: `{"type":"tool_use","id":"r_${anchor}","name":"headroom_retrieve"}` },
  ],
  ids: [`r_${anchor}`],
  answers: [`{"type":"tool_result","tool_use_id":"r_${anchor}","content":"original"}`],
});

describe("hidden retrieve pairs in SQLite", () => {
  test("survive a reopen, and the table keeps only the newest up to its bound", () => {
    const dir = workspace();
    let clock = 1_000;
    const first = new SqliteHiddenCallStore(openWorkspaceDatabase(dir), 3, () => clock++);
    for (let i = 0; i < 100; i++) first.put(record(`toolu_${i}`));
    first.db.close();

    const again = new SqliteHiddenCallStore(openWorkspaceDatabase(dir), 3);
    expect(again.size).toBe(3);
    expect(again.get("toolu_99")).toEqual(record("toolu_99"));
    expect(again.get("toolu_97")).toEqual(record("toolu_97"));
    expect(again.get("toolu_96")).toBeUndefined();
    expect(again.get("toolu_0")).toBeUndefined();
    again.db.close();
  });

  test("a database that fails keeps the pairs in memory and reports one episode", () => {
    const store = new SqliteHiddenCallStore(openWorkspaceDatabase(workspace()));
    store.put(record("toolu_a"));
    // The table gone is a write the store cannot make, as a full or read-only database is.
    store.db.run("DROP TABLE hidden_calls");
    store.put(record("toolu_b"));
    expect(store.status.degraded).toBe(true);
    expect(store.status.errors).toBe(1);
    expect(store.get("toolu_b")).toEqual(record("toolu_b"));
    expect(store.get("toolu_a")).toEqual(record("toolu_a"));
    store.db.close();
  });
});

describe("its health beside the other stores'", () => {
  test("/health, /stats and /metrics say when it fails; the proxy keeps serving", async () => {
    const hiddenCalls = new SqliteHiddenCallStore(openWorkspaceDatabase(workspace()));
    const app = buildApp({
      hiddenCalls,
      fetch: async () => Response.json({ id: "x", type: "message", content: [] }),
    });
    expect((await json(await app.request("/health"))).stores.hidden_calls).toMatchObject({
      status: "ok",
      remembered: 0,
    });
    hiddenCalls.db.run("DROP TABLE hidden_calls");
    hiddenCalls.put(record("toolu_x"));
    const health = await json(await app.request("/health"));
    expect(health.status).toBe("healthy");
    expect(health.degraded).toEqual(["hidden_calls"]);
    expect(health.stores.hidden_calls).toMatchObject({ status: "degraded", remembered: 1 });
    expect((await json(await app.request("/stats"))).store_errors.hidden_calls).toBe(1);
    const metrics = await (await app.request("/metrics")).text();
    expect(metrics).toContain('headroom_store_up{store="hidden_calls"} 0');
    const messages = GENERATION_APIS[0];
    const res = await app.request(messages.path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(messages.body("hi")),
    });
    expect(res.status).toBe(200);
    expect(app.logs.filter((line) => String(line.msg).includes("hidden calls"))).toHaveLength(1);
    hiddenCalls.db.close();
  });
});
