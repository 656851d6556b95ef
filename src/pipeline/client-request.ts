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
  /**
   * Opens `target` and, once it is open, upgrades the client's request to a WebSocket relayed to
   * it. Resolves with the response that answers the upgrade, or undefined when the upstream
   * socket could not be opened (nothing was upgraded). Absent where the runtime cannot relay.
   */
  relaySocket?(target: SocketTarget, start: StartSocketRelay): Promise<Response | undefined>;
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

/** One end of a relayed WebSocket, as the runtime hands it to the pipeline. */
export interface SocketEnd {
  send(data: string | Uint8Array): void;
  close(code: number, reason: string): void;
  /** Drops the connection at once, with no close handshake and nothing more written. */
  terminate(): void;
  /** Bytes queued for this end and not yet written to its socket. */
  buffered(): number;
}

/** What happens on either end of a relayed WebSocket, reported by the runtime. */
export interface SocketEvents {
  clientMessage(data: string | Uint8Array): void;
  upstreamMessage(data: string | Uint8Array): void;
  clientClosed(code: number, reason: string): void;
  upstreamClosed(code: number, reason: string): void;
}

/** The upstream WebSocket to open for a client's upgrade. */
export interface SocketTarget {
  readonly url: string;
  readonly headers: Headers;
  readonly protocols: readonly string[];
  /** How long the upstream handshake may take. */
  readonly connectTimeoutMs: number;
}

/** Starts the relay once both sockets are open. */
export type StartSocketRelay = (client: SocketEnd, upstream: SocketEnd) => SocketEvents;
