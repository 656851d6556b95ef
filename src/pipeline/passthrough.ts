/**
 * Every other /v1 request, passed with its bytes untouched to the upstream the route table picks
 * for its path and credentials (src/core/routes.ts; refused with a 404 when there is none):
 * admit, read the body (none for GET/HEAD), forward, relay. WebSocket upgrades are refused.
 * @module
 */

import { providerForCredentials, providerForPath } from "../core/api.ts";
import { authLabel } from "../core/credentials.ts";
import { ProxyError } from "../core/errors.ts";
import { answerFailure } from "./answer-failure.ts";
import type { ClientRequest } from "./client-request.ts";
import type { PipelineDeps } from "./deps.ts";
import { forward } from "./forward.ts";
import { admit, readClientBody } from "./read-request.ts";
import { recordAuth, recordBody, recordProvider, recordRoute } from "./recorder.ts";
import { relayResponse } from "./relay-response.ts";
import { RouteRefused, routeOf } from "./route.ts";
import type { UpstreamHealth } from "./upstream-health.ts";

/** Handles one passthrough request; never throws. */
export async function handlePassthrough(
  deps: PipelineDeps,
  health: UpstreamHealth,
  request: ClientRequest,
): Promise<Response> {
  const { exchange, raw } = request;
  const provider = providerForPath(request.path) ?? providerForCredentials(raw.headers);
  recordRoute(exchange, "passthrough", provider, raw.headers);
  try {
    const routed = routeOf(request);
    recordAuth(exchange, authLabel(routed.credentials));
    // On a shared path the table may pick the provider a credential names (a Google key's ?key=).
    const to = routed.route.upstream;
    recordProvider(exchange, to === "chatgpt" ? "openai" : to);
    admit(deps, request);
    if (raw.headers.get("upgrade")?.toLowerCase() === "websocket") {
      // Only the Responses WebSocket is relayed (responses-socket.ts). Forwarded without its
      // Upgrade header, any other handshake would reach the provider as a plain GET with the
      // caller's key; refused here, the client falls back to HTTP. Not a model request: it
      // stays out of the ledger.
      throw new ProxyError(426, "local", "headroom does not relay WebSockets; use HTTP streaming");
    }
    let body: Uint8Array | undefined;
    if (raw.method !== "GET" && raw.method !== "HEAD") {
      body = (await readClientBody(deps, request)).raw;
      recordBody(exchange, body);
    }
    request.conn?.disableIdleTimeout?.();
    const { upstream } = await forward(deps, health, request, { routed, body, original: true });
    return await relayResponse(deps, exchange, upstream);
  } catch (error) {
    const shape = error instanceof RouteRefused ? error.refusal.shape : provider;
    return answerFailure(deps.log, exchange, shape, error);
  }
}
