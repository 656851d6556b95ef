/**
 * An upstream on a raw TCP socket (127.0.0.1, port 0) that writes exactly the bytes it is told,
 * for faults a well-behaved HTTP server cannot produce: a body shorter than its content-length,
 * a connection dropped in the middle of a response.
 */

/** A raw upstream answering every request with `answer`, then closing the connection. */
export interface RawUpstream {
  readonly url: string;
  /** Requests received (each counted once, when its first bytes arrive). */
  readonly requests: () => number;
  stop(): void;
}

/**
 * Starts a raw upstream; `answer` is written as soon as a request starts arriving, and the
 * connection is then dropped, or held open and silent with `hold`.
 */
export function rawUpstream(
  answer: string | Uint8Array,
  options: { hold?: boolean } = {},
): RawUpstream {
  let requests = 0;
  const seen = new WeakSet<object>();
  const listener = Bun.listen({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      data(socket) {
        if (seen.has(socket)) return;
        seen.add(socket);
        requests++;
        socket.write(answer);
        // Let the bytes leave before the connection drops, as a real crash mid-response would.
        if (!options.hold) setTimeout(() => socket.end(), 20);
      },
    },
  });
  return {
    url: `http://127.0.0.1:${listener.port}`,
    requests: () => requests,
    stop: () => listener.stop(true),
  };
}
