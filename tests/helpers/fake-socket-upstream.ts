/**
 * A fake OpenAI upstream speaking the Responses API over a WebSocket, as Codex dials it: an
 * upgrade on `/v1/responses`, `response.create` text frames from the client, and the same event
 * JSON the SSE stream carries in its `data:` lines, one text frame per event, ending with
 * `response.completed`. It records every upgrade (headers, subprotocols), every message, every
 * close and every plain HTTP request, so a test can tell which transport a turn took.
 */

import type { Server, ServerWebSocket } from "bun";
import { type Reply, responsesStream } from "./wire.ts";

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary provider JSON
type Json = any;

/** One upgrade the fake accepted (or refused). */
export interface SocketUpgrade {
  readonly path: string;
  readonly headers: Headers;
}

/** One message a client sent on a socket. */
export interface SocketMessage {
  /** Which socket (its upgrade's index). */
  readonly socket: number;
  readonly text: string;
  readonly json: Json;
}

/** What the fake model answers one `response.create` with. */
export type SocketReply =
  | { readonly reply: Reply; readonly model?: string; readonly delayMs?: number }
  | { readonly events: readonly string[] }
  | { readonly close: { code: number; reason: string } };

/** The `data:` JSON of each SSE event text. */
export function eventData(sseTexts: readonly string[]): string[] {
  return sseTexts.map((text) => /\ndata: (.*)\n\n$/s.exec(text)![1]!);
}

/** The events answering a `generate: false` request: created, then completed with no output. */
function warmUpEvents(model: string): string[] {
  const response = (status: string, usage: Json) => ({
    id: "resp_FakeWarmUp01",
    object: "response",
    created_at: 1764115200,
    status,
    model,
    output: [],
    usage,
  });
  return [
    JSON.stringify({
      type: "response.created",
      sequence_number: 0,
      response: response("in_progress", null),
    }),
    JSON.stringify({
      type: "response.completed",
      sequence_number: 1,
      response: response("completed", {
        input_tokens: 0,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: 0,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: 0,
      }),
    }),
  ];
}

interface Conn {
  readonly index: number;
}

/** The fake upstream. */
export class FakeSocketUpstream {
  readonly upgrades: SocketUpgrade[] = [];
  readonly messages: SocketMessage[] = [];
  readonly closes: { socket: number; code: number; reason: string }[] = [];
  /** Plain HTTP requests (anything that was not an upgrade). */
  readonly httpRequests: { method: string; path: string }[] = [];
  /** Events sent to clients, per socket, in order. */
  readonly sent: string[][] = [];
  /** When set, the handshake is refused with this status. */
  refuseWith: number | undefined;
  /** Headers the fake adds to its 101 answer (Codex reads its turn state and model there). */
  upgradeHeaders: Record<string, string> = {};
  /** The subprotocol the fake selects when the client offers it. */
  acceptProtocol: string | undefined;
  /** Answers plain HTTP requests (a model list, say); 404 in OpenAI's shape when absent. */
  http: ((method: string, path: string) => Response | undefined) | undefined;
  /** The fake model. */
  answer: (message: SocketMessage) => SocketReply = () => ({
    reply: { kind: "text", text: "ok" },
  });
  readonly #server: Server<Conn>;
  readonly #sockets = new Map<number, ServerWebSocket<Conn>>();
  /** Wakes a socket's event loop once its send queue drains, or once it closes. */
  readonly #drainWaiters = new Map<number, () => void>();

  constructor() {
    this.#server = Bun.serve<Conn>({
      hostname: "127.0.0.1",
      port: 0,
      fetch: (request, server) => {
        const path = new URL(request.url).pathname;
        if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
          this.httpRequests.push({ method: request.method, path });
          const answer = this.http?.(request.method, path);
          if (answer) return answer;
          return new Response(
            JSON.stringify({ error: { message: "use the socket", type: "invalid_request_error" } }),
            { status: 404, headers: { "content-type": "application/json" } },
          );
        }
        const index = this.upgrades.length;
        this.upgrades.push({ path, headers: new Headers(request.headers) });
        if (this.refuseWith !== undefined) {
          return new Response(
            JSON.stringify({
              error: { message: "Incorrect API key provided", type: "invalid_request_error" },
            }),
            { status: this.refuseWith, headers: { "content-type": "application/json" } },
          );
        }
        const offered = (request.headers.get("sec-websocket-protocol") ?? "")
          .split(",")
          .map((p) => p.trim());
        const headers: Record<string, string> = { ...this.upgradeHeaders };
        if (this.acceptProtocol && offered.includes(this.acceptProtocol))
          headers["sec-websocket-protocol"] = this.acceptProtocol;
        this.sent[index] = [];
        if (server.upgrade(request, { data: { index }, headers })) return undefined;
        return new Response("upgrade failed", { status: 400 });
      },
      websocket: {
        open: (ws) => {
          this.#sockets.set(ws.data.index, ws);
        },
        message: (ws, data) => {
          const text = typeof data === "string" ? data : new TextDecoder().decode(data);
          const message = { socket: ws.data.index, text, json: JSON.parse(text) };
          this.messages.push(message);
          void this.#respond(ws, message);
        },
        drain: (ws) => this.#wake(ws.data.index),
        close: (ws, code, reason) => {
          this.closes.push({ socket: ws.data.index, code, reason });
          this.#sockets.delete(ws.data.index);
          this.#wake(ws.data.index);
        },
      },
    });
  }

  async #respond(ws: ServerWebSocket<Conn>, message: SocketMessage): Promise<void> {
    if (message.json.type !== "response.create") return;
    // Codex warms the socket up with `generate: false`: the response is created and completed
    // at once, with no output.
    const answer: SocketReply =
      message.json.generate === false
        ? { events: warmUpEvents(message.json.model ?? "m") }
        : this.answer(message);
    if ("close" in answer) {
      ws.close(answer.close.code, answer.close.reason);
      return;
    }
    const events =
      "events" in answer
        ? answer.events
        : eventData(responsesStream(answer.reply, answer.model ?? message.json.model ?? "m"));
    for (const event of events) {
      if ("delayMs" in answer && answer.delayMs) await Bun.sleep(answer.delayMs);
      if (ws.readyState !== 1) return;
      this.sent[ws.data.index]!.push(event);
      // Past its backpressure limit Bun drops what is sent (send answers 0); a real upstream
      // never drops an event, it waits until the reader catches up.
      if (ws.send(event) === -1) await this.#drained(ws.data.index);
    }
  }

  #drained(index: number): Promise<void> {
    return new Promise((resolve) => this.#drainWaiters.set(index, resolve));
  }

  #wake(index: number): void {
    const resolve = this.#drainWaiters.get(index);
    this.#drainWaiters.delete(index);
    resolve?.();
  }

  /** How many sockets are open on the fake's side. */
  get openSockets(): number {
    return this.#sockets.size;
  }

  /** The open server-side socket of upgrade `index`, if it is still open. */
  socket(index: number): ServerWebSocket<Conn> | undefined {
    return this.#sockets.get(index);
  }

  get url(): string {
    return `http://127.0.0.1:${this.#server.port}`;
  }

  /** Forgets what was recorded and restores the defaults. */
  reset(): void {
    this.upgrades.length = 0;
    this.messages.length = 0;
    this.closes.length = 0;
    this.httpRequests.length = 0;
    this.sent.length = 0;
    this.refuseWith = undefined;
    this.acceptProtocol = undefined;
    this.upgradeHeaders = {};
    this.http = undefined;
    this.answer = () => ({ reply: { kind: "text", text: "ok" } });
  }

  stop(): void {
    this.#server.stop(true);
  }
}
