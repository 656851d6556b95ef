/**
 * Ends an exchange exactly once: stamps its duration, hands it to every observer (the ledger),
 * and writes its log line.
 * @module
 */

import type { Exchange } from "../core/exchange.ts";
import type { PipelineDeps } from "./deps.ts";
import { recordFinished } from "./recorder.ts";

/** Finishes `exchange`; later calls for the same exchange do nothing. */
export function finishExchange(deps: PipelineDeps, exchange: Exchange): void {
  // recordFinished is the one writer of the duration: a record that has one is finished.
  if (exchange.durationMs !== undefined) return;
  recordFinished(exchange);
  // Exact token counting may still run (first tokenizer load): report once it is done.
  if (exchange.accounting) exchange.accounting.then(() => report(deps, exchange));
  else report(deps, exchange);
}

function report(deps: PipelineDeps, exchange: Exchange): void {
  for (const observe of deps.onExchange ?? []) {
    try {
      observe(exchange);
    } catch (error) {
      deps.log.error("exchange observer failed", { error: (error as Error)?.message });
    }
  }
  const fields = {
    id: exchange.id,
    method: exchange.method,
    path: exchange.path,
    status: exchange.status,
    outcome: exchange.outcome,
    provider: exchange.provider,
    model: exchange.model,
    stream: exchange.stream,
    bytes_in: exchange.bytesIn,
    bytes_out: exchange.bytesOut,
    duration_ms: exchange.durationMs,
    ttfb_ms: exchange.ttfbMs,
    overhead_ms: exchange.overheadMs,
    input_tokens: exchange.usage.inputTokens,
    tokens_saved: exchange.tokensSaved,
    transforms: exchange.transforms.length ? exchange.transforms.join(",") : undefined,
    output_tokens: exchange.usage.outputTokens,
    error: exchange.error,
  };
  if (exchange.outcome === "local") deps.log.debug("request", fields);
  else deps.log.info("request", fields);
}
