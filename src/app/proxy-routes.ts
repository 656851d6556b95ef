/**
 * The data plane: the three generation APIs, and every other /v1 path passed through to the
 * provider that owns it.
 * @module
 */

import { type Context, Hono } from "hono";
import { estimateTokens } from "../compress/tokens.ts";
import {
  type Api,
  type Provider,
  providerForCredentials,
  providerForPath,
  providerOfApi,
} from "../core/api.ts";
import {
  BodyProblem,
  decodeBody,
  type JsonBody,
  parseJsonObject,
  type RawBody,
  readBody,
} from "../core/body.ts";
import { responseCacheKey } from "../core/cache-key.ts";
import { errorResponse } from "../core/errors.ts";
import { type Exchange, elapsedMs } from "../core/exchange.ts";
import { upstreamRequestHeaders } from "../core/headers.ts";
import { isLoopbackCaller } from "../core/loopback.ts";
import { joinUpstreamUrl, normalizeBaseUrl } from "../core/upstream-url.ts";
import { agentOf, cleanLabel } from "../stats/agent.ts";
import type { AppDeps } from "./deps.ts";
import type { HeadroomEnv } from "./hono-env.ts";
import { accountTokens, isBypassed, savingsHeaders } from "./optimize-request.ts";
import { relayResponse } from "./relay-response.ts";
import { captureBody } from "./response-cache.ts";
import { respondWithRetrieval } from "./retrieval-loop.ts";
import { rewriteRequest } from "./rewrite-request.ts";
import {
  ClientAborted,
  callUpstream,
  type UpstreamRequest,
  UpstreamTimeout,
  UpstreamUnreachable,
} from "./upstream-call.ts";
import type { UpstreamHealth } from "./upstream-health.ts";

type Ctx = Context<HeadroomEnv>;

/** The request body as it will be sent upstream. */
interface Outgoing {
  readonly body: Uint8Array | undefined;
  /** True when `body` is the client's original (possibly encoded) bytes. */
  readonly original: boolean;
}

/** What to do with the upstream's answer, and work to start once the request is on its way. */
interface Answering {
  /** Runs once the upstream call is dispatched (exact token counting). */
  readonly afterDispatch?: () => Promise<void>;
  /** Turns the upstream's response into the client's (the default relays it). */
  readonly respond?: (upstream: Response, request: UpstreamRequest) => Promise<Response> | Response;
}

function rawQuery(url: string): string {
  const q = url.indexOf("?");
  if (q < 0) return "";
  const hash = url.indexOf("#", q);
  return hash < 0 ? url.slice(q + 1) : url.slice(q + 1, hash);
}

function reject(exchange: Exchange, provider: Provider, problem: BodyProblem): Response {
  exchange.outcome = "rejected";
  exchange.status = problem.status;
  exchange.error = problem.message;
  return errorResponse(provider, problem.status, problem.message);
}

/** Creates the data-plane routes. */
export function proxyRoutes(deps: AppDeps, health: UpstreamHealth): Hono<HeadroomEnv> {
  const app = new Hono<HeadroomEnv>();

  /** The base URL for this request: the x-headroom-base-url override, or the configured one. */
  function upstreamBase(
    c: Ctx,
    provider: Provider,
  ): { url: string; configured: boolean } | BodyProblem {
    const override = c.req.header("x-headroom-base-url");
    if (override === undefined)
      return { url: deps.config.upstreams[provider].url, configured: true };
    // Any URL, with the caller's key: from another machine that is a way into this one's
    // network, so it takes the operator's consent.
    if (!deps.config.remoteBaseUrl && !isLoopbackCaller(c.env?.remoteAddress, c.req.raw.headers)) {
      return new BodyProblem(
        403,
        "x-headroom-base-url is only honoured from this machine; set HEADROOM_REMOTE_BASE_URL=1 to allow it from other callers",
      );
    }
    try {
      return { url: normalizeBaseUrl(override), configured: false };
    } catch (error) {
      return new BodyProblem(400, `x-headroom-base-url: ${(error as Error).message}`);
    }
  }

  function failure(exchange: Exchange, provider: Provider, error: unknown): Response {
    const message = (error as Error)?.message ?? String(error);
    exchange.error = message;
    if (error instanceof ClientAborted) {
      exchange.outcome = "aborted";
      exchange.status = 499;
      return new Response(null, { status: 499 });
    }
    exchange.outcome = "failed";
    if (error instanceof UpstreamTimeout) {
      exchange.status = 504;
      return errorResponse(provider, 504, message);
    }
    exchange.status = 502;
    if (error instanceof UpstreamUnreachable) return errorResponse(provider, 502, message);
    deps.log.error("upstream call failed", { error: message });
    return errorResponse(provider, 502, `headroom could not forward the request: ${message}`);
  }

  /** Sends the request upstream and answers the client. */
  async function forward(
    c: Ctx,
    exchange: Exchange,
    provider: Provider,
    outgoing: Outgoing,
    answering: Answering = {},
  ): Promise<Response> {
    const base = upstreamBase(c, provider);
    if (base instanceof BodyProblem) return reject(exchange, provider, base);
    const request: UpstreamRequest = {
      url: joinUpstreamUrl(base.url, c.req.path, rawQuery(c.req.url)),
      method: c.req.method,
      headers: upstreamRequestHeaders(c.req.raw.headers, {
        keepContentEncoding: outgoing.original,
      }),
      body: outgoing.body,
    };
    const observe = base.configured
      ? (reachable: boolean) => health.record(provider, reachable)
      : undefined;
    exchange.overheadMs = elapsedMs(exchange);
    let upstream: Response;
    try {
      const call = callUpstream(deps, request, c.req.raw.signal, observe);
      if (answering.afterDispatch) exchange.accounting = answering.afterDispatch();
      upstream = await call;
    } catch (error) {
      return failure(exchange, provider, error);
    }
    if (answering.respond) return answering.respond(upstream, request);
    return relayResponse(deps, exchange, upstream);
  }

  /** Who sent the request, for the ledger's breakdowns (labels only, never credentials). */
  function labelClient(c: Ctx, exchange: Exchange): void {
    const userAgent = c.req.header("user-agent") ?? null;
    exchange.client = {
      agent: agentOf(c.req.header("x-client"), userAgent),
      userAgent: userAgent ? userAgent.slice(0, 200) : null,
      project: cleanLabel(c.req.header("x-headroom-project"), 128) ?? null,
      stack: cleanLabel(c.req.header("x-headroom-stack")) ?? null,
    };
  }

  /** Refuses a client over its per-minute allowance, when rate limiting is on. */
  function rateLimited(c: Ctx, exchange: Exchange, provider: Provider): Response | undefined {
    const perMinute = deps.config.rateLimitRpm;
    if (perMinute <= 0) return undefined;
    const credential = c.req.header("x-api-key") ?? c.req.header("authorization") ?? "";
    const key = `${deps.sha256(credential)}|${c.env?.remoteAddress ?? ""}`;
    const wait = deps.rateLimiter.take(key, perMinute);
    if (wait === 0) return undefined;
    exchange.outcome = "rejected";
    exchange.status = 429;
    return errorResponse(
      provider,
      429,
      `Rate limited by headroom: at most ${perMinute} requests a minute`,
      {
        headers: { "retry-after": String(wait) },
      },
    );
  }

  /** Reads the raw body; a read that fails means the client went away while uploading it. */
  async function readClientBody(
    c: Ctx,
    exchange: Exchange,
    provider: Provider,
  ): Promise<RawBody | Response> {
    let body: RawBody | BodyProblem;
    try {
      body = await readBody(c.req.raw, deps.config.maxBodyBytes);
    } catch (error) {
      const message = (error as Error)?.message ?? String(error);
      return failure(exchange, provider, new ClientAborted(`The client went away: ${message}`));
    }
    if (body instanceof BodyProblem) return reject(exchange, provider, body);
    exchange.bytesIn = body.raw.length;
    return body;
  }

  /** Reads, decodes and parses a generation request, or answers why it cannot be used. */
  async function readGeneration(
    c: Ctx,
    exchange: Exchange,
    provider: Provider,
  ): Promise<{ raw: Uint8Array; json: JsonBody } | Response> {
    const limit = deps.config.maxBodyBytes;
    const body = await readClientBody(c, exchange, provider);
    if (body instanceof Response) return body;
    const decoded = decodeBody(body, deps.decodeBody, limit);
    if (decoded instanceof BodyProblem) return reject(exchange, provider, decoded);
    const json = parseJsonObject(decoded);
    if (json instanceof BodyProblem) return reject(exchange, provider, json);
    if (typeof json.value.model === "string") exchange.model = json.value.model;
    exchange.stream = json.value.stream === true;
    // Only needed when the upstream reports no usage; computed then, from the text kept here.
    exchange.estimateInput = () => estimateTokens(json.text);
    return { raw: body.raw, json };
  }

  /** The response cache's key for this request, when the cache applies to it. */
  function cacheKeyOf(c: Ctx, api: Api, provider: Provider, json: JsonBody): string | undefined {
    if (!deps.responseCache || isBypassed(c.req.raw.headers)) return undefined;
    const base = upstreamBase(c, provider);
    if (base instanceof BodyProblem) return undefined;
    const upstreamUrl = joinUpstreamUrl(base.url, c.req.path, rawQuery(c.req.url));
    try {
      return responseCacheKey(
        { upstreamUrl, api, headers: c.req.raw.headers, body: json.value },
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
  function storeInCache(exchange: Exchange, key: string, response: Response): Response {
    const cache = deps.responseCache;
    if (!cache || response.status !== 200) return response;
    return captureBody(response, cache.maxBytes / 8, (bytes) => {
      if (exchange.outcome === "ok") cache.set(key, response.status, response.headers, bytes);
    });
  }

  async function generation(c: Ctx, api: Exclude<Api, "passthrough">): Promise<Response> {
    const exchange = c.get("exchange");
    labelClient(c, exchange);
    const provider = providerOfApi(api);
    exchange.api = api;
    exchange.provider = provider;
    const limited = rateLimited(c, exchange, provider);
    if (limited) return limited;
    const read = await readGeneration(c, exchange, provider);
    if (read instanceof Response) return read;
    const { raw, json } = read;
    const cacheKey = cacheKeyOf(c, api, provider, json);
    const hit = cacheKey ? deps.responseCache?.get(cacheKey) : undefined;
    if (hit) {
      // Served locally: no upstream tokens were spent on it.
      exchange.cached = true;
      exchange.outcome = "ok";
      exchange.usage = { inputTokens: 0, outputTokens: 0 };
      return hit;
    }
    // Streams may go quiet for minutes while a model thinks: lift the server's idle timeout.
    c.env?.disableIdleTimeout?.();
    const response = await answerGeneration(c, exchange, api, provider, raw, json);
    return cacheKey ? storeInCache(exchange, cacheKey, response) : response;
  }

  /** Rewrites (compression, hidden calls, the retrieve tool), forwards and answers. */
  async function answerGeneration(
    c: Ctx,
    exchange: Exchange,
    api: Exclude<Api, "passthrough">,
    provider: Provider,
    raw: Uint8Array,
    json: JsonBody,
  ): Promise<Response> {
    // --no-optimize forwards every byte untouched; a bypass or switched-off compression only
    // stops new compression (the history and the tool it needs stay as on earlier turns).
    const mode = deps.config.compression && !isBypassed(c.req.raw.headers) ? "compress" : "replay";
    const rewrite = deps.config.optimize
      ? await rewriteRequest(
          deps,
          api,
          json,
          exchange,
          mode,
          c.req.header("x-headroom-session-id"),
          c.req.raw.signal,
        )
      : undefined;
    if (!rewrite) return forward(c, exchange, provider, { body: raw, original: true });
    const { optimized } = rewrite;
    const afterDispatch = optimized
      ? () => accountTokens(deps, api, json, optimized, exchange)
      : undefined;
    const respond = async (upstream: Response, request: UpstreamRequest): Promise<Response> => {
      const streamed = (upstream.headers.get("content-type") ?? "").includes("text/event-stream");
      // A non-streamed answer carries the savings in its headers: wait for the exact figures.
      if (!streamed && exchange.accounting) await exchange.accounting;
      const extraHeaders = streamed ? undefined : savingsHeaders(exchange);
      if (!rewrite.offersRetrieve)
        return relayResponse(deps, exchange, upstream, extraHeaders ? { extraHeaders } : {});
      return respondWithRetrieval(
        {
          deps,
          exchange,
          api,
          bodyText: rewrite.text,
          body: json.value,
          signal: c.req.raw.signal,
          ...(extraHeaders ? { extraHeaders } : {}),
          send: (text) =>
            callUpstream(
              deps,
              { ...request, body: new TextEncoder().encode(text) },
              c.req.raw.signal,
            ),
        },
        upstream,
      );
    };
    return forward(
      c,
      exchange,
      provider,
      { body: rewrite.bytes, original: false },
      {
        ...(afterDispatch ? { afterDispatch } : {}),
        respond,
      },
    );
  }

  async function passthrough(c: Ctx): Promise<Response> {
    const exchange = c.get("exchange");
    labelClient(c, exchange);
    const provider = providerForPath(c.req.path) ?? providerForCredentials(c.req.raw.headers);
    exchange.api = "passthrough";
    exchange.provider = provider;
    const limited = rateLimited(c, exchange, provider);
    if (limited) return limited;
    if (c.req.header("upgrade")?.toLowerCase() === "websocket") {
      // headroom relays HTTP only. Forwarded without its Upgrade header, the handshake would
      // reach the provider as a plain GET with the caller's key; refused here, the client
      // (Codex tries WebSockets first) falls back to HTTP streaming. Not a model request: it
      // stays out of the ledger.
      exchange.outcome = "local";
      return errorResponse(provider, 426, "headroom does not relay WebSockets; use HTTP streaming");
    }
    let body: Uint8Array | undefined;
    if (c.req.method !== "GET" && c.req.method !== "HEAD") {
      const read = await readClientBody(c, exchange, provider);
      if (read instanceof Response) return read;
      body = read.raw;
    }
    c.env?.disableIdleTimeout?.();
    return forward(c, exchange, provider, { body, original: true });
  }

  app.post("/v1/messages", (c) => generation(c, "messages"));
  app.post("/v1/chat/completions", (c) => generation(c, "chat"));
  app.post("/v1/responses", (c) => generation(c, "responses"));
  app.all("/v1/*", (c) => passthrough(c));
  return app;
}
