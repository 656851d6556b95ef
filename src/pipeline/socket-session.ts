/**
 * One relayed Responses WebSocket between a client (Codex) and the upstream. Client messages go
 * up in the order they came; each `response.create` becomes a {@link SocketTurn} (rewritten,
 * recorded, retrieval answered); everything else passes as it came. Upstream events go to the
 * oldest unfinished turn. A close on either side closes the other with the same code; a side that
 * stops reading, or a message over the body limit, closes both.
 * @module
 */

import { ProxyError } from "../core/errors.ts";
import type { SocketEnd, SocketEvents } from "./client-request.ts";
import type { PipelineDeps } from "./deps.ts";
import type { SocketCount } from "./socket-count.ts";
import { createMessage, SocketTurn, type TurnScope } from "./socket-turn.ts";

/**
 * Bytes either socket may hold unwritten before the relay gives up on it. Neither Bun's server
 * nor its client socket can pause reading, so a peer that stops reading ends the session (1013)
 * instead of growing this process's memory. That peer is dropped rather than sent a close frame:
 * the frame would wait behind everything it has not read, and the runtime would hold all of it
 * until its close timeout (about 30 s for both of Bun's sockets).
 */
const BUFFER_LIMIT_BYTES = 16 * 1024 * 1024;

/** RFC 6455 close codes a peer may send itself (1005, 1006 and 1015 are only ever reported). */
function sendableCloseCode(code: number): number {
  if (code === 1005) return 1000;
  if ((code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014)) return code;
  if (code >= 3000 && code <= 4999) return code;
  // The peer vanished without a close frame: the other side is told it went away.
  return 1001;
}

/** A close reason within the 123 bytes a close frame allows. */
function closeReason(reason: string): string {
  const bytes = encoder.encode(reason);
  if (bytes.length <= 123) return reason;
  return new TextDecoder().decode(bytes.slice(0, 120)).replace(/\uFFFD+$/, "");
}

const encoder = new TextEncoder();

/** What a session is opened with. */
export interface SessionInputs {
  readonly deps: PipelineDeps;
  readonly headers: Headers;
  readonly path: string;
  readonly client: SocketEnd;
  readonly upstream: SocketEnd;
  readonly sockets: SocketCount;
  /** The kind of sign-in the handshake carried, for each response's record. */
  readonly auth: string | null;
  /** Admits one response (the rate limit, as for an HTTP request); throws a ProxyError. */
  readonly admit: () => void;
}

/** The relay of one client socket and its upstream socket. */
export class ResponsesSocketSession implements SocketEvents {
  readonly #scope: TurnScope;
  readonly #abort = new AbortController();
  readonly #countOut: () => void;
  readonly #admit: () => void;
  #turns: SocketTurn[] = [];
  #chain: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(inputs: SessionInputs) {
    const { deps, headers, path, client, upstream, auth } = inputs;
    this.#scope = { deps, headers, path, client, upstream, auth, signal: this.#abort.signal };
    this.#countOut = inputs.sockets.opened();
    this.#admit = inputs.admit;
  }

  clientMessage(data: string | Uint8Array): void {
    if (this.#closed) return;
    const bytes = typeof data === "string" ? encoder.encode(data) : data;
    const limit = this.#scope.deps.config.maxBodyBytes;
    if (bytes.length > limit) {
      this.#shut(1009, `Message too large: the limit is ${limit} bytes`);
      return;
    }
    // Rewriting takes time; later messages wait so the upstream sees the client's order.
    this.#chain = this.#chain
      .then(() => this.#forward(data, bytes))
      .catch((error) => {
        this.#scope.deps.log.error("socket relay failed", {
          error: (error as Error)?.message ?? String(error),
        });
        this.#shut(1011, "headroom could not relay the message");
      });
  }

  async #forward(data: string | Uint8Array, bytes: Uint8Array): Promise<void> {
    if (this.#closed) return;
    const upstream = this.#scope.upstream;
    const create = typeof data === "string" ? createMessage(data) : undefined;
    if (!create) upstream.send(data);
    else {
      const turn = new SocketTurn(this.#scope, bytes, create);
      try {
        this.#admit();
      } catch (error) {
        if (!(error instanceof ProxyError)) throw error;
        turn.refuse(error);
        return;
      }
      this.#turns.push(turn);
      await turn.send();
    }
    if (upstream.buffered() > BUFFER_LIMIT_BYTES)
      this.#shut(1013, "The upstream is not reading; try again later", upstream);
  }

  upstreamMessage(data: string | Uint8Array): void {
    if (this.#closed) return;
    const client = this.#scope.client;
    const turn = this.#turns.find((t) => !t.done);
    if (typeof data !== "string" || !turn?.sent) client.send(data);
    else if (turn.upstreamEvent(data)) this.#turns = this.#turns.filter((t) => !t.done);
    if (client.buffered() > BUFFER_LIMIT_BYTES)
      this.#shut(1013, "The client is not reading; try again later", client);
  }

  clientClosed(code: number, reason: string): void {
    if (this.#closed) return;
    this.#end("aborted", 499, "the client closed the socket before the response ended");
    this.#scope.upstream.close(sendableCloseCode(code), closeReason(reason));
  }

  upstreamClosed(code: number, reason: string): void {
    if (this.#closed) return;
    this.#end("failed", 502, "the upstream closed the socket before the response ended");
    this.#scope.client.close(sendableCloseCode(code), closeReason(reason));
  }

  /** Closes both sides with `code` (headroom's own decision); a `stalled` side is dropped. */
  #shut(code: number, reason: string, stalled?: SocketEnd): void {
    if (this.#closed) return;
    this.#end("failed", code === 1009 ? 413 : 503, reason);
    for (const end of [this.#scope.client, this.#scope.upstream]) {
      if (end === stalled) end.terminate();
      else end.close(code, closeReason(reason));
    }
  }

  /** Marks the session closed, stops its work and closes the records of unfinished turns. */
  #end(outcome: "aborted" | "failed", status: number, error: string): void {
    this.#closed = true;
    this.#abort.abort();
    for (const turn of this.#turns) turn.finish(status, outcome, error);
    this.#turns = [];
    this.#countOut();
  }
}
