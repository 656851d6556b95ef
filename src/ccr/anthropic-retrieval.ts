/**
 * headroom_retrieve on the Anthropic Messages API: finding the model's retrieve calls in a reply,
 * building the continuation request that answers them, hiding them from the client, and doing
 * all of that on a live stream (content block indexes renumbered so the client sees one
 * consistent message, usage summed over the rounds).
 * @module
 */

import { RETRIEVE_TOOL_NAME } from "../compress/slots.ts";
import { appendItemsAt } from "../core/json-edit.ts";
import type { Json } from "../core/json-value.ts";
import type { SseEvent } from "../core/sse.ts";
import { type Usage, usageFromBody } from "../core/usage.ts";
import type { RetrieveAnswer, RetrieveCall } from "./retrieval-result.ts";
import {
  addUsage,
  hideRetrieveCalls,
  type RoundEnd,
  type StreamInterceptor,
  sseText,
} from "./retrieval-round.ts";

function isRetrieveUse(block: unknown): block is Json {
  const b = block as Json | null;
  return (
    b !== null && typeof b === "object" && b.type === "tool_use" && b.name === RETRIEVE_TOOL_NAME
  );
}

function isToolUse(block: unknown): boolean {
  const b = block as Json | null;
  return b !== null && typeof b === "object" && b.type === "tool_use";
}

/** The retrieve calls of a reply's content, and whether the client's own tools were called too. */
export function anthropicCalls(content: readonly unknown[]): {
  calls: RetrieveCall[];
  mixed: boolean;
} {
  const calls: RetrieveCall[] = [];
  let mixed = false;
  for (const block of content) {
    if (isRetrieveUse(block))
      calls.push({ id: String(block.id), hash: (block.input as Json | undefined)?.hash });
    else if (isToolUse(block)) mixed = true;
  }
  return { calls, mixed };
}

/** The two messages that answer a round: the assistant's reply and the user's tool results. */
function continuationItems(
  content: readonly unknown[],
  answers: readonly RetrieveAnswer[],
): string[] {
  return [
    JSON.stringify({ role: "assistant", content }),
    JSON.stringify({
      role: "user",
      content: answers.map((answer) => ({
        type: "tool_result",
        tool_use_id: answer.id,
        content: answer.text,
        ...(answer.found ? {} : { is_error: true }),
      })),
    }),
  ];
}

/** The next round's request text: the previous body with the reply and the answers appended. */
export function anthropicContinuation(
  bodyText: string,
  content: readonly unknown[],
  answers: readonly RetrieveAnswer[],
): string {
  return appendItemsAt(bodyText, ["messages"], continuationItems(content, answers));
}

/** Removes the retrieve calls from a reply's content, reporting what was hidden and where. */
export function hideAnthropicCalls(content: readonly unknown[]) {
  return hideRetrieveCalls(content, isRetrieveUse, isToolUse, (block) =>
    String((block as Json).id),
  );
}

/** The usage of a complete reply in Anthropic's field names, from headroom's totals. */
export function anthropicUsageJson(usage: Usage, base: Json | undefined): Json {
  const read = usage.cacheReadTokens ?? 0;
  const write = usage.cacheWriteTokens ?? 0;
  return {
    ...base,
    input_tokens: Math.max(0, (usage.inputTokens ?? 0) - read - write),
    cache_creation_input_tokens: write,
    cache_read_input_tokens: read,
    output_tokens: usage.outputTokens ?? 0,
  };
}

interface BlockState {
  block: Json;
  partialJson: string;
  hidden: boolean;
}

/** The stream interceptor for Anthropic Messages. */
export class AnthropicRetrievalStream implements StreamInterceptor {
  #round = 0;
  #nextClientIndex = 0;
  #blocks = new Map<number, BlockState>();
  #clientIndex = new Map<number, number>();
  #messageDelta: Json | undefined;
  #stopped = false;
  #total: Usage = {};
  #roundUsage: Usage = {};

  push(event: SseEvent): string[] {
    let data: Json;
    try {
      data = JSON.parse(event.data) as Json;
    } catch {
      return [sseText(event.event, event.data)];
    }
    switch (data.type) {
      case "message_start": {
        const usage = (data.message as Json | undefined)?.usage as Json | undefined;
        this.#roundUsage = usage ? usageFromBody("messages", { usage }) : {};
        return this.#round === 0 ? [sseText(event.event, event.data)] : [];
      }
      case "content_block_start":
        return this.#blockStart(event, data);
      case "content_block_delta":
        return this.#blockDelta(event, data);
      case "content_block_stop":
        return this.#blockStop(event, data);
      case "message_delta": {
        this.#messageDelta = data;
        const output = (data.usage as Json | undefined)?.output_tokens;
        if (typeof output === "number")
          this.#roundUsage = { ...this.#roundUsage, outputTokens: output };
        return [];
      }
      case "message_stop":
        this.#stopped = true;
        return [];
      default:
        return [sseText(event.event, event.data)];
    }
  }

  #forwardWithIndex(event: SseEvent, data: Json, index: number): string[] {
    const clientIndex = this.#clientIndex.get(index);
    if (clientIndex === undefined) return [];
    if (clientIndex === index) return [sseText(event.event, event.data)];
    return [sseText(event.event, JSON.stringify({ ...data, index: clientIndex }))];
  }

  #blockStart(event: SseEvent, data: Json): string[] {
    const index = Number(data.index);
    const block = { ...(data.content_block as Json) };
    const hidden = isRetrieveUse(block);
    this.#blocks.set(index, { block, partialJson: "", hidden });
    if (hidden) return [];
    this.#clientIndex.set(index, this.#nextClientIndex++);
    return this.#forwardWithIndex(event, data, index);
  }

  #blockDelta(event: SseEvent, data: Json): string[] {
    const index = Number(data.index);
    const state = this.#blocks.get(index);
    const delta = data.delta as Json | undefined;
    if (state && delta) {
      const block = state.block;
      if (delta.type === "text_delta")
        block.text = String(block.text ?? "") + String(delta.text ?? "");
      else if (delta.type === "thinking_delta")
        block.thinking = String(block.thinking ?? "") + String(delta.thinking ?? "");
      else if (delta.type === "signature_delta") block.signature = delta.signature;
      else if (delta.type === "input_json_delta")
        state.partialJson += String(delta.partial_json ?? "");
      else if (delta.type === "citations_delta") {
        block.citations = [...((block.citations as unknown[]) ?? []), delta.citation];
      }
    }
    return state?.hidden ? [] : this.#forwardWithIndex(event, data, index);
  }

  #blockStop(event: SseEvent, data: Json): string[] {
    const index = Number(data.index);
    const state = this.#blocks.get(index);
    if (
      state &&
      (state.block.type === "tool_use" || state.block.type === "server_tool_use") &&
      state.partialJson
    ) {
      try {
        state.block.input = JSON.parse(state.partialJson);
      } catch {
        state.block.input = {};
      }
    }
    return state?.hidden ? [] : this.#forwardWithIndex(event, data, index);
  }

  endRound(canContinue: boolean): RoundEnd {
    this.#total = addUsage(this.#total, this.#roundUsage);
    const ordered = [...this.#blocks.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([, state]) => state.block);
    const { calls, mixed } = anthropicCalls(ordered);
    const stopReason = (this.#messageDelta?.delta as Json | undefined)?.stop_reason;
    if (calls.length > 0 && !mixed && stopReason === "tool_use" && canContinue) {
      this.#pendingContent = ordered;
      this.#round++;
      this.#blocks = new Map();
      this.#clientIndex = new Map();
      this.#messageDelta = undefined;
      this.#stopped = false;
      return { kind: "continue", calls };
    }
    const tail: string[] = [];
    if (this.#messageDelta) {
      const delta = { ...(this.#messageDelta.delta as Json) };
      // Out of rounds with only retrieve calls left: the client must not see a tool_use stop.
      if (calls.length > 0 && !mixed && stopReason === "tool_use") delta.stop_reason = "end_turn";
      const usage = {
        ...(this.#messageDelta.usage as Json),
        output_tokens: this.#total.outputTokens ?? 0,
      };
      tail.push(sseText("message_delta", JSON.stringify({ ...this.#messageDelta, delta, usage })));
    }
    if (this.#stopped) tail.push(sseText("message_stop", JSON.stringify({ type: "message_stop" })));
    const hidden = mixed ? hideAnthropicCalls(ordered).hidden : undefined;
    return { kind: "done", tail, hidden };
  }

  #pendingContent: unknown[] = [];

  continuation(bodyText: string, _body: Json, answers: readonly RetrieveAnswer[]): string {
    return anthropicContinuation(bodyText, this.#pendingContent, answers);
  }

  usage(): Usage {
    return this.#total;
  }
}
