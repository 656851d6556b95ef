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
import {
  hasForeignOrigin,
  isCrossSiteWithoutOrigin,
  isLoopbackCaller,
  isLoopbackHost,
} from "../core/loopback.ts";
import type { HeadroomEnv } from "./hono-env.ts";

/** The body of every 404: the same for a missing route and a refused control-plane call. */
export function notFoundResponse(): Response {
  return new Response(JSON.stringify({ error: { type: "not_found", message: "Not found" } }), {
    status: 404,
    headers: { "content-type": "application/json" },
  });
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
    if (!isLocalRequest(c.req.raw, c.env?.remoteAddress)) return notFoundResponse();
    if (c.req.method === "POST") {
      const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
      if (type !== "application/json") {
        return new Response(
          JSON.stringify({
            error: {
              type: "unsupported_media_type",
              message: "Control-plane POSTs must be sent with content-type: application/json",
            },
          }),
          { status: 415, headers: { "content-type": "application/json" } },
        );
      }
    }
    await next();
  };
}
