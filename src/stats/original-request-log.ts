/**
 * Reads the original Headroom's request log (the JSON lines it appended to `--log-file`, one
 * `RequestLog` per finished request) into ledger rows, so a user moving to headroom keeps their
 * request history: each entry becomes one row dated when it happened, with its provider, model,
 * token figures, latency, transforms and tags, marked as imported. The original wrote no dollar
 * figures there: they are priced like headroom's own rows, from the model's list price.
 * @module
 */

import { type LedgerRow, savedCost, usageCost } from "./ledger-row.ts";
import { IMPORTED_OUTCOME } from "./original-savings.ts";
import type { PriceTable } from "./prices.ts";

type Json = Record<string, unknown>;

/** What one line of the file is. */
export type RequestLogLine =
  | { readonly kind: "entry"; readonly row: LedgerRow }
  /** One of headroom's own log lines: the original's entries all come before the first. */
  | { readonly kind: "own" }
  | { readonly kind: "blank" }
  | { readonly kind: "unreadable" };

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A finite, non-negative number, or undefined. */
function amount(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined;
}

function text(value: unknown, max = 200): string | null {
  return typeof value === "string" && value !== "" ? value.slice(0, max) : null;
}

function entryRow(entry: Json, ts: number, prices: PriceTable): LedgerRow | undefined {
  const before = amount(entry.input_tokens_original);
  const after = amount(entry.input_tokens_optimized);
  if (before === undefined || after === undefined) return undefined;
  const saved = Math.round(amount(entry.tokens_saved) ?? Math.max(0, before - after));
  const output = Math.round(amount(entry.output_tokens) ?? 0);
  const model = text(entry.model);
  const tags = isObject(entry.tags) ? entry.tags : {};
  const tag = (name: string) => text(tags[name]);
  const error = text(entry.error);
  const transforms = Array.isArray(entry.transforms_applied)
    ? entry.transforms_applied.filter((t): t is string => typeof t === "string")
    : [];
  const latency = amount(entry.optimization_latency_ms);
  return {
    ts,
    layer: "proxy",
    provider: text(entry.provider),
    model,
    api: null,
    agent: tag("client") ?? "original-headroom",
    userAgent: null,
    project: tag("project"),
    stack: tag("stack"),
    auth: null,
    tokensBefore: Math.round(before),
    tokensAfter: Math.round(after),
    tokensSaved: saved,
    compressibleTokens: 0,
    inputTokens: Math.round(after),
    outputTokens: output,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    usageEstimated: false,
    overheadMs: latency ?? null,
    ttfbMs: null,
    durationMs: amount(entry.total_latency_ms) ?? 0,
    transforms: transforms.join(","),
    status: error ? 502 : 200,
    outcome: IMPORTED_OUTCOME,
    streamed: false,
    aborted: false,
    cached: entry.cache_hit === true,
    retrievals: 0,
    overBudget: 0,
    shaping: "",
    cacheRewrite: "",
    costUsd: usageCost(prices, model, {
      input: Math.round(after),
      output,
      cacheRead: 0,
      cacheWrite: 0,
    }),
    savedUsd: saved > 0 ? savedCost(prices, model, saved) : 0,
  };
}

/** Reads one line of the file. */
export function requestLogLine(line: string, prices: PriceTable): RequestLogLine {
  if (line.trim() === "") return { kind: "blank" };
  let entry: unknown;
  try {
    entry = JSON.parse(line);
  } catch {
    return { kind: "unreadable" };
  }
  if (!isObject(entry)) return { kind: "unreadable" };
  if (typeof entry.msg === "string" && typeof entry.level === "string") return { kind: "own" };
  // The original wrote local time without an offset (Python's isoformat()): read as local.
  const ts = typeof entry.timestamp === "string" ? Date.parse(entry.timestamp) : Number.NaN;
  const row = Number.isNaN(ts) ? undefined : entryRow(entry, ts, prices);
  return row ? { kind: "entry", row } : { kind: "unreadable" };
}
