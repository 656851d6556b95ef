/**
 * The control-plane guard ("loopback-only control plane"): a route behind it answers only when
 * the peer address AND the Host header are loopback, no forwarding header says a reverse proxy
 * relayed it, no foreign Origin is present (nor a cross-site browser fetch without one), and a
 * POST says it carries JSON. Anything else gets the same 404 as a route that does not exist, so
 * the control plane cannot be discovered, reached remotely, rebound through DNS, or driven by a
 * web page.
 * @module
 */

import type { MiddlewareHandler } from "hono";
import { providerForCredentials, providerForPath } from "../core/api.ts";
import { ProxyError, proxyErrorResponse } from "../core/errors.ts";
import {
  hasForeignOrigin,
  isCrossSiteWithoutOrigin,
  isLoopbackCaller,
  isLoopbackHost,
} from "../core/loopback.ts";
import type { HeadroomEnv } from "./hono-env.ts";

/**
 * The 404 of a route that does not exist, in the error shape of the provider the request looks
 * meant for (its path, else its credentials; OpenAI's when nothing says). A refused control-plane
 * call gets exactly this answer for the same request, so it cannot tell the route exists.
 */
export function notFoundResponse(request: Request): Response {
  const path = new URL(request.url).pathname;
  const provider = providerForPath(path) ?? providerForCredentials(request.headers);
  // One message whatever the path, so no two refusals differ by more than the provider's shape.
  return proxyErrorResponse(provider, new ProxyError(404, "local", "Not found"));
}

/** True when the request comes from this machine by every measure the guard applies. */
export function isLocalRequest(request: Request, remoteAddress: string | undefined): boolean {
  if (!isLoopbackCaller(remoteAddress, request.headers)) return false;
  if (!isLoopbackHost(request.headers.get("host") ?? new URL(request.url).host)) return false;
  // Not even a link from another site: a GET here may still say more than a page should learn.
  return !hasForeignOrigin(request.headers) && !isCrossSiteWithoutOrigin(request.headers);
}

/** Creates the guard middleware for control-plane routes. */
export function localOnly(): MiddlewareHandler<HeadroomEnv> {
  return async function localOnlyGuard(c, next) {
    if (!isLocalRequest(c.req.raw, c.env?.remoteAddress)) return notFoundResponse(c.req.raw);
    if (c.req.method === "POST") {
      const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
      if (type !== "application/json") {
        const provider = providerForPath(c.req.path) ?? providerForCredentials(c.req.raw.headers);
        const message = "Control-plane POSTs must be sent with content-type: application/json";
        return proxyErrorResponse(provider, new ProxyError(415, "local", message));
      }
    }
    await next();
  };
}
