/**
 * The original Headroom's learning endpoints (/v1/telemetry, /v1/feedback, /v1/toin), which its
 * SDKs call. headroom collects none of that, so they are answered here, plainly: under the
 * unknown-/v1 rule they would otherwise reach the provider with the caller's credentials.
 * @module
 */

import { Hono } from "hono";
import { providerForCredentials } from "../core/api.ts";
import { ProxyError, proxyErrorResponse } from "../core/errors.ts";
import type { HeadroomEnv } from "./hono-env.ts";

const NOT_COLLECTED = new ProxyError(
  404,
  "rejected",
  "headroom keeps no telemetry, feedback or TOIN learning data; these endpoints of the original Headroom do not exist here",
);

/** Creates the routes that answer the original's learning endpoints locally. */
export function unsupportedRoutes(): Hono<HeadroomEnv> {
  const app = new Hono<HeadroomEnv>();
  for (const prefix of ["/v1/telemetry", "/v1/feedback", "/v1/toin"]) {
    for (const path of [prefix, `${prefix}/*`]) {
      // In the shape of the provider the caller's credentials name, like every other 404.
      app.all(path, (c) =>
        proxyErrorResponse(providerForCredentials(c.req.raw.headers), NOT_COLLECTED),
      );
    }
  }
  return app;
}
