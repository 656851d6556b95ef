/**
 * Whole-request token figures for what headroom reports: the system prompt, the tool
 * definitions and every message, counted with the model's tokenizer (each distinct text once,
 * through the token cache), plus a small per-message framing overhead. Needs the model's
 * encoding loaded (see tokens.ts).
 * @module
 */

import { arr, type Json, obj } from "../core/json-value.ts";
import type { GenerationApi } from "./slots.ts";
import { countTokens as exactCount } from "./tokens.ts";

/** How one text is counted: the model's tokenizer, or an estimate where none may load. */
export type TokenCounter = (text: string, model: string) => number;

// Providers wrap each message in a few framing tokens; 4 is the usual figure for both.
const PER_MESSAGE = 4;
// Images are billed by size, not by their base64 text; a fixed figure keeps the total sane.
const PER_IMAGE = 1600;

/** Adds up the tokens of one content value: a string, or a list of typed parts. */
function contentTokens(content: unknown, model: string, countTokens: TokenCounter): number {
  if (typeof content === "string") return countTokens(content, model);
  if (!Array.isArray(content))
    return content === undefined || content === null
      ? 0
      : countTokens(JSON.stringify(content), model);
  let total = 0;
  for (const part of content) {
    const p = obj(part);
    if (!p) continue;
    const type = String(p.type);
    if (type === "image" || type === "image_url" || type === "input_image") total += PER_IMAGE;
    else if (typeof p.text === "string") total += countTokens(p.text, model);
    else if (typeof p.thinking === "string") total += countTokens(p.thinking, model);
    else if (type === "tool_result") total += contentTokens(p.content, model, countTokens);
    else if (type === "tool_use")
      total += countTokens(`${String(p.name)}${JSON.stringify(p.input ?? {})}`, model);
    else if (type === "redacted_thinking" || type === "document")
      total += countTokens(JSON.stringify(p), model);
  }
  return total;
}

/** Tokens of a Gemini request: its system instruction, tools and every part of `contents`. */
function geminiRequestTokens(body: Json, model: string, countTokens: TokenCounter): number {
  let total = 0;
  const tokensOfPart = (part: unknown) => {
    const p = obj(part);
    if (!p) return 0;
    return typeof p.text === "string"
      ? countTokens(p.text, model)
      : countTokens(JSON.stringify(p), model);
  };
  for (const part of arr(obj(body.systemInstruction)?.parts)) total += tokensOfPart(part);
  for (const tool of arr(body.tools)) total += countTokens(JSON.stringify(tool), model);
  for (const content of arr(body.contents)) {
    total += PER_MESSAGE;
    for (const part of arr(obj(content)?.parts)) total += tokensOfPart(part);
  }
  return total;
}

/** Tokens of the original request: system, tools and messages (or Responses instructions and input). */
export function requestTokens(
  api: GenerationApi,
  body: Json,
  model: string,
  countTokens: TokenCounter = exactCount,
): number {
  if (api === "gemini") return geminiRequestTokens(body, model, countTokens);
  let total = 0;
  if (body.system !== undefined) total += contentTokens(body.system, model, countTokens);
  if (typeof body.instructions === "string") total += countTokens(body.instructions, model);
  if (Array.isArray(body.tools)) {
    for (const tool of body.tools) total += countTokens(JSON.stringify(tool), model);
  }
  const list = api === "responses" ? body.input : body.messages;
  if (typeof list === "string") return total + countTokens(list, model) + PER_MESSAGE;
  if (!Array.isArray(list)) return total;
  for (const item of list) {
    const m = obj(item);
    if (!m) continue;
    total += PER_MESSAGE;
    if (m.content !== undefined) total += contentTokens(m.content, model, countTokens);
    if (typeof m.output === "string" || Array.isArray(m.output))
      total += contentTokens(m.output, model, countTokens);
    if (typeof m.arguments === "string")
      total += countTokens(`${String(m.name)}${m.arguments}`, model);
    if (Array.isArray(m.tool_calls)) total += countTokens(JSON.stringify(m.tool_calls), model);
  }
  return total;
}

/** Exact token figures of one compressed request. */
export interface RequestTokenFigures {
  readonly before: number;
  readonly after: number;
  readonly saved: number;
  /** Tokens of the tool outputs that were candidates for compression, before it. */
  readonly compressible: number;
}

/** Counts a request's tokens before and after its edits, and its compressible share. */
export function requestTokenFigures(
  api: GenerationApi,
  body: Json,
  model: string,
  edits: readonly { readonly slot: { readonly text: string }; readonly text: string }[],
  candidateTexts: readonly string[],
  countTokens: TokenCounter = exactCount,
): RequestTokenFigures {
  const before = requestTokens(api, body, model, countTokens);
  let saved = 0;
  for (const edit of edits)
    saved += countTokens(edit.slot.text, model) - countTokens(edit.text, model);
  let compressible = 0;
  for (const text of candidateTexts) compressible += countTokens(text, model);
  return { before, after: before - saved, saved, compressible };
}
