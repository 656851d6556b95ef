import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { HiddenRecord } from "../../src/ccr/hidden-calls.ts";
import { openWorkspaceDatabase } from "../../src/store/sqlite-db.ts";
import { SqliteHiddenCallStore } from "../../src/store/sqlite-hidden-call-store.ts";

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
