/**
 * The answering stage: turns the upstream's response into the client's. Unchanged requests get
 * the response relayed; rewritten ones get the savings headers (estimated on streams) and, when
 * headroom offered headroom_retrieve, the retrieval loop that answers the model's calls.
 * @module
 */

import type { GenerationApi } from "../compress/slots.ts";
import type { JsonBody } from "../core/body.ts";
import type { ClientRequest } from "./client-request.ts";
import { estimatedFigures, savingsHeaders } from "./compress-tool-outputs.ts";
import type { PipelineDeps } from "./deps.ts";
import type { Forwarded } from "./forward.ts";
import { relayResponse } from "./relay-response.ts";
import { respondWithRetrieval } from "./retrieval-loop.ts";
import type { RewrittenRequest } from "./rewrite-request.ts";
import { callUpstream } from "./upstream-call.ts";

const encoder = new TextEncoder();

/** A rewritten generation request on its way: what was read, rewritten and sent. */
export interface RewrittenExchange {
  readonly api: GenerationApi;
  readonly json: JsonBody;
  readonly rewrite: RewrittenRequest;
  readonly forwarded: Forwarded;
}

/** Answers a rewritten generation request. */
export async function answerRewritten(
  deps: PipelineDeps,
  request: ClientRequest,
  { api, json, rewrite, forwarded: { upstream, sent } }: RewrittenExchange,
): Promise<Response> {
  const exchange = request.exchange;
  const streamed = (upstream.headers.get("content-type") ?? "").includes("text/event-stream");
  // A non-streamed answer carries the savings in its headers: wait for the exact figures.
  if (!streamed && exchange.accounting) await exchange.accounting;
  const optimized = rewrite.optimized;
  const extraHeaders = savingsHeaders(
    exchange,
    streamed,
    optimized && (() => estimatedFigures({ api, json, exchange }, optimized)),
  );
  if (!rewrite.offersRetrieve)
    return relayResponse(deps, exchange, upstream, extraHeaders ? { extraHeaders } : {});
  const signal = request.raw.signal;
  return respondWithRetrieval(
    {
      deps,
      exchange,
      api,
      bodyText: rewrite.text,
      body: json.value,
      signal,
      ...(extraHeaders ? { extraHeaders } : {}),
      send: (text) => callUpstream(deps, { ...sent, body: encoder.encode(text) }, signal),
    },
    upstream,
  );
}
