/**
 * Serves the app with Bun.serve: the only place that listens on a socket under Bun.
 * @module
 */

import type { Hono } from "hono";
import type { HeadroomEnv } from "../app/hono-env.ts";

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
}

/** Starts serving `app` on `hostname:port` (port 0 picks a free one). */
export function serveWithBun(
  app: Hono<HeadroomEnv>,
  hostname: string,
  port: number,
  options: ServeOptions = {},
): RunningServer {
  const server = Bun.serve({
    hostname,
    port,
    idleTimeout: options.idleTimeoutSeconds ?? IDLE_TIMEOUT_SECONDS,
    // The app enforces its own body limit and answers in the provider's error shape.
    maxRequestBodySize: Number.MAX_SAFE_INTEGER,
    fetch(request, srv) {
      const remoteAddress = srv.requestIP(request)?.address;
      return app.fetch(request, {
        ...(remoteAddress ? { remoteAddress } : {}),
        disableIdleTimeout: () => srv.timeout(request, 0),
      });
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
