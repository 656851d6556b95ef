/**
 * The client's request as the pipeline sees it: the Fetch request, plus the few facts only the
 * server and router know. Built once per request by the route; no router types beyond here.
 * @module
 */

import type { Exchange } from "../core/exchange.ts";

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
