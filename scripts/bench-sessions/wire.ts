/**
 * The two answers the session benchmark's fake models give, in the providers' wire formats:
 * Anthropic Messages and OpenAI Responses, whole (JSON) or streamed (SSE events), each either a
 * text answer or one tool call. Usage is passed in so the pricing upstream can report what it
 * billed.
 */

/** What the fake model says. */
export type Answer =
  | { readonly kind: "text"; readonly text: string }
  | {
      readonly kind: "tool";
      readonly id: string;
      readonly name: string;
      readonly input: Record<string, unknown>;
    };

/** Anthropic's usage object. */
export interface AnthropicUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  output_tokens: number;
}

/** The Responses API's usage object. */
export interface ResponsesUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

const event = (name: string, data: unknown) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;

function anthropicBlock(answer: Answer): Record<string, unknown> {
  return answer.kind === "text"
    ? { type: "text", text: answer.text }
    : { type: "tool_use", id: answer.id, name: answer.name, input: answer.input };
}

/** A whole Messages response. */
export function anthropicJson(answer: Answer, model: string, usage: AnthropicUsage): string {
  return JSON.stringify({
    id: "msg_01BenchSessions",
    type: "message",
    role: "assistant",
    model,
    content: [anthropicBlock(answer)],
    stop_reason: answer.kind === "tool" ? "tool_use" : "end_turn",
    stop_sequence: null,
    usage,
  });
}

/** A streamed Messages response, as one SSE text. */
export function anthropicSse(answer: Answer, model: string, usage: AnthropicUsage): string {
  const block = anthropicBlock(answer);
  const start = answer.kind === "text" ? { type: "text", text: "" } : { ...block, input: {} };
  const delta =
    answer.kind === "text"
      ? { type: "text_delta", text: answer.text }
      : { type: "input_json_delta", partial_json: JSON.stringify(answer.input) };
  return [
    event("message_start", {
      type: "message_start",
      message: {
        id: "msg_01BenchSessions",
        type: "message",
        role: "assistant",
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...usage, output_tokens: 1 },
      },
    }),
    event("content_block_start", { type: "content_block_start", index: 0, content_block: start }),
    event("content_block_delta", { type: "content_block_delta", index: 0, delta }),
    event("content_block_stop", { type: "content_block_stop", index: 0 }),
    event("message_delta", {
      type: "message_delta",
      delta: { stop_reason: answer.kind === "tool" ? "tool_use" : "end_turn", stop_sequence: null },
      usage: { output_tokens: usage.output_tokens },
    }),
    event("message_stop", { type: "message_stop" }),
  ].join("");
}

function responsesItem(answer: Answer): Record<string, unknown> {
  return answer.kind === "text"
    ? {
        id: "msg_BenchSessions01",
        type: "message",
        status: "completed",
        role: "assistant",
        content: [{ type: "output_text", text: answer.text, annotations: [] }],
      }
    : {
        id: `fc_${answer.id}`,
        type: "function_call",
        status: "completed",
        call_id: answer.id,
        name: answer.name,
        arguments: JSON.stringify(answer.input),
      };
}

function responseObject(answer: Answer, model: string, usage: ResponsesUsage | null) {
  return {
    id: "resp_BenchSessions01",
    object: "response",
    created_at: 1764115200,
    status: usage ? "completed" : "in_progress",
    error: null,
    incomplete_details: null,
    model,
    output: usage ? [responsesItem(answer)] : [],
    parallel_tool_calls: true,
    tool_choice: "auto",
    tools: [],
    usage,
  };
}

/** A whole Responses response. */
export function responsesJson(answer: Answer, model: string, usage: ResponsesUsage): string {
  return JSON.stringify(responseObject(answer, model, usage));
}

/** A streamed Responses response, as one SSE text. */
export function responsesSse(answer: Answer, model: string, usage: ResponsesUsage): string {
  let sequence = 0;
  const next = (type: string, data: Record<string, unknown>) =>
    event(type, { type, sequence_number: sequence++, ...data });
  const item = responsesItem(answer);
  return [
    next("response.created", { response: responseObject(answer, model, null) }),
    next("response.output_item.added", { output_index: 0, item }),
    next("response.output_item.done", { output_index: 0, item }),
    next("response.completed", { response: responseObject(answer, model, usage) }),
  ].join("");
}
