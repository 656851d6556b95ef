/**
 * The data plane's routes: the three generation APIs, and every other /v1 path passed through to
 * the provider that owns it. The work is the pipeline's (src/pipeline/generation.ts,
 * src/pipeline/passthrough.ts); this file only wires it to the router.
 * @module
 */

import { type Context, Hono } from "hono";
import type { GenerationApi } from "../compress/slots.ts";
import type { ClientRequest } from "../pipeline/client-request.ts";
import type { PipelineDeps } from "../pipeline/deps.ts";
import { handleGeneration } from "../pipeline/generation.ts";
import { handlePassthrough } from "../pipeline/passthrough.ts";
import type { UpstreamHealth } from "../pipeline/upstream-health.ts";
import type { HeadroomEnv } from "./hono-env.ts";

/** The pipeline's view of a routed request. */
function clientRequest(c: Context<HeadroomEnv>): ClientRequest {
  return {
    raw: c.req.raw,
    path: c.req.path,
    conn: c.env,
    exchange: c.get("exchange"),
  };
}

/** The generation APIs by their path (all POST). */
const GENERATION_PATHS: ReadonlyArray<[string, GenerationApi]> = [
  ["/v1/messages", "messages"],
  ["/v1/chat/completions", "chat"],
  ["/v1/responses", "responses"],
];

/**
 * The generation routes by "METHOD path", for the edge to serve without the router
 * (edge.ts, directRoutes): the same handlers the router would call.
 */
export function directProxyRoutes(
  deps: PipelineDeps,
  health: UpstreamHealth,
): Map<string, (request: ClientRequest) => Promise<Response>> {
  return new Map(
    GENERATION_PATHS.map(([path, api]) => [
      `POST ${path}`,
      (request: ClientRequest) => handleGeneration(deps, health, request, api),
    ]),
  );
}

/** Creates the data-plane routes. */
export function proxyRoutes(deps: PipelineDeps, health: UpstreamHealth): Hono<HeadroomEnv> {
  const app = new Hono<HeadroomEnv>();
  for (const [path, api] of GENERATION_PATHS) {
    app.post(path, (c) => handleGeneration(deps, health, clientRequest(c), api));
  }
  app.all("/v1/*", (c) => handlePassthrough(deps, health, clientRequest(c)));
  return app;
}
