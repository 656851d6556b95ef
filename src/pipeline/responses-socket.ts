/**
 * The Responses WebSocket's handshake (Codex dials base_url + /responses with the ws scheme):
 * the edge's checks and the upstream rules of an HTTP request (the rate limit counts each
 * response on the socket instead), then the upstream socket is opened
 * with the client's headers (cleaned) and subprotocols, and only once it is open is the client's
 * upgrade accepted. When the upstream socket cannot be opened the client gets 426, which Codex
 * takes as "use HTTP streaming" for the rest of its session, so nothing is lost.
 * @module
 */

import { authLabel } from "../core/credentials.ts";
import { ProxyError } from "../core/errors.ts";
import { socketProtocols, upstreamSocketHeaders } from "../core/headers.ts";
import { webSocketUrl } from "../core/upstream-url.ts";
import { answerFailure } from "./answer-failure.ts";
import type { ClientRequest } from "./client-request.ts";
import type { PipelineDeps } from "./deps.ts";
import { upstreamUrlOrRefusal } from "./forward.ts";
import { admit } from "./read-request.ts";
import { applyRouteHeaders, RouteRefused, routeOf } from "./route.ts";
import type { SocketCount } from "./socket-count.ts";
import { ResponsesSocketSession } from "./socket-session.ts";
import { tenantScoped } from "./tenant.ts";

/** True when the request asks to upgrade to a WebSocket. */
export function isSocketUpgrade(request: Request): boolean {
  return request.headers.get("upgrade")?.toLowerCase() === "websocket";
}

/**
 * Relays a Responses WebSocket; never throws. The handshake itself is not a model request and
 * stays out of the ledger: each response on the socket is recorded on its own.
 */
export async function handleResponsesSocket(
  deps: PipelineDeps,
  sockets: SocketCount,
  request: ClientRequest,
): Promise<Response> {
  const { exchange, raw, conn } = request;
  try {
    if (!conn?.relaySocket) {
      throw new ProxyError(
        426,
        "local",
        "headroom does not relay WebSockets under this runtime (its Bun server does); use HTTP streaming",
      );
    }
    // The same table as HTTP: an API key's socket goes to the OpenAI upstream, a ChatGPT
    // sign-in's to the ChatGPT backend's /responses; anything else is refused (404).
    const routed = routeOf(request);
    const headers = upstreamSocketHeaders(raw.headers);
    applyRouteHeaders(headers, routed);
    const target = {
      url: webSocketUrl(upstreamUrlOrRefusal(deps, request, routed)),
      headers,
      protocols: socketProtocols(raw.headers),
      connectTimeoutMs: deps.config.upstreamTimeoutMs,
    };
    const response = await conn.relaySocket(
      target,
      (client, upstream) =>
        new ResponsesSocketSession({
          deps: tenantScoped(deps, raw.headers),
          headers: raw.headers,
          path: request.path,
          client,
          upstream,
          sockets,
          auth: authLabel(routed.credentials),
          // Each response is a model request: the rate limit counts them, not the handshake.
          admit: () => admit(deps, request),
        }),
    );
    if (response) return response;
    throw new ProxyError(
      426,
      "local",
      "headroom could not open the upstream's WebSocket; use HTTP streaming",
    );
  } catch (error) {
    const shape = error instanceof RouteRefused ? error.refusal.shape : "openai";
    return answerFailure(deps.log, exchange, shape, error);
  }
}
