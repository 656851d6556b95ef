/**
 * Serves the app with Bun.serve: the only place that listens on a socket under Bun.
 * @module
 */

import type { Server } from "bun";
import type { Hono } from "hono";
import type { HeadroomEnv } from "../app/hono-env.ts";
import { providerForCredentials, providerForPath } from "../core/api.ts";
import { ProxyError, proxyErrorResponse } from "../core/errors.ts";
import type { ConnEnv } from "../pipeline/client-request.ts";
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
    readonly server: Server<undefined>,
    readonly request: Request,
  ) {}

  get remoteAddress(): string {
    // "" (a closed socket) is unknown like an absent address: never treated as loopback.
    return this.server.requestIP(this.request)?.address ?? "";
  }

  disableIdleTimeout(): void {
    this.server.timeout(this.request, 0);
  }
}

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
  const server = Bun.serve({
    hostname,
    port,
    idleTimeout: options.idleTimeoutSeconds ?? IDLE_TIMEOUT_SECONDS,
    // The app enforces its own body limit and answers in the provider's error shape.
    maxRequestBodySize: Number.MAX_SAFE_INTEGER,
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
