/**
 * The one place a failed or refused request becomes a response and a record: the stages throw
 * a {@link ProxyError} (bad input, rate limit, an unreachable upstream, a client gone away), and
 * this sets the exchange's outcome, status and error and answers in the provider's shape. An
 * error that is not a ProxyError is a bug in headroom: logged, recorded as failed, answered 500.
 * @module
 */

import { type ErrorShape, ProxyError, proxyErrorResponse } from "../core/errors.ts";
import type { Exchange } from "../core/exchange.ts";
import type { Logger } from "../core/logger.ts";
import { recordFailure } from "./recorder.ts";

/** What an error nothing expected becomes. */
function unexpected(log: Logger, exchange: Exchange, error: unknown): ProxyError {
  const message = (error as Error)?.message ?? String(error);
  log.error("unhandled error", { path: exchange.path, error: message });
  return new ProxyError(500, "failed", "headroom failed to handle this request", {
    recorded: message,
  });
}

/** Records `error` on `exchange` and answers it. */
export function answerFailure(
  log: Logger,
  exchange: Exchange,
  provider: ErrorShape,
  error: unknown,
): Response {
  const known = error instanceof ProxyError ? error : unexpected(log, exchange, error);
  recordFailure(exchange, known);
  return proxyErrorResponse(provider, known);
}
