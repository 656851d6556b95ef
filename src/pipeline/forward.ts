/**
 * The forwarding stage: where the request goes (the configured upstream, or the caller's
 * x-headroom-base-url override when allowed), with which headers, and the call itself. Resolves
 * with the upstream's response, whatever its status; throws a ProxyError when there is none.
 * @module
 */

import { BodyProblem } from "../core/body.ts";
import type { CredentialKind } from "../core/credentials.ts";
import { ProxyError } from "../core/errors.ts";
import { upstreamRequestHeaders } from "../core/headers.ts";
import { isLoopbackCaller, isLoopbackHost } from "../core/loopback.ts";
import {
  joinUpstreamUrl,
  normalizeBaseUrl,
  originalPathFor,
  originOf,
} from "../core/upstream-url.ts";
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

/** Where a request goes: a base URL, the path on it, and whether it is the configured upstream. */
interface UpstreamTarget {
  readonly base: string;
  readonly path: string;
  /** Only the configured upstream's health counts in /health. */
  readonly configured: boolean;
}

/**
 * Sign-ins a provider issues for its own service (ChatGPT, Claude, Google OAuth): sent anywhere
 * else they are a stolen session, never a working credential, so no header may redirect them.
 */
const SIGN_INS: ReadonlySet<CredentialKind> = new Set([
  "chatgpt",
  "anthropic-oauth",
  "google-bearer",
]);

/**
 * Where this request goes: the route's configured upstream, or the caller's x-headroom-base-url.
 * The override is the one header that changes the upstream, so it answers to the route table's
 * rule: it only replaces the host of a route the table already allowed for these credentials,
 * never carries a sign-in token elsewhere, and is honoured only from this machine (peer and Host
 * header loopback, so neither another host nor a DNS-rebound page can aim the proxy) unless the
 * operator set HEADROOM_REMOTE_BASE_URL.
 */
function upstreamTarget(
  deps: PipelineDeps,
  request: ClientRequest,
  routed: RoutedRequest,
): UpstreamTarget | BodyProblem {
  const { route } = routed;
  const headers = request.raw.headers;
  const override = headers.get("x-headroom-base-url");
  if (override === null) {
    return { base: deps.config.upstreams[route.upstream].url, path: route.path, configured: true };
  }
  const local =
    isLoopbackCaller(request.conn?.remoteAddress, headers) &&
    isLoopbackHost(headers.get("host") ?? new URL(request.raw.url).host);
  if (!deps.config.remoteBaseUrl && !local) {
    return new BodyProblem(
      403,
      "x-headroom-base-url is only honoured from this machine; set HEADROOM_REMOTE_BASE_URL=1 to allow it from other callers",
    );
  }
  if (routed.credentials.kinds.some((kind) => SIGN_INS.has(kind))) {
    return new BodyProblem(
      403,
      "x-headroom-base-url cannot redirect a request signed in with a provider's own account: that sign-in only ever goes to its provider",
    );
  }
  try {
    // Chat and Responses keep only the origin, as the original Headroom does (Azure-style bases
    // carry a deployment path); x-headroom-original-path then names the path on that host.
    if (route.family === "chat" || route.family === "responses") {
      const original = originalPathFor(headers.get("x-headroom-original-path"), route.path);
      return { base: originOf(override), path: original ?? route.path, configured: false };
    }
    return { base: normalizeBaseUrl(override), path: route.path, configured: false };
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
  const target = upstreamTarget(deps, request, routed);
  if (target instanceof BodyProblem) return undefined;
  return joinUpstreamUrl(target.base, target.path, rawQuery(request.raw.url));
}

/** The full upstream URL of this request; throws the refusal when its base is refused. */
export function upstreamUrlOrRefusal(
  deps: PipelineDeps,
  request: ClientRequest,
  routed: RoutedRequest,
): string {
  const target = upstreamTarget(deps, request, routed);
  if (target instanceof BodyProblem) throw rejected(target);
  return joinUpstreamUrl(target.base, target.path, rawQuery(request.raw.url));
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
  const target = upstreamTarget(deps, request, routed);
  if (target instanceof BodyProblem) throw rejected(target);
  const exchange = request.exchange;
  const headers = upstreamRequestHeaders(request.raw.headers, {
    keepContentEncoding: outgoing.original,
  });
  applyRouteHeaders(headers, routed);
  const sent: UpstreamRequest = {
    url: joinUpstreamUrl(target.base, target.path, rawQuery(request.raw.url)),
    method: request.raw.method,
    headers,
    body: outgoing.body,
  };
  // /health reports the two API upstreams; the ChatGPT backend serves signed-in Codex only.
  const upstream = routed.route.upstream;
  const observe =
    target.configured && upstream !== "chatgpt"
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
