/**
 * The rewrite stage: builds what goes upstream for a generation request. Compressed tool outputs
 * (in "replay" mode, for bypassed requests and switched-off compression, only those compressed on
 * earlier turns, so the history the provider cached stays identical), retrieve calls hidden from
 * earlier replies put back in place, output shaping, and the headroom_retrieve tool declared from
 * a conversation's first request on (see ccr/retrieve-offer.ts). Each of those states the paths
 * it edits; the client's text is read once for all of them and the splices are applied once.
 * Every byte outside those edits stays as the client sent it; with no edit the original bytes go.
 * @module
 */

import { hiddenCallEdits } from "../ccr/hidden-calls.ts";
import { decideRetrieveOffer } from "../ccr/retrieve-offer.ts";
import { carriesMarkerSpliced, retrieveToolEdit } from "../ccr/retrieve-tool.ts";
import { conversationIdentity } from "../compress/conversation.ts";
import type { GenerationApi } from "../compress/slots.ts";
import type { JsonBody } from "../core/body.ts";
import type { Exchange } from "../core/exchange.ts";
import { applySplices, locateEdits, type PendingEdits } from "../core/json-edit.ts";
import { shapeRequest } from "../shape/output-shaper.ts";
import { compressionEdits, type OptimizedBody, optimizeRequest } from "./compress-tool-outputs.ts";
import type { PipelineDeps } from "./deps.ts";
import { loadSharedState, settleSharedState } from "./load-shared-state.ts";
import { nothingToRewrite } from "./nothing-to-rewrite.ts";
import { recordCacheRewrite, recordFailOpen, recordShaping } from "./recorder.ts";

/** A rewritten request. */
export interface RewrittenRequest {
  readonly text: string;
  readonly bytes: Uint8Array;
  readonly optimized: OptimizedBody | undefined;
  /** True when headroom offered headroom_retrieve and so must answer the model's calls. */
  readonly offersRetrieve: boolean;
}

const encoder = new TextEncoder();

/** Output shaping's edits, when it is on (and never for bypassed requests). */
function shape(
  deps: PipelineDeps,
  api: GenerationApi,
  json: JsonBody,
  exchange: Exchange,
  sessionHeader: string | undefined,
): PendingEdits[] {
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
  recordShaping(exchange, shaping.labels);
  return shaping.edits;
}

/** What the rewrite stage reads. */
export interface RewriteInput {
  readonly api: GenerationApi;
  readonly json: JsonBody;
  readonly exchange: Exchange;
  /** "replay" (a bypass, or compression switched off) only repeats earlier turns' rewrites. */
  readonly mode: "compress" | "replay";
  /**
   * False when nobody could answer the model's headroom_retrieve calls (a Gemini stream sent as
   * one JSON array is relayed as it comes): the tool is then never offered.
   */
  readonly answersRetrieve: boolean;
  /** The client's x-headroom-session-id, part of a conversation's identity. */
  readonly sessionHeader: string | undefined;
  /** The client's: its abort stops the compressions queued for this request. */
  readonly signal: AbortSignal;
}

/**
 * Rewrites the request, or returns undefined when nothing changes (the original bytes go). A
 * body with nothing to edit is answered at once, without a promise: most requests are such.
 */
export function rewriteRequest(
  deps: PipelineDeps,
  input: RewriteInput,
): Promise<RewrittenRequest | undefined> | undefined {
  if (nothingToRewrite(input.json.text, input.mode === "compress" && deps.config.outputShaper))
    return undefined;
  return rewriteEdits(deps, input);
}

async function rewriteEdits(
  deps: PipelineDeps,
  input: RewriteInput,
): Promise<RewrittenRequest | undefined> {
  const { api, json, exchange, mode, sessionHeader } = input;
  await loadSharedState(deps, input);
  const optimized = await optimizeRequest(deps, input);
  let text = json.text;
  let offersRetrieve = false;
  try {
    // Every stage's edits against one reading of the client's text, applied once.
    const edits = [
      ...(optimized ? [compressionEdits(optimized.plan)] : []),
      ...optional(hiddenCallEdits(api, json.text, json.value, deps.hiddenCalls)),
      ...(mode === "compress" ? shape(deps, api, json, exchange, sessionHeader) : []),
    ];
    // The tool's places are read in the same pass, in case it is offered; with no other edit
    // the text is read only when it is.
    const tool = retrieveToolEdit(api, json.text, json.value);
    const spans = edits.length > 0 ? locateEdits(json.text, [...edits, tool]) : undefined;
    const splices = spans ? edits.flatMap((edit) => edit.splices(spans)) : [];
    // Remembered only now: a request forwarded as sent after a failure remembers nothing.
    optimized?.accept();
    const offer = decideRetrieveOffer(
      {
        api,
        body: json.value,
        carriesMarker: () => carriesMarkerSpliced(json.text, splices),
        sessionHeader,
        lossyMayApply: mode === "compress" && deps.config.lossy,
        replaysMarker: optimized?.plan.edits.some((edit) => edit.replayed && edit.lossy) ?? false,
      },
      deps.decisions,
      deps.sha256,
    );
    // An expired cache is written again whatever the prompt is: no rewrite headroom caused.
    if (offer.cacheRewrite && !exchange.conversation?.expired)
      recordCacheRewrite(exchange, offer.cacheRewrite);
    offersRetrieve = offer.offer && input.answersRetrieve;
    // After the other edits: at the same place (the body's end) the tool comes last.
    if (offersRetrieve) splices.push(...tool.splices(spans ?? locateEdits(json.text, [tool])));
    if (splices.length) text = applySplices(json.text, splices);
  } catch (error) {
    // Fail open: forward the client's request as sent.
    deps.log.warn("request rewrite failed; forwarding the original", {
      id: exchange.id,
      error: (error as Error).message,
    });
    recordFailOpen(exchange);
    return undefined;
  }
  await settleSharedState(deps);
  if (text === json.text) return undefined;
  return { text, bytes: encoder.encode(text), optimized, offersRetrieve };
}

function optional<T>(value: T | undefined): T[] {
  return value === undefined ? [] : [value];
}
