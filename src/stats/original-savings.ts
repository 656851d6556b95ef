/**
 * Reads the original Headroom's `proxy_savings.json` into ledger rows, so a user moving to
 * headroom keeps their lifetime savings. Each cumulative checkpoint becomes one row holding the
 * change since the previous checkpoint (dated, with its provider and model, so the roll-ups show
 * it where it happened); one more row carries what the lifetime holds beyond the last checkpoint
 * (requests that saved nothing, input sent after it). Summed, the rows equal the file's lifetime.
 * @module
 */

import type { LedgerRow } from "./ledger-row.ts";

/** What an import adds up to, as /stats reports it. */
export interface OriginalSavingsSummary {
  readonly requests: number;
  readonly tokens_saved: number;
  readonly compression_savings_usd: number;
  readonly total_input_tokens: number;
  readonly total_input_cost_usd: number;
  readonly history_points: number;
}

/** The outcome recorded on imported rows, so they can be told from headroom's own. */
export const IMPORTED_OUTCOME = "imported";

interface Figures {
  tokensSaved: number;
  usd: number;
  inputTokens: number;
  costUsd: number;
}

interface Checkpoint extends Figures {
  readonly ts: number;
  readonly provider: string | null;
  readonly model: string | null;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A finite, non-negative number, or undefined. */
function amount(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined;
}

function text(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

/** One history entry: an object, or the legacy `[ts, tokens, usd, input, cost]` array. */
function checkpoint(entry: unknown): Checkpoint | string {
  const fields = Array.isArray(entry)
    ? {
        timestamp: entry[0],
        total_tokens_saved: entry[1],
        compression_savings_usd: entry[2] ?? 0,
        total_input_tokens: entry[3] ?? 0,
        total_input_cost_usd: entry[4] ?? 0,
      }
    : entry;
  if (!isObject(fields)) return "a history entry is neither an object nor an array";
  const ts = typeof fields.timestamp === "string" ? Date.parse(fields.timestamp) : Number.NaN;
  const tokensSaved = amount(fields.total_tokens_saved);
  if (Number.isNaN(ts) || tokensSaved === undefined)
    return "a history entry lacks a timestamp or total_tokens_saved";
  return {
    ts,
    provider: text(fields.provider),
    model: text(fields.model),
    tokensSaved,
    usd: amount(fields.compression_savings_usd) ?? 0,
    inputTokens: amount(fields.total_input_tokens) ?? 0,
    costUsd: amount(fields.total_input_cost_usd) ?? 0,
  };
}

function importedRow(ts: number, provider: string | null, model: string | null, delta: Figures) {
  return {
    ts,
    layer: "proxy",
    provider,
    model,
    api: null,
    agent: "original-headroom",
    userAgent: null,
    project: null,
    stack: null,
    auth: null,
    tokensBefore: delta.inputTokens + delta.tokensSaved,
    tokensAfter: delta.inputTokens,
    tokensSaved: delta.tokensSaved,
    compressibleTokens: 0,
    inputTokens: delta.inputTokens,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    usageEstimated: false,
    overheadMs: null,
    ttfbMs: null,
    durationMs: 0,
    transforms: "",
    status: 200,
    outcome: IMPORTED_OUTCOME,
    streamed: false,
    aborted: false,
    cached: false,
    retrievals: 0,
    overBudget: 0,
    shaping: "",
    cacheRewrite: "",
    costUsd: delta.costUsd,
    savedUsd: delta.usd,
  } satisfies LedgerRow;
}

const minus = (a: Figures, b: Figures): Figures => ({
  tokensSaved: Math.max(0, a.tokensSaved - b.tokensSaved),
  usd: Math.max(0, a.usd - b.usd),
  inputTokens: Math.max(0, a.inputTokens - b.inputTokens),
  costUsd: Math.max(0, a.costUsd - b.costUsd),
});

/**
 * The rows for a `proxy_savings.json` text, or why it cannot be read. `now` dates the remainder
 * row when the file has no checkpoints.
 */
export function originalSavingsRows(
  body: string,
  now: number,
): { rows: LedgerRow[]; summary: OriginalSavingsSummary } | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    return `not JSON (${(error as Error).message})`;
  }
  if (!isObject(parsed) || !isObject(parsed.lifetime)) return "no lifetime object";
  const l = parsed.lifetime;
  const requests = amount(l.requests);
  const tokensSaved = amount(l.tokens_saved);
  if (requests === undefined || tokensSaved === undefined)
    return "lifetime.requests or lifetime.tokens_saved is not a non-negative number";
  const lifetime: Figures = {
    tokensSaved,
    usd: amount(l.compression_savings_usd) ?? 0,
    inputTokens: amount(l.total_input_tokens) ?? 0,
    costUsd: amount(l.total_input_cost_usd) ?? 0,
  };
  const history = parsed.history ?? [];
  if (!Array.isArray(history)) return "history is not an array";
  const checkpoints: Checkpoint[] = [];
  for (const entry of history) {
    const point = checkpoint(entry);
    if (typeof point === "string") return point;
    checkpoints.push(point);
  }
  checkpoints.sort((a, b) => a.ts - b.ts);
  const rows: LedgerRow[] = [];
  let previous: Figures = { tokensSaved: 0, usd: 0, inputTokens: 0, costUsd: 0 };
  for (const point of checkpoints) {
    rows.push(importedRow(point.ts, point.provider, point.model, minus(point, previous)));
    previous = point;
  }
  // Requests that saved nothing left no checkpoint: one row stands for all of them.
  const rest = minus(lifetime, previous);
  const uncounted = Math.max(0, Math.round(requests) - checkpoints.length);
  if (uncounted > 0 || Object.values(rest).some((value) => value > 0)) {
    const remainder = importedRow(checkpoints.at(-1)?.ts ?? now, null, null, rest);
    rows.push({ ...remainder, requestsCounted: uncounted });
  }
  return {
    rows,
    summary: {
      requests: Math.round(requests),
      tokens_saved: Math.round(tokensSaved),
      compression_savings_usd: lifetime.usd,
      total_input_tokens: Math.round(lifetime.inputTokens),
      total_input_cost_usd: lifetime.costUsd,
      history_points: checkpoints.length,
    },
  };
}
