/**
 * One row of the request ledger: everything /stats, /stats-history, /metrics and the dashboard
 * know about a finished request. No message content and no credentials ever go in here.
 * @module
 */

import type { Exchange } from "../core/exchange.ts";
import type { PriceTable } from "./prices.ts";

/** A finished request as the ledger keeps it. */
export interface LedgerRow {
  /** Milliseconds since the epoch when the request arrived. */
  readonly ts: number;
  /** "proxy" for proxied requests, "cli" for `headroom compress`. */
  readonly layer: "proxy" | "cli";
  readonly provider: string | null;
  readonly model: string | null;
  readonly api: string | null;
  readonly agent: string;
  readonly userAgent: string | null;
  readonly project: string | null;
  readonly stack: string | null;
  /** The kind of sign-in: "api-key", "chatgpt:pro", "claude-oauth", ... (null when none). */
  readonly auth: string | null;
  /** headroom's whole-request figures (exact tokenizer counts when compressed). */
  readonly tokensBefore: number;
  readonly tokensAfter: number;
  readonly tokensSaved: number;
  /** Tokens of the tool outputs that were candidates for compression. */
  readonly compressibleTokens: number;
  /** Upstream-reported usage (headroom's estimate when `usageEstimated`). */
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadTokens: number;
  readonly cacheWriteTokens: number;
  readonly usageEstimated: boolean;
  readonly overheadMs: number | null;
  readonly ttfbMs: number | null;
  readonly durationMs: number;
  readonly transforms: string;
  readonly status: number;
  readonly outcome: string;
  readonly streamed: boolean;
  readonly aborted: boolean;
  /** Served from headroom's response cache. */
  readonly cached: boolean;
  readonly retrievals: number;
  /** Tool outputs sent whole because their compression did not finish within the budget. */
  readonly overBudget: number;
  /** Output-shaping labels: shaped, holdout, effort_lowered, effort_holdout (comma-joined). */
  readonly shaping: string;
  /** Why headroom made the provider rewrite its cached prompt prefix ("" when it did not). */
  readonly cacheRewrite: string;
  /**
   * Compaction on cache expiry (absent on rows from before it): tool outputs of the history
   * compacted by this request, the estimated tokens that removed, the estimated tokens every
   * compaction of its conversation removed from this request (included in `tokensSaved`), and
   * their estimated input cost: at the cache-write price on the request that compacted (the
   * provider wrote the prefix again anyway), at the cache-read price on every later one.
   */
  readonly compactedOutputs?: number;
  readonly compactionTokensRemoved?: number;
  readonly compactionTokensSaved?: number;
  readonly compactionSavedUsd?: number | null;
  /** Estimated cost of the request as sent, and the input cost its compression avoided. */
  readonly costUsd: number | null;
  readonly savedUsd: number | null;
  /**
   * How many requests the row counts for: 1 when absent. Only a summary row imported from the
   * original Headroom says otherwise (its requests that left no checkpoint); the lifetime totals
   * and roll-ups take it, the raw row does not keep it.
   */
  readonly requestsCounted?: number;
  /** What the caller said about itself (x-headroom-user-id, -cwd, other x-headroom-* as JSON). */
  readonly userId?: string | null;
  readonly cwd?: string | null;
  readonly tags?: string | null;
}

/** Client-identifying labels an exchange carries (set by the data-plane routes). */
export interface ClientLabels {
  readonly agent: string;
  readonly userAgent: string | null;
  readonly project: string | null;
  readonly stack: string | null;
  readonly auth: string | null;
  readonly userId?: string | null;
  readonly cwd?: string | null;
  readonly tags?: string | null;
}

const PER_MILLION = 1_000_000;

/** Rounds dollars to a millionth of a cent, enough for sums of many small figures. */
function dollars(value: number): number {
  return Math.round(value * 1e8) / 1e8;
}

/** Estimated cost of one request's usage at the model's list price, if known. */
export function usageCost(
  prices: PriceTable,
  model: string | null,
  usage: { input: number; output: number; cacheRead: number; cacheWrite: number },
): number | null {
  const price = prices.priceOf(model ?? undefined);
  if (!price) return null;
  const uncached = Math.max(0, usage.input - usage.cacheRead - usage.cacheWrite);
  return dollars(
    (uncached * price.input +
      usage.cacheRead * price.cachedInput +
      usage.cacheWrite * price.cacheWrite +
      usage.output * price.output) /
      PER_MILLION,
  );
}

/** The input cost `tokens` saved tokens would have had, if the model's price is known. */
export function savedCost(prices: PriceTable, model: string | null, tokens: number): number | null {
  const price = prices.priceOf(model ?? undefined);
  return price ? dollars((tokens * price.input) / PER_MILLION) : null;
}

/** The input cost compaction avoided on one request (see {@link LedgerRow}). */
function compactionCost(
  prices: PriceTable,
  model: string | null,
  compaction: NonNullable<Exchange["compaction"]>,
): number | null {
  const price = prices.priceOf(model ?? undefined);
  if (!price) return null;
  const rate = compaction.slots > 0 ? price.cacheWrite : price.cachedInput;
  return dollars((compaction.tokensSaved * rate) / PER_MILLION);
}

/**
 * Builds the ledger row of a finished data-plane exchange. `estimateInput` gives headroom's own
 * estimate of the request's input tokens when the upstream reported none.
 */
export function rowFromExchange(
  exchange: Exchange,
  labels: ClientLabels,
  prices: PriceTable,
  estimateInput: (exchange: Exchange) => number,
): LedgerRow {
  const usage = exchange.usage;
  const reported = usage.inputTokens !== undefined;
  const input =
    usage.inputTokens ??
    (exchange.outcome === "rejected" ? 0 : (exchange.tokensAfter ?? estimateInput(exchange)));
  // Without reported output, ~40 relayed bytes per output token is the usual SSE overhead ratio.
  const output =
    usage.outputTokens ?? (exchange.status < 400 ? Math.round(exchange.bytesOut / 40) : 0);
  const saved = exchange.tokensSaved ?? 0;
  const before = exchange.tokensBefore ?? input;
  const model = exchange.model ?? null;
  const cacheRead = usage.cacheReadTokens ?? 0;
  const cacheWrite = usage.cacheWriteTokens ?? 0;
  return {
    ts: exchange.startedAt,
    layer: "proxy",
    provider: exchange.provider ?? null,
    model,
    api: exchange.api ?? null,
    agent: labels.agent,
    userAgent: labels.userAgent,
    project: labels.project,
    stack: labels.stack,
    auth: labels.auth,
    tokensBefore: before,
    tokensAfter: exchange.tokensAfter ?? before,
    tokensSaved: saved,
    compressibleTokens: exchange.compressibleTokens ?? 0,
    inputTokens: input,
    outputTokens: output,
    cacheReadTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    usageEstimated: !reported || usage.outputTokens === undefined,
    overheadMs: exchange.overheadMs ?? null,
    ttfbMs: exchange.ttfbMs ?? null,
    durationMs: exchange.durationMs ?? 0,
    transforms: exchange.transforms.join(","),
    status: exchange.status,
    outcome: exchange.outcome,
    streamed: exchange.stream,
    aborted: exchange.outcome === "aborted",
    cached: exchange.cached === true,
    retrievals: exchange.retrievals ?? 0,
    overBudget: exchange.overBudget ?? 0,
    shaping: (exchange.shaping ?? []).join(","),
    cacheRewrite: exchange.cacheRewrite ?? "",
    costUsd:
      exchange.outcome === "rejected"
        ? 0
        : usageCost(prices, model, { input, output, cacheRead, cacheWrite }),
    savedUsd: saved > 0 ? savedCost(prices, model, saved) : 0,
    ...(exchange.compaction
      ? {
          compactedOutputs: exchange.compaction.slots,
          compactionTokensRemoved: exchange.compaction.tokensRemoved,
          compactionTokensSaved: exchange.compaction.tokensSaved,
          compactionSavedUsd: compactionCost(prices, model, exchange.compaction),
        }
      : {}),
    ...(labels.userId ? { userId: labels.userId } : {}),
    ...(labels.cwd ? { cwd: labels.cwd } : {}),
    ...(labels.tags ? { tags: labels.tags } : {}),
  };
}
