/**
 * Whether a request declares `headroom_retrieve`. Providers render tools before everything else,
 * so a tool that appears mid-conversation makes the provider write the whole cached prefix again
 * at the write price. The tool is therefore declared from a conversation's first request whenever
 * lossy compression could apply to it (the route compresses, lossy is on, the client declares
 * tools), and from then on on every request of that conversation, whatever the settings become:
 * the conversation is remembered in the decision store (so a restart does not forget it), and a
 * marker in the text always brings the tool. A conversation that was under way before headroom
 * first offered the tool pays one rewrite; that one is reported, never hidden.
 * @module
 */

import { conversationIdentity, hasModelTurn } from "../compress/conversation.ts";
import type { DecisionStore } from "../compress/decisions.ts";
import type { GenerationApi } from "../compress/slots.ts";
import { arr, type Json, obj } from "../core/json-value.ts";
import { declaresRetrieveTool } from "./retrieve-tool.ts";

/** Why headroom made the provider rewrite a cached prefix (reported in /stats and /metrics). */
const TOOL_ADDED_MID_CONVERSATION = "retrieve_tool_added_mid_conversation";

// The decision store's key space for conversations (tool outputs use SHA-256 hex keys).
const KEY_PREFIX = "retrieve-offer:";
const OFFERED = { kind: "kept", reason: "retrieve_tool_offered" } as const;

/** What {@link decideRetrieveOffer} reads. */
export interface OfferInput {
  readonly api: GenerationApi;
  readonly body: Json;
  /** True when the text that goes upstream (compressed outputs spliced in) carries a marker. */
  readonly carriesMarker: () => boolean;
  readonly sessionHeader: string | undefined;
  /** Lossy compression may apply to this request (compressing route, lossy on, not bypassed). */
  readonly lossyMayApply: boolean;
  /** The request replays a lossy rewrite of an earlier turn: its marker went upstream before. */
  readonly replaysMarker: boolean;
}

/** The answer: declare the tool or not, and the cache rewrite that causes, if any. */
export interface RetrieveOffer {
  readonly offer: boolean;
  readonly cacheRewrite: string | undefined;
}

const NO_OFFER: RetrieveOffer = { offer: false, cacheRewrite: undefined };

/** Where the decision store remembers that a conversation was offered the tool. */
export function offerKey(
  api: GenerationApi,
  body: Json,
  sessionHeader: string | undefined,
  sha256: (text: string) => string,
): string {
  return KEY_PREFIX + sha256(conversationIdentity(api, body, sessionHeader));
}

/** Decides whether the request declares headroom_retrieve; see the module comment. */
export function decideRetrieveOffer(
  input: OfferInput,
  memory: DecisionStore,
  sha256: (text: string) => string,
): RetrieveOffer {
  const { api, body } = input;
  if (declaresRetrieveTool(body)) return NO_OFFER;
  const declaresTools = arr(body.tools).some((tool) => obj(tool) !== undefined);
  // Without tools of its own the client cannot be mid tool-use: only a marker needs the tool.
  if (!declaresTools) return { offer: input.carriesMarker(), cacheRewrite: undefined };
  const key = offerKey(api, body, input.sessionHeader, sha256);
  if (memory.get(key) !== undefined) return { offer: true, cacheRewrite: undefined };
  if (!input.lossyMayApply && !input.carriesMarker()) return NO_OFFER;
  memory.put(key, OFFERED);
  const alreadyOffered = input.replaysMarker;
  const underWay = hasModelTurn(api, body);
  return {
    offer: true,
    cacheRewrite: underWay && !alreadyOffered ? TOOL_ADDED_MID_CONVERSATION : undefined,
  };
}
