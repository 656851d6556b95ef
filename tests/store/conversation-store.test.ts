/**
 * The conversation stores: memory and SQLite keep a clock exactly, are bounded (least recently
 * used out, purged by age and row cap), and the guard never lets a failing store make a warm
 * cache look expired.
 */

import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStores } from "../../src/cli/open-stores.ts";
import type { ConversationState } from "../../src/compress/conversation-store.ts";
import { resolveConfig } from "../../src/core/config.ts";
import { GuardedConversationStore } from "../../src/store/guarded-conversation-store.ts";
import { MemoryConversationStore } from "../../src/store/memory-conversation-store.ts";
import { SqliteConversationStore } from "../../src/store/sqlite-conversation-store.ts";
import { openWorkspaceDatabase } from "../../src/store/sqlite-db.ts";
import { StoreStatus } from "../../src/store/store-status.ts";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
const database = () => {
  const dir = mkdtempSync(join(tmpdir(), "headroom-conversations-"));
  dirs.push(dir);
  return openWorkspaceDatabase(dir);
};

const clock = (at: number, extra: Partial<ConversationState> = {}): ConversationState => ({
  lastRequestAt: at,
  ttlMs: 300_000,
  provider: "anthropic",
  inputTokens: 12_345,
  cacheReadTokens: 12_000,
  warmGapMs: 42_000,
  compactions: 1,
  ...extra,
});

describe("conversation stores", () => {
  test("memory and SQLite give back what they were given, unknown ids as undefined", async () => {
    for (const store of [new MemoryConversationStore(), new SqliteConversationStore(database())]) {
      await store.put("a", clock(1_000));
      await store.put("b", clock(2_000, { inputTokens: undefined, cacheReadTokens: undefined }));
      expect(await store.get("a")).toEqual(clock(1_000));
      expect(await store.get("b")).toEqual(
        clock(2_000, { inputTokens: undefined, cacheReadTokens: undefined }),
      );
      expect(await store.get("c")).toBeUndefined();
    }
  });

  test("memory keeps the most recently used within its bound", async () => {
    const store = new MemoryConversationStore(3);
    for (const id of ["a", "b", "c", "d"]) await store.put(id, clock(1));
    expect(store.size).toBe(3);
    expect(await store.get("a")).toBeUndefined();
    expect(await store.get("d")).toEqual(clock(1));
  });

  test("SQLite purges clocks unused past the retention and trims to its row cap", async () => {
    const now = 10 * 86_400_000;
    const store = new SqliteConversationStore(database(), {
      maxRows: 2,
      retentionMs: 86_400_000,
      now: () => now,
    });
    await store.put("old", clock(now - 2 * 86_400_000));
    for (const [i, id] of ["x", "y", "z"].entries()) await store.put(id, clock(now - 1000 + i));
    expect(store.purge()).toBe(2);
    expect(await store.get("old")).toBeUndefined();
    expect(await store.get("x")).toBeUndefined();
    expect(await store.get("z")).toEqual(clock(now - 998));
  });

  test("the guard: a failing store tells nothing, and a refused clock is written once it works", async () => {
    const db = database();
    const inner = new SqliteConversationStore(db);
    // Retried at once rather than after a backoff, so the test need not wait.
    const guarded = new GuardedConversationStore(
      inner,
      new StoreStatus("conversations", { retryMs: 0 }),
    );
    await guarded.put("a", clock(1_000));
    expect(await guarded.get("a")).toEqual(clock(1_000));
    // A real failure: another connection holds the write lock past the busy timeout.
    db.run("PRAGMA busy_timeout = 0");
    const locker = openWorkspaceDatabase(join(db.filename, ".."));
    locker.run("BEGIN IMMEDIATE");
    await guarded.put("a", clock(5_000));
    expect(guarded.report()).toMatchObject({ status: "degraded", held: 1 });
    // The store still holds the stale clock: while it fails, no clock is read at all.
    expect(await inner.get("a")).toEqual(clock(1_000));
    expect(await guarded.get("a")).toBeUndefined();
    locker.run("ROLLBACK");
    locker.close();
    await guarded.flush();
    expect(guarded.report()).toMatchObject({ status: "ok", held: 0 });
    expect(await inner.get("a")).toEqual(clock(5_000));
    expect(await guarded.get("a")).toEqual(clock(5_000));
  });

  test("a replica on Redis remembers no conversation, so it never compacts on a clock it half saw", async () => {
    // Clocks are not shared between replicas yet: one that missed the latest turns of a
    // conversation would take its warm cache for an expired one.
    const env = { HEADROOM_REDIS_URL: "redis://127.0.0.1:1", HEADROOM_STATELESS: "on" };
    const stores = openStores(resolveConfig({}, env, tmpdir()));
    try {
      await stores.conversations.put("a", clock(1_000));
      expect(await stores.conversations.get("a")).toBeUndefined();
    } finally {
      stores.close();
    }
    const local = openStores(resolveConfig({}, { HEADROOM_STATELESS: "on" }, tmpdir()));
    await local.conversations.put("a", clock(1_000));
    expect(await local.conversations.get("a")).toEqual(clock(1_000));
    local.close();
  });
});
