/**
 * headroom_retrieve on Gemini's generateContent: finding the model's retrieve calls among the
 * first candidate's `functionCall` parts, the continuation request that answers them (the model
 * turn as it came, thought signatures included, then a user turn of `functionResponse` parts),
 * hiding them from the client, and the same on an `alt=sse` stream (the finish of a
 * retrieve-only round held back, later rounds carrying the first round's responseId, usage
 * summed into every chunk's running totals).
 *
 * Gemini's function calls carry an `id` only on some models; a call without one is answered by
 * position, and a hidden call without one cannot be put back later (it is simply left out).
 * @module
 */

import { RETRIEVE_TOOL_NAME } from "../compress/slots.ts";
import { appendItemsAt } from "../core/json-edit.ts";
import { arr, type Json, obj } from "../core/json-value.ts";
import type { SseEvent } from "../core/sse.ts";
import { type Usage, usageFromBody } from "../core/usage.ts";
import type { RetrieveAnswer, RetrieveCall } from "./retrieval-result.ts";
import {
  addUsage,
  hideRetrieveCalls,
  type RoundEnd,
  type StreamInterceptor,
} from "./retrieval-round.ts";

function callOf(part: unknown): Json | undefined {
  return obj(obj(part)?.functionCall);
}

function isRetrieveCall(part: unknown): boolean {
  return callOf(part)?.name === RETRIEVE_TOOL_NAME;
}

function isFunctionCall(part: unknown): boolean {
  return callOf(part) !== undefined;
}

/** A call's own id, or its position among the reply's parts when the model gave none. */
function idOf(part: unknown, position: number): string {
  const id = callOf(part)?.id;
  return typeof id === "string" && id !== "" ? id : `#${position}`;
}

/** The parts of a reply's first candidate. */
export function geminiParts(reply: Json): unknown[] {
  return arr(obj(obj(arr(reply.candidates)[0])?.content)?.parts);
}

/** A reply whose first candidate holds `parts` (and `finishReason`, when given). */
export function withGeminiParts(reply: Json, parts: unknown[], finishReason?: string): Json {
  const candidates = [...arr(reply.candidates)];
  const first = obj(candidates[0]) ?? {};
  candidates[0] = {
    ...first,
    content: { ...(obj(first.content) ?? { role: "model" }), parts },
    ...(finishReason ? { finishReason } : {}),
  };
  return { ...reply, candidates };
}

/** The retrieve calls of a reply's parts, and whether the client's own functions were called too. */
export function geminiCalls(parts: readonly unknown[]): { calls: RetrieveCall[]; mixed: boolean } {
  const calls: RetrieveCall[] = [];
  let mixed = false;
  parts.forEach((part, position) => {
    if (isRetrieveCall(part))
      calls.push({ id: idOf(part, position), hash: obj(callOf(part)?.args)?.hash });
    else if (isFunctionCall(part)) mixed = true;
  });
  return { calls, mixed };
}

/** The `functionResponse` part that answers one retrieve call. */
function answerPart(answer: RetrieveAnswer): Json {
  return {
    functionResponse: {
      ...(answer.id.startsWith("#") ? {} : { id: answer.id }),
      name: RETRIEVE_TOOL_NAME,
      response: answer.found ? { output: answer.text } : { error: answer.text },
    },
  };
}

/** An answer as the part that follows its call in later history (hidden calls). */
export function geminiAnswerJson(answer: RetrieveAnswer): string {
  return JSON.stringify(answerPart(answer));
}

/** The next round's request text: the model's turn and a user turn of answers appended. */
export function geminiContinuation(
  bodyText: string,
  modelContent: Json,
  answers: readonly RetrieveAnswer[],
): string {
  return appendItemsAt(
    bodyText,
    ["contents"],
    [
      JSON.stringify({ ...modelContent, role: "model" }),
      JSON.stringify({ role: "user", parts: answers.map(answerPart) }),
    ],
  );
}

/**
 * Gemini 3 wants a step's thought signature on its first function call. A hidden retrieve call
 * that carried it and cannot be put back later (the client's calls have no id to anchor it on)
 * hands it to the client's first call, so the client's history still validates. `parts` are the
 * reply's parts before the retrieve calls were taken out of `kept`.
 */
export function carrySignature(kept: unknown[], parts: readonly unknown[]): unknown[] {
  const signature = parts
    .filter(isRetrieveCall)
    .map((part) => obj(part)?.thoughtSignature)
    .find((value) => typeof value === "string");
  const at = kept.findIndex(isFunctionCall);
  if (signature === undefined || at < 0) return kept;
  const first = obj(kept[at])!;
  if (typeof callOf(first)?.id === "string" || first.thoughtSignature !== undefined) return kept;
  const out = [...kept];
  out[at] = { ...first, thoughtSignature: signature };
  return out;
}

/** Removes retrieve calls from a reply's parts; only calls with ids can be remembered. */
export function hideGeminiCalls(parts: readonly unknown[]) {
  return hideRetrieveCalls(parts, isRetrieveCall, isFunctionCall, (part) => {
    const id = callOf(part)?.id;
    return typeof id === "string" ? id : "";
  });
}

/** `usageMetadata` in Gemini's field names, from headroom's totals over every round. */
export function geminiUsageJson(usage: Usage, base: Json | undefined): Json {
  const { thoughtsTokenCount: _thoughts, ...rest } = base ?? {};
  const input = usage.inputTokens ?? 0;
  const output = usage.outputTokens ?? 0;
  return {
    ...rest,
    promptTokenCount: input,
    candidatesTokenCount: output,
    ...(usage.cacheReadTokens ? { cachedContentTokenCount: usage.cacheReadTokens } : {}),
    totalTokenCount: input + output,
  };
}

/** One event in Gemini's SSE framing. */
function geminiSse(data: string): string {
  return `data: ${data}\r\n\r\n`;
}

/** The stream interceptor for Gemini's `alt=sse` streams (candidate 0). */
export class GeminiRetrievalStream implements StreamInterceptor {
  #firstResponseId: unknown;
  #parts: unknown[] = [];
  #role: unknown = "model";
  /** The finish of a round that so far only called headroom_retrieve, held back. */
  #finish: Json | undefined;
  #round = 0;
  #total: Usage = {};
  #roundUsage: Usage = {};
  #pending: Json = { role: "model", parts: [] };

  push(event: SseEvent): string[] {
    let chunk: Json;
    try {
      const parsed = obj(JSON.parse(event.data));
      if (!parsed) return [geminiSse(event.data)];
      chunk = parsed;
    } catch {
      return [geminiSse(event.data)];
    }
    if (this.#firstResponseId === undefined) this.#firstResponseId = chunk.responseId;
    if (obj(chunk.usageMetadata)) this.#roundUsage = usageFromBody("gemini", chunk);
    const candidate = obj(arr(chunk.candidates)[0]);
    const parts = arr(obj(candidate?.content)?.parts);
    if (obj(candidate?.content)?.role !== undefined) this.#role = obj(candidate?.content)?.role;
    this.#parts.push(...parts);
    const kept = carrySignature(
      parts.filter((part) => !isRetrieveCall(part)),
      parts,
    );
    let changed = this.#round > 0 || kept.length !== parts.length;
    let out: Json = chunk;
    if (kept.length !== parts.length) out = withGeminiParts(out, kept);
    if (candidate?.finishReason !== undefined && this.#retrieveOnly()) {
      // Whether this round continues is known only when it ends: keep its finish until then.
      this.#finish = chunk;
      const { finishReason: _finish, ...open } = obj(arr(out.candidates)[0]) ?? {};
      out = { ...out, candidates: [open, ...arr(out.candidates).slice(1)] };
      changed = true;
      if (kept.length === 0) return [];
    }
    if (!changed) return [geminiSse(event.data)];
    if (kept.length === 0 && parts.length > 0 && candidate?.finishReason === undefined) return [];
    return [geminiSse(JSON.stringify(this.#stitched(out)))];
  }

  /** A later round's chunk as part of the first round's response, with the running totals. */
  #stitched(chunk: Json): Json {
    if (this.#round === 0) return chunk;
    const running = addUsage(this.#total, this.#roundUsage);
    return {
      ...chunk,
      ...(this.#firstResponseId !== undefined ? { responseId: this.#firstResponseId } : {}),
      ...(obj(chunk.usageMetadata)
        ? { usageMetadata: geminiUsageJson(running, obj(chunk.usageMetadata)) }
        : {}),
    };
  }

  #retrieveOnly(): boolean {
    const { calls, mixed } = geminiCalls(this.#parts);
    return calls.length > 0 && !mixed;
  }

  endRound(canContinue: boolean): RoundEnd {
    const { calls, mixed } = geminiCalls(this.#parts);
    const parts = this.#parts;
    if (this.#finish && calls.length > 0 && !mixed && canContinue) {
      this.#total = addUsage(this.#total, this.#roundUsage);
      this.#roundUsage = {};
      this.#pending = { role: this.#role, parts };
      this.#round++;
      this.#parts = [];
      this.#finish = undefined;
      return { kind: "continue", calls };
    }
    const tail: string[] = [];
    if (this.#finish) {
      // Out of rounds with only retrieve calls: end the reply as it ended, without them.
      const finish = withGeminiParts(this.#finish, []);
      tail.push(geminiSse(JSON.stringify(this.#stitched(finish))));
    }
    this.#total = addUsage(this.#total, this.#roundUsage);
    this.#roundUsage = {};
    return { kind: "done", tail, hidden: mixed ? hideGeminiCalls(parts).hidden : undefined };
  }

  continuation(bodyText: string, _body: Json, answers: readonly RetrieveAnswer[]): string {
    return geminiContinuation(bodyText, this.#pending, answers);
  }

  usage(): Usage {
    return addUsage(this.#total, this.#roundUsage);
  }
}
