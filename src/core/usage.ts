/**
 * Token usage as the upstream reported it, read from response bodies and stream events without
 * changing a byte. `inputTokens` is the whole prompt including cached parts, on every provider
 * (Anthropic reports cached parts separately; OpenAI includes them), so figures compare.
 * @module
 */

import type { Api } from "./api.ts";
import { type Json, obj } from "./json-value.ts";
import type { SseEvent } from "./sse.ts";

/** Upstream-reported token counts of one exchange; a field is absent when never reported. */
export interface Usage {
  inputTokens?: number;
  outputTokens?: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
}

function num(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** Merges an Anthropic `usage` object (body, message_start or message_delta) into `into`. */
function mergeAnthropic(usage: Json, into: Usage): void {
  const uncached = num(usage.input_tokens);
  const read = num(usage.cache_read_input_tokens);
  const write = num(usage.cache_creation_input_tokens);
  if (read !== undefined) into.cacheReadTokens = read;
  if (write !== undefined) into.cacheWriteTokens = write;
  if (uncached !== undefined) {
    // Each part is finite, but absurd ones (1e308) could still add up to Infinity.
    const total = uncached + (into.cacheReadTokens ?? 0) + (into.cacheWriteTokens ?? 0);
    if (Number.isFinite(total)) into.inputTokens = total;
  }
  const output = num(usage.output_tokens);
  if (output !== undefined) into.outputTokens = output;
}

/** Merges an OpenAI chat `usage` object into `into`. */
function mergeChat(usage: Json, into: Usage): void {
  const input = num(usage.prompt_tokens);
  const output = num(usage.completion_tokens);
  const cached = num(obj(usage.prompt_tokens_details)?.cached_tokens);
  if (input !== undefined) into.inputTokens = input;
  if (output !== undefined) into.outputTokens = output;
  if (cached !== undefined) into.cacheReadTokens = cached;
}

/** Merges an OpenAI Responses `usage` object into `into`. */
function mergeResponses(usage: Json, into: Usage): void {
  const input = num(usage.input_tokens);
  const output = num(usage.output_tokens);
  const cached = num(obj(usage.input_tokens_details)?.cached_tokens);
  if (input !== undefined) into.inputTokens = input;
  if (output !== undefined) into.outputTokens = output;
  if (cached !== undefined) into.cacheReadTokens = cached;
}

/**
 * Merges a Gemini `usageMetadata` object. Its prompt count already includes the cached part;
 * thinking tokens are billed as output, so they count as output here.
 */
function mergeGemini(usage: Json, into: Usage): void {
  const prompt = num(usage.promptTokenCount);
  const toolPrompt = num(usage.toolUsePromptTokenCount) ?? 0;
  const cached = num(usage.cachedContentTokenCount);
  const candidates = num(usage.candidatesTokenCount);
  const thoughts = num(usage.thoughtsTokenCount);
  if (prompt !== undefined) into.inputTokens = prompt + toolPrompt;
  if (cached !== undefined) into.cacheReadTokens = cached;
  if (candidates !== undefined || thoughts !== undefined)
    into.outputTokens = (candidates ?? 0) + (thoughts ?? 0);
}

/**
 * The usage of a Gemini answer: one response object, or the JSON array a stream without
 * `alt=sse` sends (each element carries the running totals, so the last one counts).
 */
function geminiUsage(body: unknown): Usage {
  const usage: Usage = {};
  const list = Array.isArray(body) ? body : [body];
  for (const item of list) {
    const reported = obj(obj(item)?.usageMetadata);
    if (reported) mergeGemini(reported, usage);
  }
  return usage;
}

/** Reads the usage of a complete (non-streamed) JSON response body. */
export function usageFromBody(api: Api, body: unknown): Usage {
  if (api === "gemini") return geminiUsage(body);
  const usage: Usage = {};
  const root = obj(body);
  const reported = obj(root?.usage) ?? obj(obj(root?.response)?.usage);
  if (!reported) return usage;
  if (api === "messages") mergeAnthropic(reported, usage);
  else if (api === "responses") mergeResponses(reported, usage);
  else mergeChat(reported, usage);
  return usage;
}

/**
 * Folds one stream event into `into`: Anthropic message_start/message_delta, a chat chunk that
 * carries `usage`, a Gemini chunk's `usageMetadata` (running totals), or a Responses terminal event (`response.completed` and its siblings). Events
 * without "usage" in their text are skipped without parsing, which keeps the tap cheap.
 */
export function foldStreamUsage(api: Api, event: SseEvent, into: Usage): void {
  if (!event.data.includes(api === "gemini" ? '"usageMetadata"' : '"usage"')) return;
  let parsed: Json | undefined;
  try {
    parsed = obj(JSON.parse(event.data));
  } catch {
    return;
  }
  if (!parsed) return;
  if (api === "gemini") {
    const usage = obj(parsed.usageMetadata);
    if (usage) mergeGemini(usage, into);
  } else if (api === "messages") {
    const usage = obj(parsed.usage) ?? obj(obj(parsed.message)?.usage);
    if (usage) mergeAnthropic(usage, into);
  } else if (api === "responses") {
    const usage = obj(obj(parsed.response)?.usage);
    if (usage) mergeResponses(usage, into);
  } else {
    const usage = obj(parsed.usage);
    if (usage) mergeChat(usage, into);
  }
}
