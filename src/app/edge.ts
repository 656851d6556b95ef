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
import { finishExchange } from "../pipeline/finish-exchange.ts";
import { recordProvider, recordStatus } from "../pipeline/recorder.ts";
import type { AppDeps } from "./deps.ts";
import type { HeadroomEnv } from "./hono-env.ts";

const TOKEN_EXEMPT = new Set(["/livez", "/readyz", "/health"]);

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

/** Creates the edge middleware. */
export function edge(deps: AppDeps): MiddlewareHandler<HeadroomEnv> {
  return async function edgeMiddleware(c, next) {
    const exchange = startExchange(c.req.method, c.req.path);
    c.set("exchange", exchange);
    const origin = c.req.header("origin");
    const loopbackOrigin = origin !== undefined && isLoopbackOrigin(origin) ? origin : undefined;

    const refuse = (status: 401 | 403, message: string): Response =>
      refuseEarly(deps, exchange, c.req.raw, c.req.path, status, message);

    const token = deps.config.proxyToken;
    if (
      token &&
      !TOKEN_EXEMPT.has(c.req.path) &&
      !isLoopbackCaller(c.env?.remoteAddress, c.req.raw.headers)
    ) {
      const given = c.req.header("x-headroom-proxy-token");
      if (given === undefined || !sameSecret(given, token)) {
        return refuse(401, "This proxy requires its token in the x-headroom-proxy-token header");
      }
    }

    // A page on another origin must not drive the proxy (fill the store, spend through the
    // upstream, read the control plane), even with a simple request that needs no preflight.
    // A top-level navigation (a link to /dashboard) is the user's own doing and stays allowed;
    // the control plane refuses even that (local-only.ts).
    const headers = c.req.raw.headers;
    if (
      hasForeignOrigin(headers) ||
      (isCrossSiteWithoutOrigin(headers) &&
        c.req.header("sec-fetch-mode")?.toLowerCase() !== "navigate")
    ) {
      return refuse(403, "Requests from web pages are only allowed from loopback pages");
    }

    if (c.req.method === "OPTIONS" && c.req.header("access-control-request-method")) {
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
            "access-control-allow-headers": c.req.header("access-control-request-headers") ?? "",
            "access-control-max-age": "600",
          },
        }),
        loopbackOrigin,
      );
    }

    await next();
    // Hono's res setter rebuilds the response and copies its headers: only assign a new one.
    const secured = withSecurityHeaders(c.res, loopbackOrigin);
    if (secured !== c.res) c.res = secured;
    if (exchange.status === 0) recordStatus(exchange, c.res.status);
    if (!exchange.pending) finishExchange(deps, exchange);
  };
}
