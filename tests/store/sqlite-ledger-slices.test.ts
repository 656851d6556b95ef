/**
 * A batch's totals and hourly roll-up, written by the SQLite ledger, are exactly what the same
 * rows add up to one at a time (and, for the totals, what the in-memory ledger adds up): every
 * slice (provider, model, agent, project, stack, sign-in, strategy, shaping label, cache rewrite), the
 * CLI's rows, refused ones, two hours, and rows of one kind interleaved with others.
 */

import { expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Aggregate } from "../../src/stats/aggregate.ts";
import type { LedgerRow } from "../../src/stats/ledger-row.ts";
import { rowPoint } from "../../src/stats/ledger-store.ts";
import { MemoryLedgerStore } from "../../src/store/memory-ledger.ts";
import { openWorkspaceDatabase } from "../../src/store/sqlite-db.ts";
import { SqliteLedgerStore } from "../../src/store/sqlite-ledger.ts";

const HOUR = 3_600_000;
const base: LedgerRow = {
  ts: 1_800_000_000_000,
  layer: "proxy",
  provider: "anthropic",
  model: "claude-sonnet-4-5",
  api: "messages",
  agent: "claude-code",
  userAgent: null,
  project: null,
  stack: null,
  auth: null,
  tokensBefore: 1000,
  tokensAfter: 900,
  tokensSaved: 100,
  compressibleTokens: 400,
  inputTokens: 900,
  outputTokens: 10,
  cacheReadTokens: 1,
  cacheWriteTokens: 2,
  usageEstimated: false,
  overheadMs: 0.1,
  ttfbMs: 1.3,
  durationMs: 40.7,
  transforms: "",
  status: 200,
  outcome: "ok",
  streamed: false,
  aborted: false,
  cached: false,
  retrievals: 0,
  overBudget: 0,
  shaping: "",
  cacheRewrite: "",
  costUsd: 0.0013,
  savedUsd: 0.00031,
};

// Each kind differs from the first in one thing only, so rows taken for one kind would show.
const KINDS: Partial<LedgerRow>[] = [
  {},
  { ts: base.ts + HOUR },
  { provider: "openai" },
  { provider: null },
  { model: "gpt-5" },
  { model: null },
  { model: "m\u00003:x" },
  { agent: "codex" },
  { project: "shop" },
  { project: "3:x" },
  { stack: "node" },
  { stack: "" },
  { auth: "chatgpt:pro" },
  { auth: "api-key" },
  { transforms: "log:select" },
  { transforms: "log:select,json:table" },
  { shaping: "verbosity:low" },
  { shaping: "verbosity:low,effort:low" },
  { cacheRewrite: "retrieve tool added" },
  { layer: "cli", tokensSaved: 77, savedUsd: 0.002 },
  { outcome: "rejected", status: 429 },
  { outcome: "failed", costUsd: null, savedUsd: null, ttfbMs: null, overheadMs: null },
];

/** Three rounds of every kind, interleaved, with figures that differ row by row. */
function rows(): LedgerRow[] {
  const out: LedgerRow[] = [];
  for (let round = 0; round < 3; round++) {
    for (const [k, kind] of KINDS.entries()) {
      const n = round * KINDS.length + k;
      const row = { ...base, ...kind };
      out.push({
        ...row,
        ts: row.ts + n,
        tokensBefore: row.tokensBefore + n,
        tokensSaved: row.tokensSaved + n,
        outputTokens: row.outputTokens + n,
        durationMs: row.durationMs + n * 1.1,
        costUsd: row.costUsd === null ? null : row.costUsd * (n + 1),
        savedUsd: row.savedUsd === null ? null : row.savedUsd * (n + 1),
      });
    }
  }
  return out;
}

const slices = (aggregate: Aggregate) =>
  Object.fromEntries(
    [...aggregate.slices].map(([dimension, names]) => [
      dimension,
      Object.fromEntries([...names].sort(([a], [b]) => a.localeCompare(b))),
    ]),
  );

const sqliteLedger = () =>
  new SqliteLedgerStore(
    openWorkspaceDatabase(mkdtempSync(join(tmpdir(), "headroom-ledger-slices-"))),
  );

test("one batch adds up to the same totals and hours as its rows one at a time", () => {
  const batch = rows();
  const sqlite = sqliteLedger();
  const oneByOne = sqliteLedger();
  const memory = new MemoryLedgerStore();
  sqlite.insertAll(batch);
  for (const each of batch) {
    oneByOne.insert(each);
    memory.insert(each);
  }

  const stored = slices(sqlite.lifetime());
  expect(Object.keys(stored).sort()).toEqual([
    "agent",
    "all",
    "auth",
    "cache_rewrite",
    "model",
    "project",
    "provider",
    "provider_model",
    "shaping",
    "stack",
    "strategy",
  ]);
  expect(stored).toEqual(slices(oneByOne.lifetime()));
  expect(stored).toEqual(slices(memory.lifetime()));
  const series = sqlite.series("hourly");
  expect(series).toHaveLength(2);
  expect(series).toEqual(oneByOne.series("hourly"));
  // And what the rows' hourly points add up to (in another order, so only to rounding).
  for (const point of series) {
    const points = batch.map(rowPoint).filter((each) => each.bucket === point.bucket);
    for (const field of [
      "requests",
      "tokensBefore",
      "tokensSaved",
      "cliTokensSaved",
      "inputTokens",
      "outputTokens",
      "cacheReadTokens",
      "cacheWriteTokens",
      "costUsd",
      "savedUsd",
    ] as const) {
      expect(point[field]).toBeCloseTo(
        points.reduce((sum, each) => sum + each[field], 0),
        9,
      );
    }
  }
});
