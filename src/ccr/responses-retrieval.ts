/**
 * headroom_retrieve on the OpenAI Responses API: retrieve calls are `function_call` output
 * items. The continuation either chains on the stored response (when the client chains with
 * previous_response_id) or replays the output items with their outputs in `input`. On a stream,
 * hidden items' events are dropped, output indexes and sequence numbers renumbered, and the final
 * response.completed lists every visible item of every round with the summed usage.
 * @module
 */

import { RETRIEVE_TOOL_NAME } from "../compress/slots.ts";
import { appendItemsAt, applySplices, locateValues, pathKey } from "../core/json-edit.ts";
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

function isRetrieveItem(item: unknown): boolean {
  const it = item as Json | null;
  return (
    it !== null &&
    typeof it === "object" &&
    it.type === "function_call" &&
    it.name === RETRIEVE_TOOL_NAME
  );
}

function isToolCallItem(item: unknown): boolean {
  const it = item as Json | null;
  return (
    it !== null &&
    typeof it === "object" &&
    (it.type === "function_call" || it.type === "custom_tool_call")
  );
}

/** The retrieve calls among output items, and whether the client's own tools were called too. */
export function responsesCalls(output: readonly unknown[]): {
  calls: RetrieveCall[];
  mixed: boolean;
} {
  const calls: RetrieveCall[] = [];
  let mixed = false;
  for (const item of output) {
    if (isRetrieveItem(item)) {
      const it = item as Json;
      let hash: unknown;
      try {
        hash = (JSON.parse(String(it.arguments ?? "")) as Json).hash;
      } catch {
        hash = undefined;
      }
      calls.push({ id: String(it.call_id), hash });
    } else if (isToolCallItem(item)) {
      mixed = true;
    }
  }
  return { calls, mixed };
}

function outputItem(answer: RetrieveAnswer): string {
  return JSON.stringify({ type: "function_call_output", call_id: answer.id, output: answer.text });
}

/** Output items as they may be sent back as input (stateless requests cannot name stored ids). */
function replayable(items: readonly unknown[], stateless: boolean): unknown[] {
  if (!stateless) return [...items];
  return items
    .filter(
      (item) =>
        (item as Json).type !== "reasoning" || (item as Json).encrypted_content !== undefined,
    )
    .map((item) => {
      const { id: _id, ...rest } = item as Json;
      return (item as Json).type === "reasoning" ? item : rest;
    });
}

/** The next round's request text, answering the calls of a reply. */
export function responsesContinuation(
  bodyText: string,
  body: Json,
  reply: { id: unknown; output: readonly unknown[] },
  answers: readonly RetrieveAnswer[],
): string {
  if (typeof body.previous_response_id === "string" && typeof reply.id === "string") {
    // The client chains on stored responses: chain on the reply and send only the answers.
    const spans = locateValues(bodyText, [["previous_response_id"], ["input"]]);
    const previous = spans.get(pathKey(["previous_response_id"]))!;
    const input = spans.get(pathKey(["input"]));
    const answersText = `[${answers.map(outputItem).join(",")}]`;
    return applySplices(bodyText, [
      { ...previous, text: JSON.stringify(reply.id) },
      ...(input ? [{ ...input, text: answersText }] : []),
    ]);
  }
  const items = [
    ...replayable(reply.output, body.store === false).map((item) => JSON.stringify(item)),
    ...answers.map(outputItem),
  ];
  if (typeof body.input === "string") {
    const span = locateValues(bodyText, [["input"]]).get(pathKey(["input"]))!;
    const first = JSON.stringify({ role: "user", content: body.input });
    return applySplices(bodyText, [{ ...span, text: `[${[first, ...items].join(",")}]` }]);
  }
  return appendItemsAt(bodyText, ["input"], items);
}

/** Removes retrieve calls from output items, reporting what was hidden and where. */
export function hideResponsesCalls(output: readonly unknown[]) {
  return hideRetrieveCalls(output, isRetrieveItem, isToolCallItem, (item) =>
    String((item as Json).call_id),
  );
}

/** The usage object of a response in the Responses API's field names, from headroom's totals. */
export function responsesUsageJson(usage: Usage, base: Json | undefined): Json {
  const input = usage.inputTokens ?? 0;
  const output = usage.outputTokens ?? 0;
  return {
    ...base,
    input_tokens: input,
    input_tokens_details: {
      ...((base?.input_tokens_details as Json) ?? {}),
      cached_tokens: usage.cacheReadTokens ?? 0,
    },
    output_tokens: output,
    total_tokens: input + output,
  };
}

const TERMINAL = new Set(["response.completed", "response.incomplete", "response.failed"]);

/** The stream interceptor for the Responses API. */
export class ResponsesRetrievalStream implements StreamInterceptor {
  #round = 0;
  #seq = 0;
  #nextClientIndex = 0;
  #clientIndex = new Map<number, number>();
  #hidden = new Set<number>();
  #roundItems = new Map<number, unknown>();
  #visibleItems: unknown[] = [];
  #terminal: { name: string; data: Json } | undefined;
  #total: Usage = {};
  #pending: { id: unknown; output: unknown[] } = { id: undefined, output: [] };

  push(event: SseEvent): string[] {
    let data: Json;
    try {
      data = JSON.parse(event.data) as Json;
    } catch {
      return [sseText(event.event, event.data)];
    }
    const type = String(data.type ?? event.event);
    if (type === "response.created" || type === "response.in_progress") {
      return this.#round === 0 ? this.#forward(event.event, data) : [];
    }
    if (TERMINAL.has(type)) {
      this.#terminal = { name: event.event, data };
      return [];
    }
    if (typeof data.output_index !== "number") return this.#forward(event.event, data);
    const index = data.output_index;
    if (type === "response.output_item.added") {
      if (isRetrieveItem(data.item)) this.#hidden.add(index);
      else this.#clientIndex.set(index, this.#nextClientIndex++);
    }
    if (type === "response.output_item.done") {
      this.#roundItems.set(index, data.item);
      if (!this.#hidden.has(index)) this.#visibleItems.push(data.item);
    }
    if (this.#hidden.has(index)) return [];
    const clientIndex = this.#clientIndex.get(index) ?? index;
    return this.#forward(
      event.event,
      clientIndex === index ? data : { ...data, output_index: clientIndex },
    );
  }

  #forward(name: string, data: Json): string[] {
    if (typeof data.sequence_number !== "number") return [sseText(name, JSON.stringify(data))];
    return [sseText(name, JSON.stringify({ ...data, sequence_number: this.#seq++ }))];
  }

  endRound(canContinue: boolean): RoundEnd {
    const response = (this.#terminal?.data.response as Json | undefined) ?? {};
    this.#total = addUsage(this.#total, usageFromBody("responses", { usage: response.usage }));
    const items = [...this.#roundItems.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([, item]) => item);
    const { calls, mixed } = responsesCalls(items);
    const completed = this.#terminal?.data.type === "response.completed";
    if (completed && calls.length > 0 && !mixed && canContinue) {
      this.#pending = { id: response.id, output: items };
      this.#round++;
      this.#clientIndex = new Map();
      this.#hidden = new Set();
      this.#roundItems = new Map();
      this.#terminal = undefined;
      return { kind: "continue", calls };
    }
    const tail: string[] = [];
    if (this.#terminal) {
      const merged = {
        ...response,
        output: this.#visibleItems,
        usage: responsesUsageJson(this.#total, response.usage as Json),
      };
      tail.push(
        ...this.#forward(this.#terminal.name, { ...this.#terminal.data, response: merged }),
      );
    }
    return { kind: "done", tail, hidden: mixed ? hideResponsesCalls(items).hidden : undefined };
  }

  continuation(bodyText: string, body: Json, answers: readonly RetrieveAnswer[]): string {
    return responsesContinuation(bodyText, body, this.#pending, answers);
  }

  usage(): Usage {
    return this.#total;
  }
}
