/**
 * The data plane: the three generation APIs, and every other /v1 path passed through to the
 * provider that owns it.
 * @module
 */

import { type Context, Hono } from "hono";
import {
  type Api,
  type Provider,
  providerForCredentials,
  providerForPath,
  providerOfApi,
} from "../core/api.ts";
import { BodyProblem, decodeBody, parseJsonObject, readBody } from "../core/body.ts";
import { errorResponse } from "../core/errors.ts";
import { type Exchange, elapsedMs } from "../core/exchange.ts";
import { upstreamRequestHeaders } from "../core/headers.ts";
import { joinUpstreamUrl, normalizeBaseUrl } from "../core/upstream-url.ts";
import type { AppDeps } from "./deps.ts";
import type { HeadroomEnv } from "./hono-env.ts";
import { accountTokens, isBypassed, optimizeRequest, savingsHeaders } from "./optimize-request.ts";
import { relayResponse } from "./relay-response.ts";
import {
  ClientAborted,
  callUpstream,
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
    try {
      return { url: normalizeBaseUrl(override), configured: false };
    } catch (error) {
      return new BodyProblem(400, `x-headroom-base-url: ${(error as Error).message}`);
    }
  }

  /**
   * Sends the request upstream and relays the answer. `afterDispatch` runs once the upstream call
   * is on its way (exact token counting), so it never delays the request itself.
   */
  async function forward(
    c: Ctx,
    exchange: Exchange,
    provider: Provider,
    outgoing: Outgoing,
    afterDispatch?: () => Promise<void>,
  ): Promise<Response> {
    const base = upstreamBase(c, provider);
    if (base instanceof BodyProblem) return reject(exchange, provider, base);
    const url = joinUpstreamUrl(base.url, c.req.path, rawQuery(c.req.url));
    const headers = upstreamRequestHeaders(c.req.raw.headers, {
      keepContentEncoding: outgoing.original,
    });
    exchange.overheadMs = elapsedMs(exchange);
    let upstream: Response;
    try {
      const call = callUpstream(
        deps,
        { url, method: c.req.method, headers, body: outgoing.body },
        c.req.raw.signal,
        base.configured ? (reachable) => health.record(provider, reachable) : undefined,
      );
      if (afterDispatch) exchange.accounting = afterDispatch();
      upstream = await call;
    } catch (error) {
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
    const streamed = (upstream.headers.get("content-type") ?? "").includes("text/event-stream");
    if (exchange.accounting && !streamed) {
      // A non-streamed answer carries the savings in its headers: wait for the exact figures.
      await exchange.accounting;
      return relayResponse(deps, exchange, upstream, { extraHeaders: savingsHeaders(exchange) });
    }
    return relayResponse(deps, exchange, upstream);
  }

  async function generation(c: Ctx, api: Exclude<Api, "passthrough">): Promise<Response> {
    const exchange = c.get("exchange");
    const provider = providerOfApi(api);
    exchange.api = api;
    exchange.provider = provider;
    const limit = deps.config.maxBodyBytes;
    const body = await readBody(c.req.raw, limit);
    if (body instanceof BodyProblem) return reject(exchange, provider, body);
    exchange.bytesIn = body.raw.length;
    const decoded = decodeBody(body, deps.decodeBody, limit);
    if (decoded instanceof BodyProblem) return reject(exchange, provider, decoded);
    const json = parseJsonObject(decoded);
    if (json instanceof BodyProblem) return reject(exchange, provider, json);
    if (typeof json.value.model === "string") exchange.model = json.value.model;
    exchange.stream = json.value.stream === true;
    // Streams may go quiet for minutes while a model thinks: lift the server's idle timeout.
    c.env?.disableIdleTimeout?.();
    const optimize =
      deps.config.optimize && deps.config.compression && !isBypassed(c.req.raw.headers);
    const optimized = optimize ? optimizeRequest(deps, api, json, exchange) : undefined;
    if (!optimized) return forward(c, exchange, provider, { body: body.raw, original: true });
    return forward(c, exchange, provider, { body: optimized.bytes, original: false }, () =>
      accountTokens(deps, api, json, optimized, exchange),
    );
  }

  async function passthrough(c: Ctx): Promise<Response> {
    const exchange = c.get("exchange");
    const provider = providerForPath(c.req.path) ?? providerForCredentials(c.req.raw.headers);
    exchange.api = "passthrough";
    exchange.provider = provider;
    let body: Uint8Array | undefined;
    if (c.req.method !== "GET" && c.req.method !== "HEAD") {
      const read = await readBody(c.req.raw, deps.config.maxBodyBytes);
      if (read instanceof BodyProblem) return reject(exchange, provider, read);
      body = read.raw;
      exchange.bytesIn = body.length;
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
