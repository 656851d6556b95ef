/**
 * Serves the app with Bun.serve: the only place that listens on a socket under Bun.
 * @module
 */

import type { Server, ServerWebSocket } from "bun";
import type { Hono } from "hono";
import UpstreamSocket from "ws";
import type { HeadroomEnv } from "../app/hono-env.ts";
import { providerForCredentials, providerForPath } from "../core/api.ts";
import { ProxyError, proxyErrorResponse } from "../core/errors.ts";
import { clientResponseHeaders } from "../core/headers.ts";
import type {
  ConnEnv,
  SocketEnd,
  SocketEvents,
  SocketTarget,
  StartSocketRelay,
} from "../pipeline/client-request.ts";
import { headerBlockBytes, MAX_REQUEST_HEADER_BYTES } from "./header-limit.ts";

/** A running server. */
export interface RunningServer {
  readonly port: number;
  readonly hostname: string;
  /** Stops accepting, lets in-flight requests finish for up to `graceMs`, then closes the rest. */
  stop(graceMs: number): Promise<void>;
}

// Idle limit for connections that are not relaying a stream (slow or stuck clients). Streaming
// routes lift it per request, because a model may think for minutes between events.
const IDLE_TIMEOUT_SECONDS = 60;

/** Options of {@link serveWithBun}. */
export interface ServeOptions {
  /** Seconds a connection may stay silent outside a stream (tests shorten it). */
  readonly idleTimeoutSeconds?: number;
  /** The largest request header block answered normally (tests shorten it). */
  readonly maxHeaderBytes?: number;
  /**
   * Answers a request the server refuses before the app routes it, recorded like the app's own
   * refusals (createApp's `refuse`); without it the answer is shaped but not recorded.
   */
  readonly refuse?: (request: Request, status: number, message: string) => Response;
}

/**
 * The per-request env the app sees. The peer address is looked up only when a route asks for
 * it: most requests never do, and the lookup and a closure per request add up under load.
 */
class BunConnEnv implements ConnEnv {
  constructor(
    readonly server: Server<RelayedSocket>,
    readonly request: Request,
  ) {}

  get remoteAddress(): string {
    // "" (a closed socket) is unknown like an absent address: never treated as loopback.
    return this.server.requestIP(this.request)?.address ?? "";
  }

  disableIdleTimeout(): void {
    this.server.timeout(this.request, 0);
  }

  async relaySocket(target: SocketTarget, start: StartSocketRelay): Promise<Response | undefined> {
    const opened = await openUpstreamSocket(target);
    if (!opened) return undefined;
    const relayed = new RelayedSocket(opened.socket, start);
    // The client's 101 carries the upstream's headers (its subprotocol, Codex's turn state and
    // model headers), as if it had dialled the upstream itself.
    const headers = socketResponseHeaders(opened.headers);
    if (!this.server.upgrade(this.request, { data: relayed, headers })) {
      opened.socket.close(1011, "the client's upgrade failed");
      return new Response("WebSocket upgrade failed", { status: 400 });
    }
    // Bun has answered the upgrade itself; this response is never sent.
    return new Response(null);
  }
}

/** An open upstream socket and the headers of its 101 answer. */
interface OpenedSocket {
  readonly socket: UpstreamSocket;
  readonly headers: Headers;
}

/** Opens the upstream socket, resolving undefined when it fails or times out before opening. */
function openUpstreamSocket(target: SocketTarget): Promise<OpenedSocket | undefined> {
  return new Promise((resolve) => {
    let socket: UpstreamSocket;
    try {
      socket = new UpstreamSocket(target.url, [...target.protocols], {
        headers: Object.fromEntries(target.headers),
        perMessageDeflate: false,
      });
    } catch {
      resolve(undefined);
      return;
    }
    let headers = new Headers();
    const timer = setTimeout(() => {
      socket.terminate();
      settle(undefined);
    }, target.connectTimeoutMs);
    const settle = (value: OpenedSocket | undefined) => {
      clearTimeout(timer);
      socket.removeAllListeners();
      if (!value) socket.on("error", () => {});
      resolve(value);
    };
    socket.on("upgrade", (response) => {
      headers = nodeHeaders(response.headers);
    });
    socket.on("open", () => settle({ socket, headers }));
    socket.on("unexpected-response", () => {
      socket.terminate();
      settle(undefined);
    });
    socket.on("error", () => settle(undefined));
    socket.on("close", () => settle(undefined));
  });
}

/** Node-style response headers as Fetch Headers. */
function nodeHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) for (const one of value) headers.append(name, one);
    else if (value !== undefined) headers.set(name, value);
  }
  return headers;
}

// Headers of the upstream's 101 that describe that connection, not the client's: Bun writes
// its own for the client's upgrade.
const OWN_UPGRADE_HEADERS = ["sec-websocket-accept", "sec-websocket-extensions", "date", "server"];

/** The upstream's 101 headers to repeat on the client's: all but the connection's own. */
function socketResponseHeaders(upstream: Headers): Headers {
  const headers = clientResponseHeaders(upstream);
  for (const name of OWN_UPGRADE_HEADERS) headers.delete(name);
  return headers;
}

/**
 * One relayed WebSocket: the upstream socket, and the pipeline's relay once the client's side is
 * open. What the upstream says before then waits here (it says nothing until asked, so little).
 */
class RelayedSocket {
  #events: SocketEvents | undefined;
  #early: Array<() => void> = [];

  constructor(
    readonly upstream: UpstreamSocket,
    readonly start: StartSocketRelay,
  ) {
    upstream.on("message", (data, isBinary) => {
      const message = isBinary ? new Uint8Array(data) : utf8.decode(data);
      this.#deliver((events) => events.upstreamMessage(message));
    });
    upstream.on("close", (code, reason) => {
      this.#deliver((events) => events.upstreamClosed(code, utf8.decode(reason)));
    });
    // A failed socket also closes (1006), which is what the relay acts on.
    upstream.on("error", () => {});
  }

  #deliver(act: (events: SocketEvents) => void): void {
    if (this.#events) act(this.#events);
    else this.#early.push(() => act(this.#events!));
  }

  opened(client: ServerWebSocket<RelayedSocket>): void {
    const upstream = this.upstream;
    const clientEnd: SocketEnd = {
      send: (data) => void client.send(data),
      close: (code, reason) => client.close(code, reason),
      terminate: () => client.terminate(),
      buffered: () => client.getBufferedAmount(),
    };
    const upstreamEnd: SocketEnd = {
      send: (data) => upstream.send(data),
      close: (code, reason) => upstream.close(code, reason),
      terminate: () => upstream.terminate(),
      buffered: () => upstream.bufferedAmount,
    };
    this.#events = this.start(clientEnd, upstreamEnd);
    for (const act of this.#early.splice(0)) act();
  }

  get events(): SocketEvents | undefined {
    return this.#events;
  }
}

const utf8 = new TextDecoder();

// A backstop only: the relay enforces the configured body limit on each message itself.
const MAX_SOCKET_MESSAGE_BYTES = 256 * 1024 * 1024;
/** A refusal in the provider's shape, when no app records it. */
function unrecordedRefusal(request: Request, status: number, message: string): Response {
  const path = new URL(request.url).pathname;
  const provider = providerForPath(path) ?? providerForCredentials(request.headers);
  return proxyErrorResponse(provider, new ProxyError(status, "rejected", message));
}

/** Starts serving `app` on `hostname:port` (port 0 picks a free one). */
export function serveWithBun(
  app: Hono<HeadroomEnv>,
  hostname: string,
  port: number,
  options: ServeOptions = {},
): RunningServer {
  const maxHeaderBytes = options.maxHeaderBytes ?? MAX_REQUEST_HEADER_BYTES;
  const server = Bun.serve<RelayedSocket>({
    hostname,
    port,
    idleTimeout: options.idleTimeoutSeconds ?? IDLE_TIMEOUT_SECONDS,
    // The app enforces its own body limit and answers in the provider's error shape.
    maxRequestBodySize: Number.MAX_SAFE_INTEGER,
    websocket: {
      maxPayloadLength: MAX_SOCKET_MESSAGE_BYTES,
      // A model may think for minutes; pings keep a quiet socket alive meanwhile.
      idleTimeout: 960,
      sendPings: true,
      open(ws) {
        ws.data.opened(ws);
      },
      message(ws, message) {
        ws.data.events?.clientMessage(
          typeof message === "string" ? message : new Uint8Array(message),
        );
      },
      close(ws, code, reason) {
        ws.data.events?.clientClosed(code, reason);
      },
    },
    fetch(request, srv) {
      if (headerBlockBytes(request.headers, maxHeaderBytes) > maxHeaderBytes) {
        const message = `Request headers too large: the limit is ${maxHeaderBytes} bytes`;
        return (options.refuse ?? unrecordedRefusal)(request, 431, message);
      }
      return app.fetch(request, new BunConnEnv(srv, request));
    },
  });
  return {
    port: server.port ?? port,
    hostname: server.hostname ?? hostname,
    async stop(graceMs) {
      const graceful = server.stop(false);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      });
      await Promise.race([graceful, deadline]);
      clearTimeout(timer);
      await server.stop(true);
    },
  };
}
