/**
 * A batch of rows is written many rows per statement: every row comes back as written, in order,
 * with consecutive ids, and the totals and the hourly series count each row once, whatever the
 * batch's size against the statement's row count.
 */

import { expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LedgerRow } from "../../src/stats/ledger-row.ts";
import { openWorkspaceDatabase } from "../../src/store/sqlite-db.ts";
import { SqliteLedgerStore } from "../../src/store/sqlite-ledger.ts";

const HOUR = 3_600_000;

function row(n: number): LedgerRow {
  return {
    ts: 1_800_000_000_000 + (n % 2) * HOUR + n,
    layer: "proxy",
    provider: n % 3 === 0 ? "openai" : "anthropic",
    model: n % 3 === 0 ? "gpt-5" : "claude-sonnet-4-5",
    api: n % 3 === 0 ? "chat" : "messages",
    agent: "claude-code",
    userAgent: `agent/${n}`,
    project: n % 4 === 0 ? "shop" : null,
    stack: null,
    auth: null,
    tokensBefore: 1000 + n,
    tokensAfter: 900 + n,
    tokensSaved: 100,
    compressibleTokens: 400,
    inputTokens: 900 + n,
    outputTokens: n,
    cacheReadTokens: n % 5,
    cacheWriteTokens: 0,
    usageEstimated: false,
    overheadMs: 0.25,
    ttfbMs: n % 7 === 0 ? null : 12.5,
    durationMs: 40 + n,
    transforms: "log:select",
    status: 200,
    outcome: "ok",
    streamed: n % 2 === 0,
    aborted: false,
    cached: false,
    retrievals: 0,
    overBudget: 0,
    shaping: "",
    cacheRewrite: "",
    costUsd: 0.001 * n,
    savedUsd: 0.0003,
  };
}

test.each([1, 15, 16, 17, 37])("a batch of %i rows is stored row for row", (count) => {
  const ledger = new SqliteLedgerStore(
    openWorkspaceDatabase(mkdtempSync(join(tmpdir(), "headroom-ledger-batch-"))),
  );
  ledger.insert(row(1000));
  const rows = Array.from({ length: count }, (_, n) => row(n));
  const lastId = ledger.insertAll(rows);

  expect(lastId).toBe(count + 1);
  const stored = ledger.rowsAfter(1);
  expect(stored.map((entry) => entry.id)).toEqual(rows.map((_, n) => n + 2));
  expect(stored.map((entry) => entry.row)).toEqual(rows);

  const all = ledger.lifetime().all;
  expect(all.requests).toBe(count + 1);
  expect(all.output_tokens).toBe(1000 + (count * (count - 1)) / 2);
  const series = ledger.series("hourly");
  expect(series.reduce((sum, point) => sum + point.requests, 0)).toBe(count + 1);
  expect(series.reduce((sum, point) => sum + point.outputTokens, 0)).toBe(
    1000 + (count * (count - 1)) / 2,
  );
});
