/**
 * One generation request (Messages, Chat Completions, Responses) from the client to the
 * upstream and back, stage by stage:
 *
 * 1. admit and read (read-request.ts): rate limit, bounded body, decoded, parsed;
 * 2. answer from the response cache when it holds this exact request (response-cache.ts);
 * 3. rewrite (rewrite-request.ts): compressed tool outputs, hidden retrieve calls put back,
 *    output shaping, the headroom_retrieve tool; nothing changed means the original bytes go;
 * 4. forward (forward.ts) with retries (upstream-call.ts);
 * 5. answer (answer.ts): relay, savings headers, the retrieval loop (retrieval-loop.ts);
 * 6. record: each stage's findings go on the exchange through recorder.ts; the edge middleware
 *    or the relay's end closes it once (finish-exchange.ts).
 *
 * Any stage may throw a ProxyError; answer-failure.ts turns it into the response and the record.
 * @module
 */

import type { GenerationApi } from "../compress/slots.ts";
import { isGeminiArrayStream, providerOfApi } from "../core/api.ts";
import type { JsonBody } from "../core/body.ts";
import { responseCacheKey } from "../core/cache-key.ts";
import { authLabel } from "../core/credentials.ts";
import { answerRewritten } from "./answer.ts";
import { answerFailure } from "./answer-failure.ts";
import type { ClientRequest } from "./client-request.ts";
import { accountTokens, isBypassed, savingsHeaders } from "./compress-tool-outputs.ts";
import type { PipelineDeps } from "./deps.ts";
import { forward, upstreamUrlOf } from "./forward.ts";
import { admit, parseGeneration, readClientBody, requireJson } from "./read-request.ts";
import {
  recordAuth,
  recordBody,
  recordCacheHit,
  recordGeneration,
  recordRoute,
} from "./recorder.ts";
import { relayResponse } from "./relay-response.ts";
import { captureBody } from "./response-cache.ts";
import { rewriteRequest } from "./rewrite-request.ts";
import { type RoutedRequest, routeOf } from "./route.ts";
import { tenantScoped } from "./tenant.ts";
import type { UpstreamHealth } from "./upstream-health.ts";

/** A generation request as read: its API and route, the bytes as received, and the parsed JSON. */
interface GenerationBody {
  readonly api: GenerationApi;
  readonly routed: RoutedRequest;
  readonly raw: Uint8Array;
  readonly json: JsonBody;
}

/** The response cache's key for this request, when the cache applies to it. */
function cacheKeyOf(
  deps: PipelineDeps,
  request: ClientRequest,
  body: GenerationBody,
): string | undefined {
  const api = body.api;
  if (!deps.responseCache || isBypassed(request.raw.headers)) return undefined;
  const upstreamUrl = upstreamUrlOf(deps, request, body.routed);
  if (upstreamUrl === undefined) return undefined;
  try {
    return responseCacheKey(
      { upstreamUrl, api, headers: request.raw.headers, body: body.json.value },
      deps.sha256,
    );
  } catch (error) {
    // A body too deeply nested to hash (stack overflow) is simply not cached: fail open.
    deps.log.warn("response cache key failed; not caching", {
      error: (error as Error)?.message ?? String(error),
    });
    return undefined;
  }
}

/** Keeps a complete, successful answer for identical requests later. */
function storeInCache(
  deps: PipelineDeps,
  request: ClientRequest,
  key: string,
  response: Response,
): Response {
  const cache = deps.responseCache;
  if (!cache || response.status !== 200) return response;
  return captureBody(response, cache.maxBytes / 8, (bytes) => {
    if (request.exchange.outcome === "ok") cache.set(key, response.status, response.headers, bytes);
  });
}

/** Rewrites, forwards and answers a request that was read and not served from the cache. */
async function rewriteForwardAnswer(
  deps: PipelineDeps,
  health: UpstreamHealth,
  request: ClientRequest,
  body: GenerationBody,
): Promise<Response> {
  const { api, json, routed } = body;
  const { exchange, raw } = request;
  // --no-optimize forwards every byte untouched; a bypass or switched-off compression only
  // stops new compression (the history and the tool it needs stay as on earlier turns).
  // A Gemini stream sent as one JSON array is relayed as it comes, so no retrieve call in it
  // could be answered: it gets no new lossy compression and no headroom_retrieve.
  const answersRetrieve = !isGeminiArrayStream(request.path, raw.url);
  const compressing = deps.config.compression && answersRetrieve && !isBypassed(raw.headers);
  const rewriting = deps.config.optimize
    ? rewriteRequest(deps, {
        api,
        json,
        exchange,
        mode: compressing ? "compress" : "replay",
        answersRetrieve,
        sessionHeader: raw.headers.get("x-headroom-session-id") ?? undefined,
        signal: raw.signal,
      })
    : undefined;
  const rewrite = rewriting && (await rewriting);
  if (!rewrite) {
    const { upstream } = await forward(deps, health, request, {
      routed,
      body: body.raw,
      original: true,
    });
    const streamed = (upstream.headers.get("content-type") ?? "").includes("text/event-stream");
    const extraHeaders = savingsHeaders(exchange, streamed);
    return relayResponse(deps, exchange, upstream, extraHeaders ? { extraHeaders } : {});
  }
  const { optimized } = rewrite;
  const forwarded = await forward(deps, health, request, {
    routed,
    body: rewrite.bytes,
    original: false,
    afterDispatch: optimized
      ? () => accountTokens(deps, { api, json, exchange }, optimized)
      : undefined,
  });
  return answerRewritten(deps, request, { api, json, rewrite, forwarded });
}

/** Handles one generation request; never throws. */
export async function handleGeneration(
  shared: PipelineDeps,
  health: UpstreamHealth,
  request: ClientRequest,
  api: GenerationApi,
): Promise<Response> {
  const deps = tenantScoped(shared, request.raw.headers);
  const exchange = request.exchange;
  const provider = providerOfApi(api);
  recordRoute(exchange, api, provider, request.raw.headers);
  try {
    const routed = routeOf(request);
    recordAuth(exchange, authLabel(routed.credentials));
    admit(deps, request);
    requireJson(request);
    const raw = await readClientBody(deps, request);
    recordBody(exchange, raw.raw);
    const json = parseGeneration(deps, raw);
    recordGeneration(exchange, json, request.path);
    const body: GenerationBody = { api, routed, raw: raw.raw, json };
    const cacheKey = cacheKeyOf(deps, request, body);
    const hit = cacheKey ? deps.responseCache?.get(cacheKey) : undefined;
    if (hit) {
      recordCacheHit(exchange);
      return hit;
    }
    // Streams may go quiet for minutes while a model thinks: lift the server's idle timeout.
    request.conn?.disableIdleTimeout?.();
    const response = await rewriteForwardAnswer(deps, health, request, body);
    return cacheKey ? storeInCache(deps, request, cacheKey, response) : response;
  } catch (error) {
    return answerFailure(deps.log, exchange, provider, error);
  }
}
