/**
 * What identifies a conversation across its turns, for decisions made once per conversation
 * (whether headroom_retrieve is declared, output shaping's holdout): the session header when the
 * client sends one, else the conversation's beginning (model, system prompt or instructions, first
 * user message), which every later turn repeats.
 * @module
 */

import { arr, type Json, obj } from "../core/json-value.ts";
import { type GenerationApi, MODEL_ITEM_TYPES } from "./slots.ts";

// Clients move their cache breakpoints from turn to turn (Claude Code marks the newest message),
// so the first message carries one on the first request only: it says nothing about identity.
function withoutBreakpoints(key: string, value: unknown): unknown {
  return key === "cache_control" ? undefined : value;
}

/** The identity text of the conversation `body` belongs to (hash it before keeping it). */
export function conversationIdentity(
  api: GenerationApi,
  body: Json,
  sessionHeader: string | undefined,
): string {
  if (sessionHeader) return `session:${sessionHeader}`;
  if (api === "gemini") {
    // The model is in the URL, not the body: the system text and first question identify it.
    const first = arr(body.contents).find((item) => obj(item)?.role === "user");
    return JSON.stringify(["gemini", body.systemInstruction ?? "", first ?? ""]);
  }
  const list = api === "responses" ? body.input : body.messages;
  const first = Array.isArray(list) ? list.find((item) => obj(item)?.role === "user") : list;
  return JSON.stringify(
    [
      body.model ?? "",
      api === "messages" ? (body.system ?? "") : (body.instructions ?? ""),
      first ?? "",
    ],
    withoutBreakpoints,
  );
}

/** True when the request repeats at least one model turn: the conversation is under way. */
export function hasModelTurn(api: GenerationApi, body: Json): boolean {
  if (api === "gemini") return arr(body.contents).some((c) => obj(c)?.role === "model");
  if (api !== "responses") return arr(body.messages).some((m) => obj(m)?.role === "assistant");
  return arr(body.input).some((item) => {
    const it = obj(item);
    return it?.role === "assistant" || MODEL_ITEM_TYPES.has(String(it?.type));
  });
}
