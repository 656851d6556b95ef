/**
 * The middleware every request passes first: it starts the exchange record, enforces the
 * optional proxy token for non-loopback callers, answers CORS for loopback origins only, adds the
 * security headers, and finishes the exchange when no relayed body is still flowing.
 * @module
 */

import type { MiddlewareHandler } from "hono";
import { providerForCredentials, providerForPath } from "../core/api.ts";
import { errorResponse } from "../core/errors.ts";
import { startExchange } from "../core/exchange.ts";
import { isLoopbackAddress, isLoopbackOrigin } from "../core/loopback.ts";
import type { AppDeps } from "./deps.ts";
import { finishExchange } from "./finish-exchange.ts";
import type { HeadroomEnv } from "./hono-env.ts";

const TOKEN_EXEMPT = new Set(["/livez", "/readyz", "/health"]);

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

/** Creates the edge middleware. */
export function edge(deps: AppDeps): MiddlewareHandler<HeadroomEnv> {
  return async function edgeMiddleware(c, next) {
    const exchange = startExchange(c.req.method, c.req.path);
    c.set("exchange", exchange);
    const origin = c.req.header("origin");
    const loopbackOrigin = origin !== undefined && isLoopbackOrigin(origin) ? origin : undefined;

    const token = deps.config.proxyToken;
    if (token && !TOKEN_EXEMPT.has(c.req.path) && !isLoopbackAddress(c.env?.remoteAddress)) {
      const given = c.req.header("x-headroom-proxy-token");
      if (given === undefined || !sameSecret(given, token)) {
        const provider = providerForPath(c.req.path) ?? providerForCredentials(c.req.raw.headers);
        exchange.status = 401;
        exchange.outcome = "rejected";
        const res = errorResponse(
          provider,
          401,
          "This proxy requires its token in the x-headroom-proxy-token header",
        );
        finishExchange(deps, exchange);
        return withSecurityHeaders(res, undefined);
      }
    }

    if (c.req.method === "OPTIONS" && c.req.header("access-control-request-method")) {
      exchange.status = loopbackOrigin ? 204 : 403;
      finishExchange(deps, exchange);
      if (!loopbackOrigin) {
        return withSecurityHeaders(
          errorResponse(
            "openai",
            403,
            "Cross-origin requests are only allowed from loopback pages",
          ),
          undefined,
        );
      }
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
    c.res = withSecurityHeaders(c.res, loopbackOrigin);
    if (exchange.status === 0) exchange.status = c.res.status;
    if (!exchange.pending) finishExchange(deps, exchange);
  };
}
