/**
 * What the model gets back when it calls headroom_retrieve: the original text, or a plain
 * sentence saying why there is none.
 * @module
 */

import { findOriginalHash } from "../compress/marker.ts";
import type { OriginalMiss, OriginalStore, StoredOriginal } from "./original-store.ts";

/** One retrieve call the model made. */
export interface RetrieveCall {
  /** The provider's id of the call (tool_use id, tool call id or call_id). */
  readonly id: string;
  /** The `hash` argument as the model sent it. */
  readonly hash: unknown;
}

/** The answer to one call. */
export interface RetrieveAnswer {
  readonly id: string;
  readonly text: string;
  readonly found: boolean;
}

/** Reads the 24-hex hash out of whatever the model passed ("abc…", "hash=abc…", padded). */
export function normalizeHash(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  return findOriginalHash(value);
}

/** Answers one retrieve call from the store. */
export function answerRetrieveCall(store: OriginalStore, call: RetrieveCall): RetrieveAnswer {
  const hash = normalizeHash(call.hash);
  if (!hash) {
    return {
      id: call.id,
      found: false,
      text: "headroom_retrieve needs the 24 hex digits that follow hash= in a headroom note.",
    };
  }
  const entry = lookUp(store, hash);
  if ("content" in entry) return { id: call.id, found: true, text: entry.content };
  const hours = Math.round((store.ttlSeconds / 3600) * 10) / 10;
  const text =
    entry.status === "expired"
      ? `The original for hash ${hash} has expired: originals are kept for ${hours} hours. Re-run the tool to get fresh output.`
      : entry.status === "unavailable"
        ? `The original for hash ${hash} is temporarily unavailable: headroom cannot read its store right now. Try again shortly, or re-run the tool to get fresh output.`
        : `No original is stored for hash ${hash}: it may have been evicted or never existed. Re-run the tool to get fresh output.`;
  return { id: call.id, found: false, text };
}

/** A lookup that never throws: a failing store is "unavailable" (the store is usually guarded). */
export function lookUp(store: OriginalStore, hash: string): StoredOriginal | OriginalMiss {
  try {
    return store.get(hash);
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    return { status: "unavailable", code: typeof code === "string" ? code : "ERROR" };
  }
}
