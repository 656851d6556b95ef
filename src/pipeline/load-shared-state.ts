/**
 * Fetches what one request will look up from stores shared over the network (Redis, for a team
 * of replicas) before the synchronous rewrite reads them: the decisions of its tool outputs and
 * of its conversation's retrieve offer, the hidden calls its tool calls may anchor, the originals
 * its markers name (so the model's retrieve calls are answered whichever replica sent them).
 * One round trip per store, all at once, each under the store's own deadline; a store that
 * fails answers nothing and the request goes on as if it were new. And, before the request goes
 * upstream, waits for what it decided and stored to reach the shared store, so the next turn on
 * another replica finds it. Local stores have neither and cost nothing here.
 * @module
 */

import type { HiddenCallStore } from "../ccr/hidden-calls.ts";
import { hiddenCallEdits } from "../ccr/hidden-calls.ts";
import { offerKey } from "../ccr/retrieve-offer.ts";
import { decisionKeys } from "../compress/compress-request.ts";
import { markerHashes } from "../compress/marker.ts";
import { findSlots } from "../compress/slots.ts";
import type { PipelineDeps } from "./deps.ts";
import type { RewriteInput } from "./rewrite-request.ts";

/** The anchors the hidden-call stage will ask for, found by letting it ask. */
function hiddenAnchors(input: RewriteInput): string[] {
  const asked: string[] = [];
  const listener: HiddenCallStore = {
    size: 1,
    put() {},
    get(anchor) {
      asked.push(anchor);
      return undefined;
    },
  };
  hiddenCallEdits(input.api, input.json.text, input.json.value, listener);
  return asked;
}

/** The decision keys the compression and retrieve-offer stages will look up. */
function decisionKeysOf(deps: PipelineDeps, input: RewriteInput): string[] {
  const keys = [offerKey(input.api, input.json.value, input.sessionHeader, deps.sha256)];
  for (const slot of findSlots(input.api, input.json.value)) {
    const { key, legacy } = decisionKeys(slot, deps.sha256);
    keys.push(key);
    if (legacy !== undefined) keys.push(legacy);
  }
  return keys;
}

/** Loads the request's shared state; see the module comment. Never rejects. */
export async function loadSharedState(deps: PipelineDeps, input: RewriteInput): Promise<void> {
  const { decisions, hiddenCalls, originals } = deps;
  if (!decisions.load && !hiddenCalls.load && !originals.load) return;
  try {
    await Promise.all([
      decisions.load?.(decisionKeysOf(deps, input)),
      hiddenCalls.load?.(hiddenAnchors(input)),
      originals.load?.(markerHashes(input.json.text)),
    ]);
  } catch (error) {
    // A value it could not read: the request goes on with what this replica has (fail open).
    deps.log.warn("shared state not loaded; the request goes on without it", {
      id: input.exchange.id,
      error: (error as Error)?.message ?? String(error),
    });
  }
}

/** Waits until the request's decisions and originals reached the shared store (or failed). */
export async function settleSharedState(deps: PipelineDeps): Promise<void> {
  await Promise.all([deps.decisions.settle?.(), deps.originals.settle?.()]);
}
