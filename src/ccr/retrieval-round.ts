/**
 * The shapes shared by the per-API retrieval handlers: what one round of the model's answer
 * asked for, and the contract of a stream interceptor that hides headroom_retrieve calls from
 * the client while keeping its stream well formed.
 * @module
 */

import type { SseEvent } from "../core/sse.ts";
import type { Usage } from "../core/usage.ts";
import type { RetrieveAnswer, RetrieveCall } from "./retrieval-result.ts";

/** Retrieve calls hidden from a reply that also called the client's own tools. */
export interface HiddenCalls {
  /** The id of the client's first tool call in that reply: where the record is found later. */
  readonly anchor: string;
  /** The hidden calls, as the provider sent them (JSON texts) and where they sat. */
  readonly calls: readonly { readonly position: number; readonly json: string }[];
  /** The ids of the hidden calls, in order. */
  readonly ids: readonly string[];
}

/**
 * Splits a reply's calls into what the client sees and the retrieve calls to hide; the anchor is
 * the first of the client's own calls. Nothing is hidden when the reply has no client call.
 */
export function hideRetrieveCalls(
  items: readonly unknown[],
  isRetrieve: (item: unknown) => boolean,
  isClientCall: (item: unknown) => boolean,
  idOf: (item: unknown) => string,
): { visible: unknown[]; hidden: HiddenCalls | undefined } {
  const visible: unknown[] = [];
  const calls: { position: number; json: string }[] = [];
  const ids: string[] = [];
  let anchor: string | undefined;
  items.forEach((item, position) => {
    if (isRetrieve(item)) {
      calls.push({ position, json: JSON.stringify(item) });
      ids.push(idOf(item));
      return;
    }
    if (anchor === undefined && isClientCall(item)) anchor = idOf(item);
    visible.push(item);
  });
  return { visible, hidden: calls.length && anchor ? { anchor, calls, ids } : undefined };
}

/** How an interceptor's round ended. */
export type RoundEnd =
  /** The reply is complete: send `tail` and close the stream. */
  | {
      readonly kind: "done";
      readonly tail: readonly string[];
      readonly hidden: HiddenCalls | undefined;
    }
  /** The model only asked to retrieve: answer `calls` and continue with another round. */
  | { readonly kind: "continue"; readonly calls: readonly RetrieveCall[] };

/** Hides headroom_retrieve calls in a streamed reply and stitches continuation rounds into it. */
export interface StreamInterceptor {
  /** Feeds one upstream event; returns the SSE texts to send to the client now. */
  push(event: SseEvent): string[];
  /** Called when the upstream stream of the current round ends. */
  endRound(canContinue: boolean): RoundEnd;
  /** The request body text of the next round, given the answers to the calls. */
  continuation(
    bodyText: string,
    body: Record<string, unknown>,
    answers: readonly RetrieveAnswer[],
  ): string;
  /** Usage summed over every round so far. */
  usage(): Usage;
}

/** Adds `b` to `a`, field by field. */
export function addUsage(a: Usage, b: Usage): Usage {
  const sum = (x?: number, y?: number) =>
    x === undefined && y === undefined ? undefined : (x ?? 0) + (y ?? 0);
  const out: Usage = {};
  const input = sum(a.inputTokens, b.inputTokens);
  const output = sum(a.outputTokens, b.outputTokens);
  const read = sum(a.cacheReadTokens, b.cacheReadTokens);
  const write = sum(a.cacheWriteTokens, b.cacheWriteTokens);
  if (input !== undefined) out.inputTokens = input;
  if (output !== undefined) out.outputTokens = output;
  if (read !== undefined) out.cacheReadTokens = read;
  if (write !== undefined) out.cacheWriteTokens = write;
  return out;
}

/** Serialises one SSE event; `named` writes the `event:` line (Anthropic, Responses). */
export function sseText(name: string | undefined, data: string): string {
  return name ? `event: ${name}\ndata: ${data}\n\n` : `data: ${data}\n\n`;
}
