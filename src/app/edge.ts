/**
 * The middleware every request passes first: it starts the exchange record, enforces the
 * optional proxy token for non-loopback callers, refuses pages on other origins, answers CORS for
 * loopback origins only, adds the security headers, and finishes the exchange when no relayed
 * body is still flowing.
 * @module
 */

import type { MiddlewareHandler } from "hono";
import { GEMINI_PATH_PREFIX, providerForCredentials, providerForPath } from "../core/api.ts";
import { ProxyError } from "../core/errors.ts";
import { type Exchange, startExchange } from "../core/exchange.ts";
import {
  hasForeignOrigin,
  isCrossSiteWithoutOrigin,
  isLoopbackCaller,
  isLoopbackOrigin,
} from "../core/loopback.ts";
import { answerFailure } from "../pipeline/answer-failure.ts";
import type { ClientRequest, ConnEnv } from "../pipeline/client-request.ts";
import { finishExchange } from "../pipeline/finish-exchange.ts";
import { recordProvider, recordStatus } from "../pipeline/recorder.ts";
import type { AppDeps } from "./deps.ts";
import type { HeadroomEnv } from "./hono-env.ts";

const TOKEN_EXEMPT = new Set(["/livez", "/readyz", "/health"]);

/**
 * The proxy token a caller presented: the x-headroom-proxy-token header, or on /metrics also
 * `Authorization: Bearer`, the only way every Prometheus version can authenticate a scrape
 * (/metrics is answered locally, so that header carries no provider key there).
 */
function presentedToken(path: string, headers: Headers): string | null {
  const given = headers.get("x-headroom-proxy-token");
  if (given !== null || path !== "/metrics") return given;
  const match = /^Bearer (.+)$/i.exec(headers.get("authorization") ?? "");
  return match ? match[1]! : null;
}

/** Provider API paths: a refusal there counts as a rejected request; elsewhere it is local. */
function isDataPlanePath(path: string): boolean {
  if (path.startsWith(GEMINI_PATH_PREFIX)) return true;
  return path.startsWith("/v1/") && !/^\/v1\/(compress|retrieve)(\/|$)/.test(path);
}

const SECURITY_HEADERS: ReadonlyArray<[string, string]> = [
  ["x-content-type-options", "nosniff"],
  ["x-frame-options", "DENY"],
  ["referrer-policy", "no-referrer"],
];

const encoder = new TextEncoder();

/** Compares two secrets in time that depends only on their lengths, not their contents. */
function sameSecret(given: string, expected: string): boolean {
  const a = encoder.encode(given);
  const b = encoder.encode(expected);
  const length = Math.max(a.length, b.length);
  let diff = a.length ^ b.length;
  for (let i = 0; i < length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

function withSecurityHeaders(response: Response, origin: string | undefined): Response {
  let res = response;
  try {
    for (const [name, value] of SECURITY_HEADERS) res.headers.set(name, value);
  } catch {
    // Immutable headers (a response passed through untouched): copy once.
    res = new Response(res.body, res);
    for (const [name, value] of SECURITY_HEADERS) res.headers.set(name, value);
  }
  if (origin) {
    res.headers.set("access-control-allow-origin", origin);
    res.headers.append("vary", "Origin");
  }
  return res;
}

/**
 * Answers a request refused before any route ran (the edge's own checks, the server's header
 * limit): in the provider's error shape, without CORS headers, logged and recorded like every
 * refusal (rejected on a provider path, local elsewhere).
 */
export function refuseEarly(
  deps: AppDeps,
  exchange: Exchange,
  request: Request,
  path: string,
  status: number,
  message: string,
): Response {
  const provider = providerForPath(path) ?? providerForCredentials(request.headers);
  const outcome = request.method !== "OPTIONS" && isDataPlanePath(path) ? "rejected" : "local";
  const error = new ProxyError(status, outcome, message);
  recordProvider(exchange, provider);
  const response = answerFailure(deps.log, exchange, provider, error);
  finishExchange(deps, exchange);
  return withSecurityHeaders(response, undefined);
}

/** What the edge knows of a request before routing it. */
interface EdgeRequest {
  readonly raw: Request;
  readonly path: string;
  readonly conn: ConnEnv | undefined;
  readonly exchange: Exchange;
  /** The Origin header when it names a loopback page (CORS is answered for those only). */
  readonly loopbackOrigin: string | undefined;
}

/** Starts the exchange of a request arriving at the edge. */
function arrive(raw: Request, path: string, conn: ConnEnv | undefined): EdgeRequest {
  const origin = raw.headers.get("origin");
  return {
    raw,
    path,
    conn,
    exchange: startExchange(raw.method, path),
    loopbackOrigin: origin !== null && isLoopbackOrigin(origin) ? origin : undefined,
  };
}

/**
 * The edge's checks before any route runs: the proxy token, foreign pages, CORS preflights.
 * Returns the answer when the request stops here, undefined when it goes on to its route.
 */
function checkAtEdge(deps: AppDeps, at: EdgeRequest): Response | undefined {
  const { raw, path, exchange, loopbackOrigin } = at;
  const headers = raw.headers;
  const refuse = (status: 401 | 403, message: string): Response =>
    refuseEarly(deps, exchange, raw, path, status, message);

  const token = deps.config.proxyToken;
  if (token && !TOKEN_EXEMPT.has(path) && !isLoopbackCaller(at.conn?.remoteAddress, headers)) {
    const given = presentedToken(path, headers);
    if (given === null || !sameSecret(given, token)) {
      return refuse(401, "This proxy requires its token in the x-headroom-proxy-token header");
    }
  }

  // A page on another origin must not drive the proxy (fill the store, spend through the
  // upstream, read the control plane), even with a simple request that needs no preflight.
  // A top-level navigation (a link to /dashboard) is the user's own doing and stays allowed;
  // the control plane refuses even that (local-only.ts).
  if (
    hasForeignOrigin(headers) ||
    (isCrossSiteWithoutOrigin(headers) &&
      headers.get("sec-fetch-mode")?.toLowerCase() !== "navigate")
  ) {
    return refuse(403, "Requests from web pages are only allowed from loopback pages");
  }

  if (raw.method === "OPTIONS" && headers.get("access-control-request-method")) {
    if (!loopbackOrigin) {
      return refuse(403, "Cross-origin requests are only allowed from loopback pages");
    }
    recordStatus(exchange, 204);
    finishExchange(deps, exchange);
    return withSecurityHeaders(
      new Response(null, {
        status: 204,
        headers: {
          "access-control-allow-methods": "GET, POST, PUT, PATCH, DELETE, OPTIONS",
          "access-control-allow-headers": headers.get("access-control-request-headers") ?? "",
          "access-control-max-age": "600",
        },
      }),
      loopbackOrigin,
    );
  }
  return undefined;
}

/**
 * The edge's work on the way out: the security headers, the status when no stage recorded one,
 * and the end of the exchange when no relayed body is still flowing.
 */
function leaveEdge(deps: AppDeps, at: EdgeRequest, response: Response): Response {
  const secured = withSecurityHeaders(response, at.loopbackOrigin);
  if (at.exchange.status === 0) recordStatus(at.exchange, secured.status);
  if (!at.exchange.pending) finishExchange(deps, at.exchange);
  return secured;
}

/** Creates the edge middleware. */
export function edge(deps: AppDeps): MiddlewareHandler<HeadroomEnv> {
  return async function edgeMiddleware(c, next) {
    const at = arrive(c.req.raw, c.req.path, c.env);
    c.set("exchange", at.exchange);
    const answered = checkAtEdge(deps, at);
    if (answered) return answered;
    await next();
    // Hono's res setter rebuilds the response and copies its headers: only assign a new one.
    const secured = leaveEdge(deps, at, c.res);
    if (secured !== c.res) c.res = secured;
  };
}

/** The routed path of a URL as the router sees it; undefined when it needs decoding. */
function plainPath(url: string): string | undefined {
  const start = url.indexOf("/", url.indexOf(":") + 4);
  let end = start;
  for (; end < url.length; end++) {
    const code = url.charCodeAt(end);
    if (code === 37 /* % */) return undefined;
    if (code === 63 /* ? */ || code === 35 /* # */) break;
  }
  return url.slice(start, end);
}

/** A route the edge serves without the router: the exchange's record in, the answer out. */
export type DirectRoute = (request: ClientRequest) => Promise<Response>;

/**
 * The hot data-plane routes, served past the router: the same edge checks, the same handler and
 * the same error mapping as through Hono, without its matching, context and middleware chain,
 * which cost a measurable share of a passthrough request. `routes` maps "METHOD path" to the
 * handler; only paths that no other route or middleware of the app matches belong here.
 * Returns undefined for any other request, which the router then serves.
 */
export function directRoutes(
  deps: AppDeps,
  routes: ReadonlyMap<string, DirectRoute>,
  onError: (error: unknown, request: ClientRequest) => Response,
): (raw: Request, conn: ConnEnv | undefined) => Promise<Response> | undefined {
  return (raw, conn) => {
    const path = plainPath(raw.url);
    const route = path === undefined ? undefined : routes.get(`${raw.method} ${path}`);
    if (route === undefined || path === undefined) return undefined;
    return serveDirect(deps, arrive(raw, path, conn), route, onError);
  };
}

async function serveDirect(
  deps: AppDeps,
  at: EdgeRequest,
  route: DirectRoute,
  onError: (error: unknown, request: ClientRequest) => Response,
): Promise<Response> {
  // As under the router: an error in a route is answered and leaves through the edge; one in
  // the edge itself is answered as it is.
  try {
    const answered = checkAtEdge(deps, at);
    if (answered) return answered;
    let response: Response;
    try {
      response = await route(at);
    } catch (error) {
      response = onError(error, at);
    }
    return leaveEdge(deps, at, response);
  } catch (error) {
    return onError(error, at);
  }
}
