/**
 * The client's request as the pipeline sees it: the Fetch request, plus the few facts only the
 * server and router know. Built once per request by the route; no router types beyond here.
 * @module
 */

import type { Exchange } from "../core/exchange.ts";
import { agentOf, cleanLabel } from "../stats/agent.ts";

/** One request on its way through the pipeline. */
export interface ClientRequest {
  readonly raw: Request;
  /** The URL's path, as routed. */
  readonly path: string;
  /** The peer's IP address; absent means unknown, which is never treated as loopback. */
  readonly remoteAddress: string | undefined;
  /** Lifts the server's idle timeout, so a quiet stream is not cut. */
  readonly disableIdleTimeout: (() => void) | undefined;
  /** The record of this request, started by the edge middleware. */
  readonly exchange: Exchange;
}

/** The raw query string of `url` ("" when there is none), exactly as sent. */
export function rawQuery(url: string): string {
  const q = url.indexOf("?");
  if (q < 0) return "";
  const hash = url.indexOf("#", q);
  return hash < 0 ? url.slice(q + 1) : url.slice(q + 1, hash);
}

/** Who sent the request, for the ledger's breakdowns (labels only, never credentials). */
export function labelClient(request: ClientRequest): void {
  const headers = request.raw.headers;
  const userAgent = headers.get("user-agent");
  request.exchange.client = {
    agent: agentOf(headers.get("x-client"), userAgent),
    userAgent: userAgent ? userAgent.slice(0, 200) : null,
    project: cleanLabel(headers.get("x-headroom-project"), 128) ?? null,
    stack: cleanLabel(headers.get("x-headroom-stack")) ?? null,
  };
}
