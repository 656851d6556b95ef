/**
 * One interface over the four APIs' retrieval handling, so the loop that answers the model's
 * headroom_retrieve calls is written once.
 * @module
 */

import type { GenerationApi } from "../compress/slots.ts";
import type { Json } from "../core/json-value.ts";
import { type Usage, usageFromBody } from "../core/usage.ts";
import {
  AnthropicRetrievalStream,
  anthropicCalls,
  anthropicContinuation,
  anthropicUsageJson,
  hideAnthropicCalls,
} from "./anthropic-retrieval.ts";
import {
  ChatRetrievalStream,
  chatCalls,
  chatContinuation,
  chatUsageJson,
  hideChatCalls,
} from "./chat-retrieval.ts";
import {
  carrySignature,
  GeminiRetrievalStream,
  geminiAnswerJson,
  geminiCalls,
  geminiContinuation,
  geminiParts,
  geminiUsageJson,
  hideGeminiCalls,
  withGeminiParts,
} from "./gemini-retrieval.ts";
import {
  hideResponsesCalls,
  ResponsesRetrievalStream,
  responsesCalls,
  responsesContinuation,
  responsesUsageJson,
} from "./responses-retrieval.ts";
import type { RetrieveAnswer, RetrieveCall } from "./retrieval-result.ts";
import type { HiddenCalls, StreamInterceptor } from "./retrieval-round.ts";

/** What the retrieval loop needs to know about one API. */
export interface RetrievalAdapter {
  /** The retrieve calls of a complete reply, and whether it also called the client's tools. */
  calls(reply: Json): { calls: RetrieveCall[]; mixed: boolean };
  /** The reply without its retrieve calls, and what was hidden (when the client's tools were called too). */
  hide(reply: Json): { reply: Json; hidden: HiddenCalls | undefined };
  /** The reply without retrieve calls, ending as a normal answer (retrieval rounds exhausted). */
  finish(reply: Json): Json;
  /** The next round's request text. */
  continuation(
    bodyText: string,
    body: Json,
    reply: Json,
    answers: readonly RetrieveAnswer[],
  ): string;
  /** The reply with its usage replaced by headroom's totals over every round. */
  withUsage(reply: Json, usage: Usage): Json;
  /** An answer as the provider-shaped item that follows the call in later history. */
  answerJson(answer: RetrieveAnswer): string;
  /** A fresh interceptor for a streamed reply. */
  stream(): StreamInterceptor;
  usage(reply: Json): Usage;
}

function firstChoiceMessage(reply: Json): Json {
  return ((reply.choices as Json[] | undefined)?.[0]?.message as Json | undefined) ?? {};
}

function withFirstChoiceMessage(reply: Json, message: Json, finishReason?: string): Json {
  const choices = [...((reply.choices as Json[] | undefined) ?? [])];
  const first = choices[0] ?? {};
  choices[0] = { ...first, message, ...(finishReason ? { finish_reason: finishReason } : {}) };
  return { ...reply, choices };
}

const messagesAdapter: RetrievalAdapter = {
  calls: (reply) => anthropicCalls((reply.content as unknown[]) ?? []),
  hide(reply) {
    const { visible, hidden } = hideAnthropicCalls((reply.content as unknown[]) ?? []);
    return { reply: { ...reply, content: visible }, hidden };
  },
  finish(reply) {
    const { visible } = hideAnthropicCalls((reply.content as unknown[]) ?? []);
    return { ...reply, content: visible, stop_reason: "end_turn" };
  },
  continuation: (bodyText, _body, reply, answers) =>
    anthropicContinuation(bodyText, (reply.content as unknown[]) ?? [], answers),
  withUsage: (reply, usage) => ({
    ...reply,
    usage: anthropicUsageJson(usage, reply.usage as Json | undefined),
  }),
  answerJson: (answer) =>
    JSON.stringify({
      type: "tool_result",
      tool_use_id: answer.id,
      content: answer.text,
      ...(answer.found ? {} : { is_error: true }),
    }),
  stream: () => new AnthropicRetrievalStream(),
  usage: (reply) => usageFromBody("messages", reply),
};

const chatAdapter: RetrievalAdapter = {
  calls: (reply) => chatCalls((firstChoiceMessage(reply).tool_calls as unknown[]) ?? []),
  hide(reply) {
    const message = firstChoiceMessage(reply);
    const { visible, hidden } = hideChatCalls((message.tool_calls as unknown[]) ?? []);
    return { reply: withFirstChoiceMessage(reply, { ...message, tool_calls: visible }), hidden };
  },
  finish(reply) {
    const { tool_calls: _calls, ...message } = firstChoiceMessage(reply);
    return withFirstChoiceMessage(reply, message, "stop");
  },
  continuation(bodyText, _body, reply, answers) {
    const message = firstChoiceMessage(reply);
    return chatContinuation(
      bodyText,
      { content: message.content, toolCalls: (message.tool_calls as unknown[]) ?? [] },
      answers,
    );
  },
  withUsage: (reply, usage) => ({
    ...reply,
    usage: chatUsageJson(usage, reply.usage as Json | undefined),
  }),
  answerJson: (answer) =>
    JSON.stringify({ role: "tool", tool_call_id: answer.id, content: answer.text }),
  stream: () => new ChatRetrievalStream(),
  usage: (reply) => usageFromBody("chat", reply),
};

const responsesAdapter: RetrievalAdapter = {
  calls: (reply) => responsesCalls((reply.output as unknown[]) ?? []),
  hide(reply) {
    const { visible, hidden } = hideResponsesCalls((reply.output as unknown[]) ?? []);
    return { reply: { ...reply, output: visible }, hidden };
  },
  finish(reply) {
    return { ...reply, output: hideResponsesCalls((reply.output as unknown[]) ?? []).visible };
  },
  continuation: (bodyText, body, reply, answers) =>
    responsesContinuation(
      bodyText,
      body,
      { id: reply.id, output: (reply.output as unknown[]) ?? [] },
      answers,
    ),
  withUsage: (reply, usage) => ({
    ...reply,
    usage: responsesUsageJson(usage, reply.usage as Json | undefined),
  }),
  answerJson: (answer) =>
    JSON.stringify({ type: "function_call_output", call_id: answer.id, output: answer.text }),
  stream: () => new ResponsesRetrievalStream(),
  usage: (reply) => usageFromBody("responses", reply),
};

const geminiAdapter: RetrievalAdapter = {
  calls: (reply) => geminiCalls(geminiParts(reply)),
  hide(reply) {
    const parts = geminiParts(reply);
    const { visible, hidden } = hideGeminiCalls(parts);
    return { reply: withGeminiParts(reply, carrySignature(visible, parts)), hidden };
  },
  finish: (reply) => withGeminiParts(reply, hideGeminiCalls(geminiParts(reply)).visible),
  continuation(bodyText, _body, reply, answers) {
    const candidate = (reply.candidates as Json[] | undefined)?.[0];
    const content = (candidate?.content as Json | undefined) ?? { parts: [] };
    return geminiContinuation(bodyText, content, answers);
  },
  withUsage: (reply, usage) => ({
    ...reply,
    usageMetadata: geminiUsageJson(usage, reply.usageMetadata as Json | undefined),
  }),
  answerJson: geminiAnswerJson,
  stream: () => new GeminiRetrievalStream(),
  usage: (reply) => usageFromBody("gemini", reply),
};

/** The adapter of each generation API. */
export const RETRIEVAL_ADAPTERS: Readonly<Record<GenerationApi, RetrievalAdapter>> = {
  messages: messagesAdapter,
  chat: chatAdapter,
  responses: responsesAdapter,
  gemini: geminiAdapter,
};
