/**
 * One `response.create` on a relayed Responses WebSocket, from the client's message to the
 * response's terminal event: the message rewritten like an HTTP /v1/responses body (compression,
 * replay, the retrieve tool), its events relayed back, headroom_retrieve answered inside the
 * proxy with a continuation `response.create` on the same socket, and one exchange recorded.
 * Socket plumbing stays in the runtime; this sees the two ends as {@link SocketEnd}s.
 * @module
 */

import { ResponsesRetrievalStream } from "../ccr/responses-retrieval.ts";
import type { StreamInterceptor } from "../ccr/retrieval-round.ts";
import type { JsonBody } from "../core/body.ts";
import type { ProxyError } from "../core/errors.ts";
import { type Exchange, startExchange } from "../core/exchange.ts";
import { foldStreamUsage } from "../core/usage.ts";
import type { SocketEnd } from "./client-request.ts";
import { accountTokens, isBypassed } from "./compress-tool-outputs.ts";
import type { PipelineDeps } from "./deps.ts";
import { finishExchange } from "./finish-exchange.ts";
import {
  recordAccounting,
  recordAuth,
  recordBody,
  recordBytesOut,
  recordDispatch,
  recordFirstByte,
  recordGeneration,
  recordOutcome,
  recordRoute,
  recordSocketFrame,
  recordStatus,
  recordUsage,
} from "./recorder.ts";
import { answer, remember } from "./retrieval-loop.ts";
import { rewriteRequest } from "./rewrite-request.ts";

const encoder = new TextEncoder();

/** Events that end a response. */
const TERMINAL = new Set(["response.completed", "response.incomplete", "response.failed"]);

/** What a turn needs from its socket session. */
export interface TurnScope {
  readonly deps: PipelineDeps;
  /** The client's handshake headers (labels, bypass, session id). */
  readonly headers: Headers;
  /** The path the client dialled, for the record. */
  readonly path: string;
  readonly client: SocketEnd;
  readonly upstream: SocketEnd;
  /** The kind of sign-in the handshake carried (the ledger's auth label). */
  readonly auth: string | null;
  /** Aborted when the client leaves: stops compressions queued for it. */
  readonly signal: AbortSignal;
}

/** The `data:` payload of one SSE event text the retrieval interceptor produced. */
function sseData(text: string): string {
  const start = text.indexOf("data: ");
  return text.slice(start + 6, text.endsWith("\n\n") ? -2 : undefined);
}

/** Reads `type` from a message's JSON, or undefined when it is not a JSON object. */
function parsedMessage(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

// The Responses API writes `type` first; read it without parsing every delta.
const LEADING_TYPE = /^\{\s*"type"\s*:\s*"([^"\\]+)"/;

/** An event's `type` ("" when it has none). */
function eventType(text: string): string {
  const leading = LEADING_TYPE.exec(text);
  if (leading) return leading[1]!;
  const type = parsedMessage(text)?.type;
  return typeof type === "string" ? type : "";
}

/** Whether a client message is a `response.create` headroom should rewrite. */
export function createMessage(text: string): JsonBody | undefined {
  // Cheap refusal first: most other client messages are small and never parsed.
  if (!text.includes('"response.create"')) return undefined;
  const value = parsedMessage(text);
  return value?.type === "response.create" ? { text, value } : undefined;
}

/** One response on the socket. */
export class SocketTurn {
  readonly exchange: Exchange;
  #interceptor: StreamInterceptor | undefined;
  #bodyText = "";
  #body: Record<string, unknown> = {};
  #round = 0;
  #done = false;
  #sent = false;

  constructor(
    readonly scope: TurnScope,
    bytes: Uint8Array,
    readonly json: JsonBody,
  ) {
    const exchange = startExchange("POST", scope.path);
    this.exchange = exchange;
    recordRoute(exchange, "responses", "openai", scope.headers);
    recordAuth(exchange, scope.auth);
    recordBody(exchange, bytes);
    recordGeneration(exchange, json, scope.path);
  }

  get done(): boolean {
    return this.#done;
  }

  /** True once the message went upstream: events from then on are this response's. */
  get sent(): boolean {
    return this.#sent;
  }

  /** Rewrites the message (failing open to the client's own) and sends it upstream. */
  async send(): Promise<void> {
    const { deps, headers, signal } = this.scope;
    const { exchange, json } = this;
    let text = json.text;
    try {
      const rewrite = deps.config.optimize
        ? await rewriteRequest(deps, {
            api: "responses",
            json,
            exchange,
            mode: deps.config.compression && !isBypassed(headers) ? "compress" : "replay",
            answersRetrieve: true,
            sessionHeader: headers.get("x-headroom-session-id") ?? undefined,
            signal,
          })
        : undefined;
      if (rewrite) {
        text = rewrite.text;
        if (rewrite.offersRetrieve) this.#interceptor = new ResponsesRetrievalStream();
        const optimized = rewrite.optimized;
        recordDispatch(exchange);
        if (optimized)
          recordAccounting(
            exchange,
            accountTokens(deps, { api: "responses", json, exchange }, optimized),
          );
      } else recordDispatch(exchange);
    } catch (error) {
      // Fail open: the client's message goes as it came.
      deps.log.warn("socket message rewrite failed; forwarding the original", {
        id: exchange.id,
        error: (error as Error)?.message ?? String(error),
      });
      text = json.text;
      this.#interceptor = undefined;
      recordDispatch(exchange);
    }
    if (signal.aborted) return;
    this.#bodyText = text;
    this.#body = parsedMessage(text) ?? json.value;
    this.#sent = true;
    recordSocketFrame(exchange, encoder.encode(text).length);
    this.scope.upstream.send(text);
  }

  /**
   * Takes one upstream event of this response; returns true when the response has ended. Text
   * that is not a JSON event goes to the client as it came.
   */
  upstreamEvent(text: string): boolean {
    const { exchange } = this;
    recordFirstByte(exchange);
    const type = eventType(text);
    if (type === "error") {
      const data = parsedMessage(text);
      this.#toClient(text);
      const status = Number(data?.status ?? data?.status_code ?? 500);
      this.finish(
        Number.isFinite(status) ? status : 500,
        "upstream_error",
        "the upstream sent an error event",
      );
      return true;
    }
    const interceptor = this.#interceptor;
    if (!interceptor) {
      foldStreamUsage("responses", { event: type, data: text }, exchange.usage);
      this.#toClient(text);
      if (!TERMINAL.has(type)) return false;
      this.finish(200, type === "response.failed" ? "upstream_error" : "ok");
      return true;
    }
    for (const out of interceptor.push({ event: type, data: text })) this.#toClient(sseData(out));
    if (!TERMINAL.has(type)) return false;
    return this.#endRound(interceptor);
  }

  /** The response's round ended: continue with the retrieved originals, or finish. */
  #endRound(interceptor: StreamInterceptor): boolean {
    const { deps } = this.scope;
    const end = interceptor.endRound(this.#round < deps.config.ccrMaxRounds);
    const scope = { deps, exchange: this.exchange, api: "responses" as const };
    if (end.kind === "continue") {
      this.#round++;
      this.#bodyText = interceptor.continuation(
        this.#bodyText,
        this.#body,
        answer(scope, end.calls),
      );
      this.scope.upstream.send(this.#bodyText);
      return false;
    }
    for (const out of end.tail) this.#toClient(sseData(out));
    if (end.hidden) remember(scope, end.hidden);
    recordUsage(this.exchange, interceptor.usage());
    this.finish(200, "ok");
    return true;
  }

  #toClient(text: string): void {
    this.scope.client.send(text);
    recordBytesOut(this.exchange, encoder.encode(text).length);
  }

  /**
   * Answers the turn with headroom's own refusal (the rate limit), as the error event the
   * Responses WebSocket uses: Codex reads its status and retry-after like an HTTP answer's.
   */
  refuse(error: ProxyError): void {
    const event = JSON.stringify({
      type: "error",
      status: error.status,
      error: {
        type: error.status === 429 ? "rate_limit_exceeded" : "invalid_request_error",
        code: error.status === 429 ? "rate_limit_exceeded" : null,
        message: error.message,
      },
      ...(error.options.headers ? { headers: error.options.headers } : {}),
    });
    this.#toClient(event);
    this.finish(error.status, error.outcome === "aborted" ? "aborted" : "rejected", error.message);
  }

  /** Closes the record once (the response ended, or a socket closed under it). */
  finish(status: number, outcome: Exchange["outcome"], error?: string): void {
    if (this.#done) return;
    this.#done = true;
    recordStatus(this.exchange, status);
    recordOutcome(this.exchange, outcome, error);
    finishExchange(this.scope.deps, this.exchange);
  }
}
