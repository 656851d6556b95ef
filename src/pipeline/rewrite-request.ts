/**
 * Builds what goes upstream for a generation request: the client's JSON text with compressed
 * tool outputs spliced in (in "replay" mode, for bypassed requests and switched-off compression,
 * only those compressed on earlier turns, so the history the provider cached stays identical),
 * retrieve calls hidden from earlier replies put back in place, and the headroom_retrieve tool
 * declared from a conversation's first request on (see ccr/retrieve-offer.ts). Every byte outside those
 * edits stays as the client sent it; with no edit at all the original bytes go unchanged.
 * @module
 */

import { reinsertHiddenCalls } from "../ccr/hidden-calls.ts";
import { decideRetrieveOffer } from "../ccr/retrieve-offer.ts";
import { injectRetrieveTool } from "../ccr/retrieve-tool.ts";
import { conversationIdentity } from "../compress/conversation.ts";
import type { GenerationApi } from "../compress/slots.ts";
import type { JsonBody } from "../core/body.ts";
import type { Exchange } from "../core/exchange.ts";
import { applySplices, type Splice } from "../core/json-edit.ts";
import { shapeRequest } from "../shape/output-shaper.ts";
import { type OptimizedBody, optimizeRequest } from "./compress-tool-outputs.ts";
import type { PipelineDeps } from "./deps.ts";

/** A rewritten request. */
export interface RewrittenRequest {
  readonly text: string;
  readonly bytes: Uint8Array;
  readonly optimized: OptimizedBody | undefined;
  /** True when headroom offered headroom_retrieve and so must answer the model's calls. */
  readonly offersRetrieve: boolean;
}

const encoder = new TextEncoder();

/** Output shaping's splices, when it is on (and never for bypassed requests). */
function shape(
  deps: PipelineDeps,
  api: GenerationApi,
  json: JsonBody,
  exchange: Exchange,
  sessionHeader: string | undefined,
): Splice[] {
  const config = deps.config;
  if (!config.outputShaper) return [];
  const identity = deps.sha256(conversationIdentity(api, json.value, sessionHeader));
  const shaping = shapeRequest(
    api,
    json.text,
    json.value,
    {
      verbosityLevel: config.verbosityLevel,
      effortRouter: config.effortRouter,
      mechanicalEffort: config.mechanicalEffort,
      holdout: config.outputHoldout,
    },
    identity,
  );
  exchange.shaping = shaping.labels;
  return shaping.splices;
}

/** What the rewrite stage reads. */
export interface RewriteInput {
  readonly api: GenerationApi;
  readonly json: JsonBody;
  readonly exchange: Exchange;
  /** "replay" (a bypass, or compression switched off) only repeats earlier turns' rewrites. */
  readonly mode: "compress" | "replay";
  /** The client's x-headroom-session-id, part of a conversation's identity. */
  readonly sessionHeader: string | undefined;
  /** The client's: its abort stops the compressions queued for this request. */
  readonly signal: AbortSignal;
}

/** Rewrites the request, or returns undefined when nothing changes (the original bytes go). */
export async function rewriteRequest(
  deps: PipelineDeps,
  { api, json, exchange, mode, sessionHeader, signal }: RewriteInput,
): Promise<RewrittenRequest | undefined> {
  const optimized = await optimizeRequest(deps, api, json, exchange, mode === "replay", signal);
  let text = json.text;
  let offersRetrieve = false;
  try {
    const splices = [
      ...(optimized?.splices ?? []),
      ...reinsertHiddenCalls(api, json.text, json.value, deps.hiddenCalls),
      ...(mode === "compress" ? shape(deps, api, json, exchange, sessionHeader) : []),
    ];
    if (splices.length) text = applySplices(json.text, splices);
    const offer = decideRetrieveOffer(
      {
        api,
        body: json.value,
        text,
        sessionHeader,
        lossyMayApply: mode === "compress" && deps.config.lossy,
        replaysMarker: optimized?.plan.edits.some((edit) => edit.replayed && edit.lossy) ?? false,
      },
      deps.decisions,
      deps.sha256,
    );
    if (offer.cacheRewrite) exchange.cacheRewrite = offer.cacheRewrite;
    offersRetrieve = offer.offer;
    if (offersRetrieve) text = injectRetrieveTool(api, text, json.value);
  } catch (error) {
    // Fail open: forward the client's request as sent.
    deps.log.warn("request rewrite failed; forwarding the original", {
      id: exchange.id,
      error: (error as Error).message,
    });
    exchange.compressionFailed = true;
    return undefined;
  }
  if (text === json.text) return undefined;
  return { text, bytes: encoder.encode(text), optimized, offersRetrieve };
}
