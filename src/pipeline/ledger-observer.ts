/**
 * Turns every finished data-plane exchange into one ledger row, and its compressions into live
 * feed events. Probes and control-plane calls are not data-plane requests and are not recorded.
 * @module
 */

import { estimateTokens } from "../compress/tokens.ts";
import type { Exchange } from "../core/exchange.ts";
import { rowFromExchange } from "../stats/ledger-row.ts";
import type { PriceTable } from "../stats/prices.ts";
import type { StatsService } from "../stats/stats-service.ts";

/** The labels of an exchange refused before its client was labelled. */
const UNLABELLED = Object.freeze({
  agent: "unknown",
  userAgent: null,
  project: null,
  stack: null,
  auth: null,
});

/** Creates the exchange observer that feeds the ledger. */
export function exchangeRecorder(
  stats: StatsService,
  prices: PriceTable,
): (exchange: Exchange) => void {
  return function recordExchange(exchange) {
    if (exchange.outcome === "local") return;
    const row = rowFromExchange(exchange, exchange.client ?? UNLABELLED, prices, estimateInput);
    stats.record(row);
    stats.pipeline.record(exchange, row);
    // Most requests compressed nothing: no live-feed work for them.
    if (!exchange.compressions?.length) return;
    const fresh = exchange.compressions.filter((compression) => !compression.replayed);
    if (fresh.length === 0) return;
    stats.recordCompressions(
      fresh.map((compression) => ({
        ts: exchange.startedAt,
        requestId: exchange.id,
        model: exchange.model ?? null,
        provider: exchange.provider ?? null,
        tool: compression.tool,
        strategy: compression.strategy,
        tokensBefore: compression.tokensBefore,
        tokensAfter: compression.tokensAfter,
        lossy: compression.lossy,
        ...(compression.original !== undefined ? { original: compression.original } : {}),
        ...(compression.compressed !== undefined ? { compressed: compression.compressed } : {}),
      })),
    );
  };
}

/** headroom's estimate of an exchange's input tokens (0 when it has none). */
function estimateInput(exchange: Exchange): number {
  return exchange.inputText === undefined ? 0 : estimateTokens(exchange.inputText);
}
