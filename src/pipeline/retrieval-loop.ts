/**
 * Answers the model's headroom_retrieve calls inside the proxy, so the client never sees one:
 * each call is answered from the original store and the conversation continues upstream, for a
 * bounded number of rounds. A streamed reply stays streamed: what was sent stays sent, and the
 * continuation's events follow in the same message. A reply that also calls the client's own
 * tools reaches the client without the retrieve call, which is remembered and put back into
 * that conversation's later requests.
 * @module
 */

import { RETRIEVAL_ADAPTERS } from "../ccr/retrieval-adapters.ts";
import { answerRetrieveCall, type RetrieveAnswer } from "../ccr/retrieval-result.ts";
import { addUsage, type HiddenCalls } from "../ccr/retrieval-round.ts";
import type { GenerationApi } from "../compress/slots.ts";
import { midStreamError, ProxyError } from "../core/errors.ts";
import type { Exchange } from "../core/exchange.ts";
import { clientResponseHeaders } from "../core/headers.ts";
import type { Json } from "../core/json-value.ts";
import { SseParser } from "../core/sse.ts";
import type { PipelineDeps } from "./deps.ts";
import { finishExchange } from "./finish-exchange.ts";
import {
  recordBytesOut,
  recordFirstByte,
  recordFlowing,
  recordOutcome,
  recordRetrievals,
  recordStatus,
  recordUsage,
} from "./recorder.ts";
import { relayResponse } from "./relay-response.ts";
import { ClientAborted } from "./upstream-call.ts";

/** Everything one retrieval-aware answer needs. */
export interface RetrievalContext {
  readonly deps: PipelineDeps;
  readonly exchange: Exchange;
  readonly api: GenerationApi;
  /** The request text that was sent upstream, and its parsed body. */
  readonly bodyText: string;
  readonly body: Json;
  /** Sends a continuation request upstream. */
  readonly send: (bodyText: string) => Promise<Response>;
  readonly signal: AbortSignal;
  readonly extraHeaders?: Headers;
}

const encoder = new TextEncoder();

/** The part of a stream reader the loop uses. */
interface ChunkReader {
  read(): Promise<{ done: boolean; value?: Uint8Array }>;
  cancel(): Promise<void>;
}

/** The part of a retrieval context that answering and remembering calls needs. */
type RetrievalScope = Pick<RetrievalContext, "deps" | "exchange" | "api">;

/** Answers retrieve calls from the original store, counting them on the exchange. */
export function answer(
  ctx: RetrievalScope,
  calls: readonly { id: string; hash: unknown }[],
): RetrieveAnswer[] {
  recordRetrievals(ctx.exchange, calls.length);
  return calls.map((call) => answerRetrieveCall(ctx.deps.originals, call));
}

/** Answers hidden retrieve calls and keeps them to put back into the conversation's next request. */
export function remember(ctx: RetrievalScope, hidden: HiddenCalls): void {
  const answers = answer(
    ctx,
    hidden.ids.map((id, k) => {
      const json = JSON.parse(hidden.calls[k]!.json) as Json;
      const input =
        (json.input as Json | undefined) ??
        ((json.functionCall as Json | undefined)?.args as Json | undefined) ??
        (() => {
          try {
            return JSON.parse(
              String((json.function as Json | undefined)?.arguments ?? json.arguments ?? "{}"),
            ) as Json;
          } catch {
            return {};
          }
        })();
      return { id, hash: input.hash };
    }),
  );
  const adapter = RETRIEVAL_ADAPTERS[ctx.api];
  ctx.deps.hiddenCalls.put({
    ...hidden,
    api: ctx.api,
    answers: answers.map((a) => adapter.answerJson(a)),
  });
}

/** Reads a whole body, giving up (and cancelling it) after the configured upstream silence. */
async function readText(ctx: RetrievalContext, response: Response): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  for (;;) {
    const { done, value } = await readChunk(ctx, reader);
    if (done || !value) break;
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

/** Answers a non-streamed reply, looping while the model only asks to retrieve. */
async function answerJson(ctx: RetrievalContext, first: Response): Promise<Response> {
  const { deps, exchange, api } = ctx;
  const adapter = RETRIEVAL_ADAPTERS[api];
  const headers = clientResponseHeaders(first.headers);
  if (ctx.extraHeaders) for (const [name, value] of ctx.extraHeaders) headers.set(name, value);
  const firstText = await readText(ctx, first);
  let reply: Json;
  try {
    reply = JSON.parse(firstText) as Json;
  } catch {
    return relayResponse(
      deps,
      exchange,
      new Response(firstText, { status: first.status, headers: first.headers }),
    );
  }
  let usage = adapter.usage(reply);
  let bodyText = ctx.bodyText;
  let changed = false;
  for (let round = 0; ; round++) {
    const { calls, mixed } = adapter.calls(reply);
    if (calls.length === 0) break;
    changed = true;
    if (mixed) {
      const hidden = adapter.hide(reply);
      if (hidden.hidden) remember(ctx, hidden.hidden);
      reply = hidden.reply;
      break;
    }
    if (round >= deps.config.ccrMaxRounds) {
      reply = adapter.finish(reply);
      break;
    }
    bodyText = adapter.continuation(bodyText, ctx.body, reply, answer(ctx, calls));
    const next = await ctx.send(bodyText);
    const nextText = await readText(ctx, next);
    if (next.status >= 400) {
      return relayResponse(
        deps,
        exchange,
        new Response(nextText, { status: next.status, headers: next.headers }),
      );
    }
    reply = JSON.parse(nextText) as Json;
    usage = addUsage(usage, adapter.usage(reply));
  }
  const text = changed ? JSON.stringify(adapter.withUsage(reply, usage)) : firstText;
  headers.set("content-type", "application/json");
  // The relay reads the usage back from this body: the total over every round.
  return relayResponse(deps, exchange, new Response(text, { status: first.status, headers }));
}

/** Reads one chunk, failing after the configured upstream silence. */
async function readChunk(
  ctx: RetrievalContext,
  reader: ChunkReader,
): Promise<{ done: boolean; value?: Uint8Array }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      reader.read(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(new Error("The upstream sent nothing for too long"));
          // Nobody will read the rest: release the upstream connection now.
          reader.cancel().catch(() => {});
        }, ctx.deps.config.upstreamTimeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Answers a streamed reply: one client stream across every retrieval round. */
function answerStream(ctx: RetrievalContext, first: Response): Response {
  const { deps, exchange, api } = ctx;
  const interceptor = RETRIEVAL_ADAPTERS[api].stream();
  const headers = clientResponseHeaders(first.headers);
  headers.set("x-accel-buffering", "no");
  if (ctx.extraHeaders) for (const [name, value] of ctx.extraHeaders) headers.set(name, value);
  let reader: ChunkReader | undefined;
  let cancelled = false;
  let outcome: Exchange["outcome"] = "ok";
  let failure: string | undefined;
  recordFlowing(exchange);
  const settle = () => {
    recordUsage(exchange, interceptor.usage());
    recordOutcome(exchange, outcome, failure);
    finishExchange(deps, exchange);
  };
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (texts: readonly string[]) => {
        for (const text of texts) {
          const bytes = encoder.encode(text);
          recordFirstByte(exchange);
          recordBytesOut(exchange, bytes.length);
          controller.enqueue(bytes);
        }
      };
      let upstream = first;
      let bodyText = ctx.bodyText;
      try {
        for (let round = 0; ; round++) {
          const parser = new SseParser();
          const current: ChunkReader = upstream.body!.getReader();
          reader = current;
          for (;;) {
            const { done, value } = await readChunk(ctx, current);
            if (done || !value) break;
            parser.push(value, (event) => send(interceptor.push(event)));
          }
          parser.end((event) => send(interceptor.push(event)));
          // The client went away: stop here, never start a continuation for nobody.
          if (cancelled) return;
          const end = interceptor.endRound(round < deps.config.ccrMaxRounds);
          if (end.kind === "done") {
            send(end.tail);
            if (end.hidden) remember(ctx, end.hidden);
            break;
          }
          bodyText = interceptor.continuation(bodyText, ctx.body, answer(ctx, end.calls));
          upstream = await ctx.send(bodyText);
          if (upstream.status >= 400 || !upstream.body) {
            const detail = (await upstream.text().catch(() => "")).slice(0, 500);
            send([
              midStreamError(
                api,
                `The upstream refused headroom's retrieval continuation (${upstream.status}): ${detail}`,
              ),
            ]);
            outcome = "failed";
            break;
          }
        }
      } catch (error) {
        if (cancelled) return;
        reader?.cancel().catch(() => {});
        outcome = "failed";
        failure = (error as Error)?.message ?? String(error);
        send([midStreamError(api, failure)]);
      }
      if (cancelled) return;
      controller.close();
      settle();
    },
    cancel() {
      cancelled = true;
      outcome = "aborted";
      reader?.cancel().catch(() => {});
      settle();
    },
  });
  return new Response(body, { status: first.status, statusText: first.statusText, headers });
}

/** Answers `first` (the upstream's reply to a request that offered headroom_retrieve). */
export async function respondWithRetrieval(
  ctx: RetrievalContext,
  first: Response,
): Promise<Response> {
  recordStatus(ctx.exchange, first.status);
  if (first.status >= 400 || !first.body)
    return relayResponse(ctx.deps, ctx.exchange, first, { extraHeaders: ctx.extraHeaders });
  const streamed = (first.headers.get("content-type") ?? "").includes("text/event-stream");
  try {
    return streamed ? answerStream(ctx, first) : await answerJson(ctx, first);
  } catch (error) {
    if (error instanceof ProxyError) throw error;
    const message = (error as Error)?.message ?? String(error);
    // The client left during a retrieval round: nobody to answer, and not a failure.
    if (ctx.signal.aborted) throw new ClientAborted(message);
    throw new ProxyError(502, "failed", `headroom could not complete a retrieval: ${message}`, {
      recorded: message,
    });
  }
}
