/**
 * headroom_retrieve on OpenAI Chat Completions: finding retrieve calls among a reply's
 * tool_calls, the continuation request that answers them, hiding them from the client, and the
 * same on a stream (tool call indexes renumbered, later rounds' chunks carrying the first
 * round's id, usage summed into the final usage chunk).
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

function functionOf(call: unknown): Json | undefined {
  const c = call as Json | null;
  return c !== null && typeof c === "object" ? (c.function as Json | undefined) : undefined;
}

function isRetrieveCall(call: unknown): boolean {
  return functionOf(call)?.name === RETRIEVE_TOOL_NAME;
}

function hashArgument(args: unknown): unknown {
  try {
    return (JSON.parse(String(args ?? "")) as Json).hash;
  } catch {
    return undefined;
  }
}

/** The retrieve calls of a reply message, and whether the client's own tools were called too. */
export function chatCalls(toolCalls: readonly unknown[]): {
  calls: RetrieveCall[];
  mixed: boolean;
} {
  const calls: RetrieveCall[] = [];
  let mixed = false;
  for (const call of toolCalls) {
    if (isRetrieveCall(call))
      calls.push({
        id: String((call as Json).id),
        hash: hashArgument(functionOf(call)?.arguments),
      });
    else mixed = true;
  }
  return { calls, mixed };
}

/** The next round's request text: the reply and one tool message per answer appended. */
export function chatContinuation(
  bodyText: string,
  message: { content: unknown; toolCalls: readonly unknown[] },
  answers: readonly RetrieveAnswer[],
): string {
  return appendItemsAt(
    bodyText,
    ["messages"],
    [
      JSON.stringify({
        role: "assistant",
        content: message.content ?? null,
        tool_calls: message.toolCalls,
      }),
      ...answers.map((answer) =>
        JSON.stringify({ role: "tool", tool_call_id: answer.id, content: answer.text }),
      ),
    ],
  );
}

/** Removes retrieve calls from a reply's tool_calls, reporting what was hidden and where. */
export function hideChatCalls(toolCalls: readonly unknown[]) {
  return hideRetrieveCalls(
    toolCalls,
    isRetrieveCall,
    () => true,
    (call) => String((call as Json).id),
  );
}

/** The usage object of a chat reply in OpenAI's field names, from headroom's totals. */
export function chatUsageJson(usage: Usage, base: Json | undefined): Json {
  const input = usage.inputTokens ?? 0;
  const output = usage.outputTokens ?? 0;
  return {
    ...base,
    prompt_tokens: input,
    completion_tokens: output,
    total_tokens: input + output,
    prompt_tokens_details: {
      ...((base?.prompt_tokens_details as Json) ?? {}),
      cached_tokens: usage.cacheReadTokens ?? 0,
    },
  };
}

interface CallState {
  id: string;
  name: string;
  args: string;
  hidden: boolean;
  clientIndex: number;
}

/** The stream interceptor for Chat Completions (choice 0). */
export class ChatRetrievalStream implements StreamInterceptor {
  #firstId: unknown;
  #firstCreated: unknown;
  #nextClientIndex = 0;
  #calls = new Map<number, CallState>();
  #content = "";
  #finish: Json | undefined;
  #usageChunk: Json | undefined;
  #done = false;
  #round = 0;
  #total: Usage = {};
  #roundUsage: Usage = {};
  #pending: { content: unknown; toolCalls: unknown[] } = { content: null, toolCalls: [] };

  push(event: SseEvent): string[] {
    if (event.data.trim() === "[DONE]") {
      this.#done = true;
      return [];
    }
    let chunk: Json;
    try {
      chunk = JSON.parse(event.data) as Json;
    } catch {
      return [sseText(undefined, event.data)];
    }
    if (this.#firstId === undefined) {
      this.#firstId = chunk.id;
      this.#firstCreated = chunk.created;
    }
    const choices = Array.isArray(chunk.choices) ? (chunk.choices as Json[]) : [];
    if (chunk.usage && typeof chunk.usage === "object" && choices.length === 0) {
      this.#usageChunk = chunk;
      this.#roundUsage = usageFromBody("chat", chunk);
      return [];
    }
    let changed = this.#round > 0;
    const choice = choices[0];
    const delta = (choice?.delta as Json | undefined) ?? {};
    if (typeof delta.content === "string") this.#content += delta.content;
    let toolCalls = delta.tool_calls as Json[] | undefined;
    if (Array.isArray(toolCalls)) {
      const kept: Json[] = [];
      for (const entry of toolCalls) {
        const state = this.#track(entry);
        if (!state || state.hidden) {
          changed = true;
          continue;
        }
        if (entry.index !== state.clientIndex) changed = true;
        kept.push({ ...entry, index: state.clientIndex });
      }
      toolCalls = kept;
    }
    if (choice?.finish_reason === "tool_calls" && this.#hiddenOnly()) {
      this.#finish = chunk;
      changed = true;
    }
    if (!changed) return [sseText(undefined, event.data)];
    const newDelta: Json = { ...delta };
    if (toolCalls) {
      if (toolCalls.length) newDelta.tool_calls = toolCalls;
      else delete newDelta.tool_calls;
    }
    const withheldFinish = this.#finish === chunk;
    const finishReason = withheldFinish ? null : (choice?.finish_reason ?? null);
    if (Object.keys(newDelta).length === 0 && finishReason === null && !chunk.usage) return [];
    const out: Json = {
      ...chunk,
      id: this.#firstId,
      created: this.#firstCreated,
      choices: choice ? [{ ...choice, delta: newDelta, finish_reason: finishReason }] : choices,
    };
    return [sseText(undefined, JSON.stringify(out))];
  }

  #track(entry: Json): CallState | undefined {
    const index = Number(entry.index);
    let state = this.#calls.get(index);
    const fn = entry.function as Json | undefined;
    if (!state && typeof entry.id === "string") {
      const hidden = fn?.name === RETRIEVE_TOOL_NAME;
      state = {
        id: entry.id,
        name: String(fn?.name ?? ""),
        args: "",
        hidden,
        clientIndex: hidden ? -1 : this.#nextClientIndex++,
      };
      this.#calls.set(index, state);
    }
    if (state && typeof fn?.arguments === "string") state.args += fn.arguments;
    return state;
  }

  #hiddenOnly(): boolean {
    const calls = [...this.#calls.values()];
    return calls.length > 0 && calls.every((call) => call.hidden);
  }

  #toolCalls(): Json[] {
    return [...this.#calls.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([, call]) => ({
        id: call.id,
        type: "function",
        function: { name: call.name, arguments: call.args },
      }));
  }

  endRound(canContinue: boolean): RoundEnd {
    this.#total = addUsage(this.#total, this.#roundUsage);
    this.#roundUsage = {};
    const toolCalls = this.#toolCalls();
    const { calls, mixed } = chatCalls(toolCalls);
    if (this.#finish && calls.length > 0 && !mixed && canContinue) {
      this.#pending = { content: this.#content || null, toolCalls };
      this.#round++;
      this.#calls = new Map();
      this.#content = "";
      this.#finish = undefined;
      this.#done = false;
      return { kind: "continue", calls };
    }
    const tail: string[] = [];
    if (this.#finish) {
      // Out of rounds with only retrieve calls: end the reply as a plain stop.
      const choice = (this.#finish.choices as Json[])[0]!;
      tail.push(
        sseText(
          undefined,
          JSON.stringify({
            ...this.#finish,
            id: this.#firstId,
            created: this.#firstCreated,
            choices: [{ ...choice, delta: {}, finish_reason: "stop" }],
          }),
        ),
      );
    }
    if (this.#usageChunk) {
      const usage = chatUsageJson(this.#total, this.#usageChunk.usage as Json);
      tail.push(
        sseText(
          undefined,
          JSON.stringify({
            ...this.#usageChunk,
            id: this.#firstId,
            created: this.#firstCreated,
            usage,
          }),
        ),
      );
    }
    if (this.#done) tail.push(sseText(undefined, "[DONE]"));
    return { kind: "done", tail, hidden: mixed ? hideChatCalls(toolCalls).hidden : undefined };
  }

  continuation(bodyText: string, _body: Json, answers: readonly RetrieveAnswer[]): string {
    return chatContinuation(bodyText, this.#pending, answers);
  }

  usage(): Usage {
    return this.#total;
  }
}
