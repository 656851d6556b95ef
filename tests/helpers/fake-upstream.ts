/**
 * A fake LLM provider on a real socket (127.0.0.1, port 0) that speaks the Anthropic, OpenAI and
 * Gemini wire formats byte for byte, records every request it receives, and can be told to misbehave.
 */

import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import {
  GEMINI_MODELS,
  geminiArray,
  geminiChunks,
  geminiResponse,
  geminiSse,
} from "./gemini-wire.ts";
import {
  ANTHROPIC_MODELS,
  anthropicMessage,
  anthropicStream,
  chatCompletion,
  chatStream,
  DEFAULT_USAGE,
  type FakeUsage,
  type Reply,
  responsesBody,
  responsesStream,
} from "./wire.ts";

/** A request as the upstream received it. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  /** The raw query string, without "?". */
  readonly query: string;
  readonly headers: Headers;
  readonly body: Uint8Array;
  readonly sha256: string;
  /** The body parsed as JSON, when it is JSON. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary provider JSON
  readonly json: any;
}

/** Answers one request instead of the default behaviour. */
export type FakeHandler = (request: RecordedRequest) => Response | Promise<Response>;

const encoder = new TextEncoder();

/** A fake provider. */
export class FakeUpstream {
  readonly requests: RecordedRequest[] = [];
  /** Replies of the next generation requests, in order; the default text reply when empty. */
  readonly replies: Reply[] = [];
  usage: FakeUsage = { ...DEFAULT_USAGE };
  /** Delay between streamed events, in milliseconds. */
  eventDelayMs = 0;
  /** How many streamed responses the client side cancelled. */
  cancelledStreams = 0;
  /** How many requests the client side abandoned before their response ended. */
  abortedRequests = 0;
  #handlers: FakeHandler[] = [];
  #persistent: FakeHandler | undefined;
  readonly #server: ReturnType<typeof Bun.serve>;

  constructor() {
    this.#server = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      idleTimeout: 0,
      fetch: (request) => this.#handle(request),
    });
  }

  /** The base URL to configure as the proxy's upstream. */
  get url(): string {
    return `http://127.0.0.1:${this.#server.port}`;
  }

  /** Answers the next request with `handler` (queued: one handler per request). */
  once(handler: FakeHandler): this {
    this.#handlers.push(handler);
    return this;
  }

  /** Answers every later request with `handler` until {@link reset}. */
  always(handler: FakeHandler): this {
    this.#persistent = handler;
    return this;
  }

  /** Forgets recorded requests, queued replies and handlers. */
  reset(): void {
    this.requests.length = 0;
    this.replies.length = 0;
    this.#handlers.length = 0;
    this.#persistent = undefined;
    this.cancelledStreams = 0;
    this.abortedRequests = 0;
    this.eventDelayMs = 0;
    this.usage = { ...DEFAULT_USAGE };
  }

  stop(): void {
    this.#server.stop(true);
  }

  /** A streamed response of `events`, optionally failing or stalling after `stopAfter` events. */
  stream(
    events: string[],
    options: {
      stopAfter?: number;
      ending?: "reset" | "stall";
      headers?: Record<string, string>;
    } = {},
  ): Response {
    let index = 0;
    const limit = options.stopAfter ?? events.length;
    const delay = this.eventDelayMs;
    const body = new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        if (index > 0 && delay > 0) await Bun.sleep(delay);
        if (index < limit) {
          controller.enqueue(encoder.encode(events[index++]!));
          return;
        }
        if (options.ending === "reset") {
          // Let the events already sent reach the wire first, as a real mid-stream reset would.
          await Bun.sleep(25);
          // Erroring the body drops the connection. Bun prints any reason given to the
          // console, so none is: the client sees the same reset, the suite stays quiet.
          controller.error(undefined);
          return;
        }
        if (options.ending === "stall") return new Promise<void>(() => {});
        controller.close();
      },
      cancel: () => {
        this.cancelledStreams++;
      },
    });
    return new Response(body, {
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache",
        ...options.headers,
      },
    });
  }

  async #handle(request: Request): Promise<Response> {
    request.signal.addEventListener("abort", () => this.abortedRequests++, { once: true });
    const url = new URL(request.url);
    const body = new Uint8Array(await request.arrayBuffer());
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(body));
    } catch {
      json = undefined;
    }
    const q = request.url.indexOf("?");
    const recorded: RecordedRequest = {
      method: request.method,
      path: url.pathname,
      query: q < 0 ? "" : request.url.slice(q + 1),
      headers: request.headers,
      body,
      sha256: createHash("sha256").update(body).digest("hex"),
      json,
    };
    this.requests.push(recorded);
    const handler = this.#handlers.shift() ?? this.#persistent;
    if (handler) return handler(recorded);
    return this.#default(recorded);
  }

  #default(request: RecordedRequest): Response {
    // biome-ignore lint/suspicious/noExplicitAny: the request body is whatever the client sent
    const body = (request.json ?? {}) as Record<string, any>;
    const model = typeof body.model === "string" ? body.model : "fake-model";
    const reply = () =>
      this.replies.shift() ?? { kind: "text" as const, text: "Hello from the fake upstream." };
    const json = (text: string, headers: Record<string, string> = {}) =>
      new Response(text, { headers: { "content-type": "application/json", ...headers } });
    if (request.method === "POST" && request.path === "/v1/messages") {
      const headers = {
        "request-id": "req_fake01",
        "anthropic-ratelimit-requests-remaining": "999",
      };
      return body.stream
        ? this.stream(anthropicStream(reply(), model, this.usage), { headers })
        : json(anthropicMessage(reply(), model, this.usage), headers);
    }
    if (request.method === "POST" && request.path === "/v1/messages/count_tokens") {
      return json(JSON.stringify({ input_tokens: 42 }));
    }
    if (request.method === "POST" && request.path === "/v1/chat/completions") {
      const headers = { "x-request-id": "req_fake02" };
      return body.stream
        ? this.stream(
            chatStream(reply(), model, this.usage, body.stream_options?.include_usage === true),
            { headers },
          )
        : json(chatCompletion(reply(), model, this.usage), headers);
    }
    // The ChatGPT backend serves the same Responses API to a signed-in Codex.
    const responsesPaths = ["/v1/responses", "/backend-api/codex/responses"];
    if (request.method === "POST" && responsesPaths.includes(request.path)) {
      return body.stream
        ? this.stream(responsesStream(reply(), model, this.usage))
        : json(responsesBody(reply(), model, this.usage));
    }
    const gemini = /^\/v1(?:beta)?\/models\/([^/:]+):(\w+)$/.exec(request.path);
    if (request.method === "POST" && gemini) {
      const [, geminiModel, method] = gemini;
      if (method === "countTokens") return json(JSON.stringify({ totalTokens: 42 }));
      if (method === "generateContent")
        return json(JSON.stringify(geminiResponse(reply(), geminiModel!, this.usage)));
      const chunks = geminiChunks(reply(), geminiModel!, this.usage);
      return new URLSearchParams(request.query).get("alt") === "sse"
        ? this.stream(geminiSse(chunks), { headers: { "content-type": "text/event-stream" } })
        : json(geminiArray(chunks));
    }
    const googleKey = request.headers.has("x-goog-api-key");
    if (
      request.method === "GET" &&
      (request.path === "/v1beta/models" || (googleKey && request.path === "/v1/models"))
    ) {
      return json(JSON.stringify(GEMINI_MODELS));
    }
    if (request.method === "GET" && request.path === "/v1/models") {
      return request.headers.has("x-api-key")
        ? json(JSON.stringify(ANTHROPIC_MODELS))
        : json(
            JSON.stringify({
              object: "list",
              data: [{ id: "gpt-4o", object: "model", created: 1715367049, owned_by: "system" }],
            }),
          );
    }
    return json(
      JSON.stringify({
        echo: { method: request.method, path: request.path, query: request.query },
      }),
    );
  }
}

/** A response whose body is gzip-encoded on the wire, as a real upstream may send it. */
export function gzipResponse(text: string, contentType = "application/json"): Response {
  return new Response(gzipSync(text), {
    headers: { "content-type": contentType, "content-encoding": "gzip" },
  });
}

/** A port on 127.0.0.1 where nothing listens (for refused connections). */
export function closedPort(): number {
  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
  const port = server.port!;
  server.stop(true);
  return port;
}
