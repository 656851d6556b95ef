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

/** True for an item that only a model writes (an assistant message, a call, reasoning). */
function fromModel(api: GenerationApi, item: unknown): boolean {
  const it = obj(item);
  if (!it) return true;
  if (api === "gemini") return it.role === "model";
  return it.role === "assistant" || MODEL_ITEM_TYPES.has(String(it.type)) || it.role === "tool";
}

/** The names of the client's tools (their schemas are long, and say nothing more about identity). */
function toolNames(tools: unknown): unknown[] {
  return arr(tools).map((tool) => {
    const t = obj(tool);
    return t?.name ?? obj(t?.function)?.name ?? t?.type ?? "";
  });
}

/**
 * The identity text of the conversation whose prompt cache `body` extends: what every request of
 * it repeats in front of its history (model, the client's session labels, system prompt or
 * instructions, its tools' names, and every message before the model's first turn). Narrower
 * than {@link conversationIdentity}, so two sessions opened with the same words in the same
 * project (Codex's opening messages are its environment) still differ by their session labels.
 * Serialised with a replacer, which fails fast on a hostile nesting depth (see the nesting fault
 * tests) where the engine's plain serialiser may not return.
 */
export function cachedPrefixIdentity(
  api: GenerationApi,
  body: Json,
  sessionHeader: string | undefined,
): string {
  const list = api === "gemini" ? body.contents : api === "responses" ? body.input : body.messages;
  const items = Array.isArray(list) ? list : [list ?? ""];
  const end = items.findIndex((item) => fromModel(api, item));
  return JSON.stringify(
    [
      api,
      sessionHeader ?? "",
      body.model ?? "",
      body.prompt_cache_key ?? "",
      obj(body.metadata)?.user_id ?? "",
      body.system ?? body.instructions ?? body.systemInstruction ?? "",
      toolNames(body.tools),
      end === -1 ? items : items.slice(0, end),
    ],
    withoutBreakpoints,
  );
}
