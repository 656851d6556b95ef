/**
 * The forwarding stage: where the request goes (the configured upstream, or the caller's
 * x-headroom-base-url override when allowed), with which headers, and the call itself. Resolves
 * with the upstream's response, whatever its status; throws a ProxyError when there is none.
 * @module
 */

import { BodyProblem } from "../core/body.ts";
import { ProxyError } from "../core/errors.ts";
import { upstreamRequestHeaders } from "../core/headers.ts";
import { isLoopbackCaller } from "../core/loopback.ts";
import { joinUpstreamUrl, normalizeBaseUrl } from "../core/upstream-url.ts";
import { type ClientRequest, rawQuery } from "./client-request.ts";
import type { PipelineDeps } from "./deps.ts";
import { rejected } from "./read-request.ts";
import { recordAccounting, recordDispatch } from "./recorder.ts";
import { applyRouteHeaders, type RoutedRequest } from "./route.ts";
import { callUpstream, type UpstreamRequest } from "./upstream-call.ts";
import type { UpstreamHealth } from "./upstream-health.ts";

/** What goes upstream, and to whom. */
export interface Outgoing {
  /** The upstream and path the route table chose (src/pipeline/route.ts). */
  readonly routed: RoutedRequest;
  readonly body: Uint8Array | undefined;
  /** True when `body` is the client's original (possibly encoded) bytes. */
  readonly original: boolean;
  /** Starts once the call is on its way (exact token counting runs while the upstream works). */
  readonly afterDispatch?: (() => Promise<void>) | undefined;
}

/** An upstream base URL, and whether it is the configured one (only that one's health counts). */
interface UpstreamBase {
  readonly url: string;
  readonly configured: boolean;
}

/** The base URL for this request: the x-headroom-base-url override, or the configured one. */
function upstreamBase(
  deps: PipelineDeps,
  request: ClientRequest,
  routed: RoutedRequest,
): UpstreamBase | BodyProblem {
  const override = request.raw.headers.get("x-headroom-base-url");
  if (override === null) {
    return { url: deps.config.upstreams[routed.route.upstream].url, configured: true };
  }
  // Any URL, with the caller's key: from another machine that is a way into this one's
  // network, so it takes the operator's consent.
  if (
    !deps.config.remoteBaseUrl &&
    !isLoopbackCaller(request.conn?.remoteAddress, request.raw.headers)
  ) {
    return new BodyProblem(
      403,
      "x-headroom-base-url is only honoured from this machine; set HEADROOM_REMOTE_BASE_URL=1 to allow it from other callers",
    );
  }
  try {
    return { url: normalizeBaseUrl(override), configured: false };
  } catch (error) {
    return new BodyProblem(400, `x-headroom-base-url: ${(error as Error).message}`);
  }
}

/** The full upstream URL of this request, or undefined when its base is refused. */
export function upstreamUrlOf(
  deps: PipelineDeps,
  request: ClientRequest,
  routed: RoutedRequest,
): string | undefined {
  const base = upstreamBase(deps, request, routed);
  if (base instanceof BodyProblem) return undefined;
  return joinUpstreamUrl(base.url, routed.route.path, rawQuery(request.raw.url));
}

/** The full upstream URL of this request; throws the refusal when its base is refused. */
export function upstreamUrlOrRefusal(
  deps: PipelineDeps,
  request: ClientRequest,
  routed: RoutedRequest,
): string {
  const base = upstreamBase(deps, request, routed);
  if (base instanceof BodyProblem) throw rejected(base);
  return joinUpstreamUrl(base.url, routed.route.path, rawQuery(request.raw.url));
}

/** A sent request: the upstream's response, and the request (for continuations). */
export interface Forwarded {
  readonly upstream: Response;
  readonly sent: UpstreamRequest;
}

/** Sends the request upstream. */
export async function forward(
  deps: PipelineDeps,
  health: UpstreamHealth,
  request: ClientRequest,
  outgoing: Outgoing,
): Promise<Forwarded> {
  const { routed, afterDispatch } = outgoing;
  const base = upstreamBase(deps, request, routed);
  if (base instanceof BodyProblem) throw rejected(base);
  const exchange = request.exchange;
  const headers = upstreamRequestHeaders(request.raw.headers, {
    keepContentEncoding: outgoing.original,
  });
  applyRouteHeaders(headers, routed);
  const sent: UpstreamRequest = {
    url: joinUpstreamUrl(base.url, routed.route.path, rawQuery(request.raw.url)),
    method: request.raw.method,
    headers,
    body: outgoing.body,
  };
  // /health reports the two API upstreams; the ChatGPT backend serves signed-in Codex only.
  const upstream = routed.route.upstream;
  const observe =
    base.configured && upstream !== "chatgpt"
      ? (reachable: boolean) => health.record(upstream, reachable)
      : undefined;
  recordDispatch(exchange);
  try {
    const call = callUpstream(deps, sent, request.raw.signal, observe);
    if (afterDispatch) recordAccounting(exchange, afterDispatch());
    return { upstream: await call, sent };
  } catch (error) {
    if (error instanceof ProxyError) throw error;
    const message = (error as Error)?.message ?? String(error);
    deps.log.error("upstream call failed", { error: message });
    throw new ProxyError(502, "failed", `headroom could not forward the request: ${message}`, {
      recorded: message,
    });
  }
}
