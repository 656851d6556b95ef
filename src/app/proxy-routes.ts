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
import { handleResponsesSocket, isSocketUpgrade } from "../pipeline/responses-socket.ts";
import type { SocketCount } from "../pipeline/socket-count.ts";
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

/** Creates the data-plane routes. */
export function proxyRoutes(
  deps: PipelineDeps,
  health: UpstreamHealth,
  sockets: SocketCount,
): Hono<HeadroomEnv> {
  const app = new Hono<HeadroomEnv>();
  const generation = (api: GenerationApi) => (c: Context<HeadroomEnv>) =>
    handleGeneration(deps, health, clientRequest(c), api);
  app.post("/v1/messages", generation("messages"));
  app.post("/v1/chat/completions", generation("chat"));
  app.post("/v1/responses", generation("responses"));
  // Codex's Responses WebSocket: relayed where the runtime can, refused (426) where it cannot.
  app.get("/v1/responses", (c) =>
    isSocketUpgrade(c.req.raw)
      ? handleResponsesSocket(deps, sockets, clientRequest(c))
      : handlePassthrough(deps, health, clientRequest(c)),
  );
  app.all("/v1/*", (c) => handlePassthrough(deps, health, clientRequest(c)));
  return app;
}
