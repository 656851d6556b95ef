/**
 * The client's request as the pipeline sees it: the Fetch request, plus the few facts only the
 * server and router know. Built once per request by the route; no router types beyond here.
 * @module
 */

import type { Exchange } from "../core/exchange.ts";

/**
 * Per-request facts only the server knows, passed as Hono's env by the runtime entry. Read
 * through the object (never destructured): the Bun server looks the peer up lazily.
 */
export interface ConnEnv {
  /** The peer's IP address; absent means unknown, which is never treated as loopback. */
  readonly remoteAddress?: string;
  /** Lifts the server's idle timeout for this request, so quiet streams are not cut. */
  disableIdleTimeout?(): void;
}

/** One request on its way through the pipeline. */
export interface ClientRequest {
  readonly raw: Request;
  /** The URL's path, as routed. */
  readonly path: string;
  /** The connection it came on (absent when the app is called without a server). */
  readonly conn: ConnEnv | undefined;
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
