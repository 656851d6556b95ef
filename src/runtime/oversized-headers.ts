/**
 * The answer to a request whose header block is over headroom's limit: 431 in the provider's
 * error shape, with the security headers every response carries, recorded like any request the
 * proxy refuses (a rejected data-plane request in the ledger, a log line either way).
 * @module
 */

import type { AppDeps } from "../app/deps.ts";
import { finishExchange } from "../app/finish-exchange.ts";
import { exchangeRecorder } from "../app/record-exchange.ts";
import { providerForCredentials, providerForPath } from "../core/api.ts";
import { errorResponse } from "../core/errors.ts";
import { type Exchange, startExchange } from "../core/exchange.ts";

// The provider API paths; the control plane's (/v1/compress, /v1/retrieve) are local calls.
const DATA_PLANE = /^\/v1\/(?!(?:compress|retrieve)(?:\/|$))/;

/** Answers 431 for `request`, handing its record to `onRefused` when given. */
export function refuseOversizedHeaders(
  request: Request,
  limit: number,
  onRefused?: (exchange: Exchange) => void,
): Response {
  const path = new URL(request.url).pathname;
  const provider = providerForPath(path) ?? providerForCredentials(request.headers);
  const message = `Request headers too large: the limit is ${limit} bytes`;
  const exchange = startExchange(request.method, path);
  exchange.provider = provider;
  exchange.status = 431;
  exchange.error = message;
  if (DATA_PLANE.test(path)) exchange.outcome = "rejected";
  onRefused?.(exchange);
  return errorResponse(provider, 431, message, {
    headers: {
      "x-content-type-options": "nosniff",
      "x-frame-options": "DENY",
      "referrer-policy": "no-referrer",
    },
  });
}

/**
 * Finishes the record of a request refused here the way the app finishes its own: the log line
 * and, for the data plane, the ledger row, through the same observers createApp installs.
 */
export function recordRefusals(deps: AppDeps): (exchange: Exchange) => void {
  const finishing: AppDeps = Object.create(deps, {
    onExchange: {
      value: [exchangeRecorder(deps.stats, deps.prices), ...(deps.onExchange ?? [])],
    },
  });
  return (exchange) => finishExchange(finishing, exchange);
}
