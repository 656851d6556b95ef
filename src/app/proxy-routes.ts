/**
 * The data plane's routes: the four generation APIs (the Responses API under the aliases Codex
 * and the ChatGPT backend use as well; Gemini's generateContent and streamGenerateContent), and
 * every other /v1 and /v1beta path passed through to the upstream the route table picks
 * (src/core/routes.ts). The work is the pipeline's (src/pipeline/generation.ts,
 * src/pipeline/passthrough.ts); this file only wires it to the router.
 * @module
 */

import { type Context, Hono } from "hono";
import type { GenerationApi } from "../compress/slots.ts";
import { isGeminiGeneration } from "../core/api.ts";
import type { ClientRequest } from "../pipeline/client-request.ts";
import type { PipelineDeps } from "../pipeline/deps.ts";
import { handleGeneration } from "../pipeline/generation.ts";
import { handlePassthrough } from "../pipeline/passthrough.ts";
import { handleResponsesSocket, isSocketUpgrade } from "../pipeline/responses-socket.ts";
import type { SocketCount } from "../pipeline/socket-count.ts";
import type { UpstreamHealth } from "../pipeline/upstream-health.ts";
import type { HeadroomEnv } from "./hono-env.ts";

/** Where the Responses API is served: its own path and the aliases of Codex and ChatGPT. */
const RESPONSES_PATHS = [
  "/v1/responses",
  "/v1/codex/responses",
  "/backend-api/responses",
  "/backend-api/codex/responses",
];

/** The pipeline's view of a routed request. */
function clientRequest(c: Context<HeadroomEnv>): ClientRequest {
  return {
    raw: c.req.raw,
    path: c.req.path,
    conn: c.env,
    exchange: c.get("exchange"),
  };
}

/** The generation APIs at fixed paths (all POST); Gemini's name the model in theirs. */
const GENERATION_PATHS: ReadonlyArray<[string, GenerationApi]> = [
  ["/v1/messages", "messages"],
  ["/v1/chat/completions", "chat"],
  ...RESPONSES_PATHS.map((path): [string, GenerationApi] => [path, "responses"]),
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
export function proxyRoutes(
  deps: PipelineDeps,
  health: UpstreamHealth,
  sockets: SocketCount,
): Hono<HeadroomEnv> {
  const app = new Hono<HeadroomEnv>();
  const generation = (api: GenerationApi) => (c: Context<HeadroomEnv>) =>
    handleGeneration(deps, health, clientRequest(c), api);
  for (const [path, api] of GENERATION_PATHS) app.post(path, generation(api));
  const passthrough = (c: Context<HeadroomEnv>) =>
    handlePassthrough(deps, health, clientRequest(c));
  // Codex's Responses WebSocket, on every Responses path: relayed where the runtime can,
  // refused (426) where it cannot.
  for (const path of RESPONSES_PATHS)
    app.get(path, (c) =>
      isSocketUpgrade(c.req.raw)
        ? handleResponsesSocket(deps, sockets, clientRequest(c))
        : passthrough(c),
    );
  // Gemini names the model and the method in the path: models/{model}:{method}.
  const gemini = (c: Context<HeadroomEnv>) =>
    isGeminiGeneration(c.req.path) ? generation("gemini")(c) : passthrough(c);
  app.post("/v1beta/models/*", gemini);
  // The genai SDK 3 calls the same methods under /v1 by default.
  app.post("/v1/models/*", gemini);
  app.all("/v1beta/*", passthrough);
  app.all("/v1/*", passthrough);
  // Responses sub-resources under the ChatGPT backend's aliases (compaction, retrieval by id).
  app.all("/backend-api/responses/*", passthrough);
  app.all("/backend-api/codex/responses/*", passthrough);
  return app;
}
