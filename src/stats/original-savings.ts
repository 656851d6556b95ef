/**
 * Reads the original Headroom's `proxy_savings.json` into ledger rows (with its request log's
 * entries, when there is one: see original-request-log.ts), so a user moving to headroom keeps
 * their lifetime savings. Each cumulative checkpoint becomes one row holding the
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
  /** Entries of the original's request log (`--log-file`) imported with it. */
  readonly request_log_entries: number;
}

/** The outcome recorded on imported rows, so they can be told from headroom's own. */
export const IMPORTED_OUTCOME = "imported";

/** The four figures an import adds up. */
export interface Figures {
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

/** A `proxy_savings.json` as read: its lifetime and its checkpoints, oldest first. */
export interface OriginalSavings {
  readonly requests: number;
  readonly lifetime: Figures;
  readonly checkpoints: readonly Checkpoint[];
}

/** Reads a `proxy_savings.json` text, or says why it cannot be read. */
export function parseOriginalSavings(body: string): OriginalSavings | string {
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
  const history = parsed.history ?? [];
  if (!Array.isArray(history)) return "history is not an array";
  const checkpoints: Checkpoint[] = [];
  for (const entry of history) {
    const point = checkpoint(entry);
    if (typeof point === "string") return point;
    checkpoints.push(point);
  }
  checkpoints.sort((a, b) => a.ts - b.ts);
  return {
    requests: Math.round(requests),
    lifetime: {
      tokensSaved,
      usd: amount(l.compression_savings_usd) ?? 0,
      inputTokens: amount(l.total_input_tokens) ?? 0,
      costUsd: amount(l.total_input_cost_usd) ?? 0,
    },
    checkpoints,
  };
}

/** What a row adds to the import's figures. */
export const rowFigures = (row: LedgerRow): Figures => ({
  tokensSaved: row.tokensSaved,
  usd: row.savedUsd ?? 0,
  inputTokens: row.inputTokens,
  costUsd: row.costUsd ?? 0,
});

/** Two sets of figures added. */
export const plus = (a: Figures, b: Figures): Figures => ({
  tokensSaved: a.tokensSaved + b.tokensSaved,
  usd: a.usd + b.usd,
  inputTokens: a.inputTokens + b.inputTokens,
  costUsd: a.costUsd + b.costUsd,
});

/** Figures at zero. */
export const NO_FIGURES: Figures = { tokensSaved: 0, usd: 0, inputTokens: 0, costUsd: 0 };

/** The request log's entries, summed: when they start and end, how many, what they add up to. */
export interface LoggedSpan {
  readonly first: number;
  readonly last: number;
  readonly entries: number;
  readonly figures: Figures;
}

/** The rows an import adds around the request log's own (which go between them, in order). */
export interface ImportPlan {
  /** Checkpoints before the log's first entry. */
  readonly before: LedgerRow[];
  /** Checkpoints after its last entry, then the row for the rest of the lifetime. */
  readonly after: LedgerRow[];
  readonly summary: OriginalSavingsSummary;
}

/**
 * An import of the savings file's checkpoints (as changes) and the request log's entries (as
 * they are, inserted by the caller between `before` and `after`). Where both cover the same
 * time the log's own rows stand and the checkpoints of that span are left out; one more row
 * carries what the file's lifetime holds beyond all of them (requests that saved nothing left no
 * checkpoint). `now` dates that row when nothing else gives a date.
 */
export function originalImport(
  savings: OriginalSavings | undefined,
  logged: LoggedSpan | undefined,
  now: number,
): ImportPlan {
  // The original dates a checkpoint to the second, its log entry of the same request to the
  // microsecond: the span starts at the second of the first entry.
  const first = logged ? Math.floor(logged.first / 1000) * 1000 : Number.POSITIVE_INFINITY;
  const last = logged?.last ?? Number.NEGATIVE_INFINITY;
  const before: LedgerRow[] = [];
  const after: LedgerRow[] = [];
  let previous = NO_FIGURES;
  let counted = logged?.figures ?? NO_FIGURES;
  for (const point of savings?.checkpoints ?? []) {
    // Inside the log's span the log's own rows stand for these requests.
    if (point.ts < first || point.ts > last) {
      const delta = minus(point, previous);
      (point.ts < first ? before : after).push(
        importedRow(point.ts, point.provider, point.model, delta),
      );
      counted = plus(counted, delta);
    }
    previous = point;
  }
  const entries = logged?.entries ?? 0;
  let requests = before.length + entries + after.length;
  if (savings) {
    const rest = minus(savings.lifetime, counted);
    const uncounted = Math.max(0, savings.requests - requests);
    if (uncounted > 0 || Object.values(rest).some((value) => value > 0)) {
      const at = Math.max(
        after.at(-1)?.ts ?? Number.NEGATIVE_INFINITY,
        last,
        before.at(-1)?.ts ?? 0,
      );
      const remainder = importedRow(at > 0 ? at : now, null, null, rest);
      after.push({ ...remainder, requestsCounted: uncounted });
      counted = plus(counted, rest);
      requests += uncounted;
    }
  }
  return {
    before,
    after,
    summary: {
      requests,
      tokens_saved: Math.round(counted.tokensSaved),
      compression_savings_usd: Math.round(counted.usd * 1e8) / 1e8,
      total_input_tokens: Math.round(counted.inputTokens),
      total_input_cost_usd: Math.round(counted.costUsd * 1e8) / 1e8,
      history_points: savings?.checkpoints.length ?? 0,
      request_log_entries: entries,
    },
  };
}
