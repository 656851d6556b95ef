/**
 * The four generation APIs as the selftest's fake provider speaks them: the request a client
 * sends and the answer the provider gives, whole and streamed, in each API's own wire format
 * (Anthropic Messages, OpenAI Chat Completions and Responses, Gemini generateContent).
 * @module
 */

/** The fake model's answer: text, or one call of a tool. */
export type Reply =
  | { readonly text: string }
  | { readonly call: { readonly id: string; readonly name: string; readonly input: object } };

/** The four generation APIs headroom serves. */
export type Api = "messages" | "chat" | "responses" | "gemini";

export const APIS: readonly Api[] = ["messages", "chat", "responses", "gemini"];

const MODEL: Record<Api, string> = {
  messages: "claude-sonnet-4-6",
  chat: "gpt-4o",
  responses: "gpt-4o",
  gemini: "gemini-2.5-flash",
};

const CREATED = 1764115200;
const USAGE = { input: 25, output: 12 };

/** The path a client posts to, streamed or whole. */
export function apiPath(api: Api, stream: boolean): string {
  if (api === "messages") return "/v1/messages";
  if (api === "chat") return "/v1/chat/completions";
  if (api === "responses") return "/v1/responses";
  const method = stream ? "streamGenerateContent?alt=sse" : "generateContent";
  return `/v1beta/models/${MODEL.gemini}:${method}`;
}

/** The headers a client of `api` sends: its own kind of key (a dummy: nothing checks it here). */
export function apiHeaders(api: Api): Record<string, string> {
  const json = { "content-type": "application/json" };
  if (api === "messages")
    return { ...json, "x-api-key": "sk-ant-selftest", "anthropic-version": "2023-06-01" };
  if (api === "gemini") return { ...json, "x-goog-api-key": "selftest-google-key" };
  return { ...json, authorization: "Bearer sk-selftest" };
}

/** Which API a path the fake provider receives belongs to. */
export function apiOfPath(path: string): Api | undefined {
  if (path === "/v1/messages") return "messages";
  if (path === "/v1/chat/completions") return "chat";
  if (path === "/v1/responses") return "responses";
  // Gemini's under /v1beta, or /v1 where the genai SDK 3 sends them.
  if (/^\/v1(beta)?\/models\/[^/]+:(streamGenerateContent|generateContent)$/.test(path))
    return "gemini";
  return undefined;
}

function sse(event: string | undefined, data: unknown): string {
  const payload = typeof data === "string" ? data : JSON.stringify(data);
  return event ? `event: ${event}\ndata: ${payload}\n\n` : `data: ${payload}\n\n`;
}

/** Text in the few pieces a model streams it in. */
function pieces(text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += 8) out.push(text.slice(i, i + 8));
  return out.length ? out : [""];
}

// ------------------------------------------------------------------ Anthropic Messages

function messagesContent(reply: Reply): object[] {
  if ("text" in reply) return [{ type: "text", text: reply.text }];
  return [{ type: "tool_use", id: reply.call.id, name: reply.call.name, input: reply.call.input }];
}

const messagesUsage = (output: number) => ({
  input_tokens: USAGE.input,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
  output_tokens: output,
});

function messagesWhole(reply: Reply): string {
  return JSON.stringify({
    id: "msg_01SelftestMessage",
    type: "message",
    role: "assistant",
    model: MODEL.messages,
    content: messagesContent(reply),
    stop_reason: "text" in reply ? "end_turn" : "tool_use",
    stop_sequence: null,
    usage: messagesUsage(USAGE.output),
  });
}

function messagesStream(reply: Reply): string[] {
  const events = [
    sse("message_start", {
      type: "message_start",
      message: {
        id: "msg_01SelftestMessage",
        type: "message",
        role: "assistant",
        model: MODEL.messages,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: messagesUsage(1),
      },
    }),
    sse("ping", { type: "ping" }),
  ];
  const block = (delta: object) =>
    sse("content_block_delta", { type: "content_block_delta", index: 0, delta });
  if ("text" in reply) {
    events.push(
      sse("content_block_start", {
        type: "content_block_start",
        index: 0,
        content_block: { type: "text", text: "" },
      }),
      ...pieces(reply.text).map((text) => block({ type: "text_delta", text })),
    );
  } else {
    const { id, name, input } = reply.call;
    events.push(
      sse("content_block_start", {
        type: "content_block_start",
        index: 0,
        content_block: { type: "tool_use", id, name, input: {} },
      }),
      block({ type: "input_json_delta", partial_json: JSON.stringify(input) }),
    );
  }
  events.push(
    sse("content_block_stop", { type: "content_block_stop", index: 0 }),
    sse("message_delta", {
      type: "message_delta",
      delta: { stop_reason: "text" in reply ? "end_turn" : "tool_use", stop_sequence: null },
      usage: { output_tokens: USAGE.output },
    }),
    sse("message_stop", { type: "message_stop" }),
  );
  return events;
}

// ------------------------------------------------------------------ OpenAI Chat Completions

const chatUsage = {
  prompt_tokens: USAGE.input,
  completion_tokens: USAGE.output,
  total_tokens: USAGE.input + USAGE.output,
  prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
  completion_tokens_details: {
    reasoning_tokens: 0,
    audio_tokens: 0,
    accepted_prediction_tokens: 0,
    rejected_prediction_tokens: 0,
  },
};

const chatBase = {
  id: "chatcmpl-Selftest01",
  created: CREATED,
  model: MODEL.chat,
  service_tier: "default",
  system_fingerprint: "fp_selftest01",
};

function chatToolCall(reply: Extract<Reply, { call: unknown }>) {
  const { id, name, input } = reply.call;
  return { id, type: "function", function: { name, arguments: JSON.stringify(input) } };
}

function chatWhole(reply: Reply): string {
  const message =
    "text" in reply
      ? { role: "assistant", content: reply.text, refusal: null, annotations: [] }
      : {
          role: "assistant",
          content: null,
          tool_calls: [chatToolCall(reply)],
          refusal: null,
          annotations: [],
        };
  return JSON.stringify({
    ...chatBase,
    object: "chat.completion",
    choices: [
      {
        index: 0,
        message,
        logprobs: null,
        finish_reason: "text" in reply ? "stop" : "tool_calls",
      },
    ],
    usage: chatUsage,
  });
}

function chatStream(reply: Reply): string[] {
  const chunk = (delta: object, finish: string | null) =>
    sse(undefined, {
      ...chatBase,
      object: "chat.completion.chunk",
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      usage: null,
    });
  const events = [chunk({ role: "assistant", content: "", refusal: null }, null)];
  if ("text" in reply) {
    events.push(...pieces(reply.text).map((content) => chunk({ content }, null)));
    events.push(chunk({}, "stop"));
  } else {
    events.push(chunk({ tool_calls: [{ index: 0, ...chatToolCall(reply) }] }, null));
    events.push(chunk({}, "tool_calls"));
  }
  events.push(
    sse(undefined, { ...chatBase, object: "chat.completion.chunk", choices: [], usage: chatUsage }),
    "data: [DONE]\n\n",
  );
  return events;
}

// ------------------------------------------------------------------ OpenAI Responses

function responsesItem(reply: Reply): Record<string, unknown> {
  if ("call" in reply) {
    const { id, name, input } = reply.call;
    return {
      type: "function_call",
      id: "fc_Selftest01",
      call_id: id,
      name,
      arguments: JSON.stringify(input),
      status: "completed",
    };
  }
  return {
    type: "message",
    id: "msg_Selftest01",
    status: "completed",
    role: "assistant",
    content: [{ type: "output_text", text: reply.text, annotations: [], logprobs: [] }],
  };
}

function responseObject(reply: Reply, done: boolean) {
  return {
    id: "resp_Selftest01",
    object: "response",
    created_at: CREATED,
    status: done ? "completed" : "in_progress",
    error: null,
    incomplete_details: null,
    model: MODEL.responses,
    output: done ? [responsesItem(reply)] : [],
    parallel_tool_calls: true,
    previous_response_id: null,
    store: true,
    tool_choice: "auto",
    tools: [],
    usage: done
      ? {
          input_tokens: USAGE.input,
          input_tokens_details: { cached_tokens: 0 },
          output_tokens: USAGE.output,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: USAGE.input + USAGE.output,
        }
      : null,
    metadata: {},
  };
}

function responsesStream(reply: Reply): string[] {
  let sequence = 0;
  const event = (type: string, data: object) =>
    sse(type, { type, sequence_number: sequence++, ...data });
  const item = responsesItem(reply);
  const at = { item_id: item.id, output_index: 0 };
  const events = [
    event("response.created", { response: responseObject(reply, false) }),
    event("response.in_progress", { response: responseObject(reply, false) }),
  ];
  if ("call" in reply) {
    events.push(
      event("response.output_item.added", {
        output_index: 0,
        item: { ...item, arguments: "", status: "in_progress" },
      }),
      event("response.function_call_arguments.delta", { ...at, delta: item.arguments }),
      event("response.function_call_arguments.done", { ...at, arguments: item.arguments }),
    );
  } else {
    const part = { type: "output_text", annotations: [], logprobs: [] };
    events.push(
      event("response.output_item.added", {
        output_index: 0,
        item: { ...item, status: "in_progress", content: [] },
      }),
      event("response.content_part.added", {
        ...at,
        content_index: 0,
        part: { ...part, text: "" },
      }),
      ...pieces(reply.text).map((delta) =>
        event("response.output_text.delta", { ...at, content_index: 0, delta, logprobs: [] }),
      ),
      event("response.output_text.done", {
        ...at,
        content_index: 0,
        text: reply.text,
        logprobs: [],
      }),
      event("response.content_part.done", {
        ...at,
        content_index: 0,
        part: { ...part, text: reply.text },
      }),
    );
  }
  events.push(
    event("response.output_item.done", { output_index: 0, item }),
    event("response.completed", { response: responseObject(reply, true) }),
  );
  return events;
}

// ------------------------------------------------------------------ Gemini

function geminiChunk(parts: object[], last: boolean, output: number) {
  return {
    candidates: [
      { content: { parts, role: "model" }, ...(last ? { finishReason: "STOP" } : {}), index: 0 },
    ],
    usageMetadata: {
      promptTokenCount: USAGE.input,
      candidatesTokenCount: output,
      totalTokenCount: USAGE.input + output,
      promptTokensDetails: [{ modality: "TEXT", tokenCount: USAGE.input }],
    },
    modelVersion: MODEL.gemini,
    responseId: "selftestResp01",
  };
}

function geminiCall(reply: Extract<Reply, { call: unknown }>): object {
  const { id, name, input } = reply.call;
  return { functionCall: { id, name, args: input }, thoughtSignature: "CiQBselftest==" };
}

/** The streamed chunks' parts: text in two halves, a function call whole. */
function geminiChunkParts(reply: Reply): object[][] {
  if ("call" in reply) return [[geminiCall(reply)]];
  const half = Math.ceil(reply.text.length / 2);
  return [[{ text: reply.text.slice(0, half) }], [{ text: reply.text.slice(half) }]];
}

function geminiStream(reply: Reply): string[] {
  const chunks = geminiChunkParts(reply);
  return chunks.map((parts, k) => {
    const last = k === chunks.length - 1;
    return `data: ${JSON.stringify(geminiChunk(parts, last, last ? USAGE.output : 1))}\r\n\r\n`;
  });
}

function geminiWhole(reply: Reply): string {
  const part = "call" in reply ? geminiCall(reply) : { text: reply.text };
  return JSON.stringify(geminiChunk([part], true, USAGE.output));
}

/** The provider's whole answer to a request of `api`. */
export function wholeAnswer(api: Api, reply: Reply): string {
  if (api === "messages") return messagesWhole(reply);
  if (api === "chat") return chatWhole(reply);
  if (api === "responses") return JSON.stringify(responseObject(reply, true));
  return geminiWhole(reply);
}

/** The provider's streamed answer to a request of `api`, one string per event. */
export function streamedAnswer(api: Api, reply: Reply): string[] {
  if (api === "messages") return messagesStream(reply);
  if (api === "chat") return chatStream(reply);
  if (api === "responses") return responsesStream(reply);
  return geminiStream(reply);
}

/** How a request of {@link requestBody} is sent. */
export interface RequestShape {
  readonly stream: boolean;
  /** Declare the client's tool, as agents do (and the proxy then may add headroom_retrieve). */
  readonly tools: boolean;
}

/**
 * A client's request of `api`: a user's question, a tool call and the tool's output. Written
 * by hand with uneven spacing, as no serialiser would write it, so a re-serialised body cannot
 * pass for the client's bytes.
 */
export function requestBody(
  api: Api,
  question: string,
  output: string,
  shape: RequestShape,
): string {
  const q = JSON.stringify(question);
  const out = JSON.stringify(output);
  const streamed = shape.stream ? `, "stream": true` : "";
  const tools = (declared: string) => (shape.tools ? `, "tools": [${declared}]` : "");
  if (api === "messages")
    return `{"model": "${MODEL.messages}", "max_tokens": 1024${streamed}, "messages": [
  {"role": "user", "content": ${q}},
  {"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_01Hosts", "name": "Bash", "input": {"command": "cat hosts.json"}}]},
  {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_01Hosts", "content": ${out}}]}
]${tools(`{"name": "Bash", "description": "Runs a shell command", "input_schema": {"type": "object", "properties": {"command": {"type": "string"}}}}`)}}`;
  if (api === "chat")
    return `{"model": "${MODEL.chat}"${streamed}, "messages": [
  {"role": "user", "content": ${q}},
  {"role": "assistant", "content": null, "tool_calls": [{"id": "call_hosts", "type": "function", "function": {"name": "sh", "arguments": "{\\"cmd\\": \\"cat hosts.json\\"}"}}]},
  {"role": "tool", "tool_call_id": "call_hosts", "content": ${out}}
]${tools(`{"type": "function", "function": {"name": "sh", "description": "Runs a shell command", "parameters": {"type": "object", "properties": {"cmd": {"type": "string"}}, "required": ["cmd"]}}}`)}}`;
  if (api === "responses")
    return `{"model": "${MODEL.responses}"${streamed}, "input": [
  {"type": "message", "role": "user", "content": ${q}},
  {"type": "function_call", "call_id": "call_hosts", "name": "sh", "arguments": "{\\"cmd\\": \\"cat hosts.json\\"}"},
  {"type": "function_call_output", "call_id": "call_hosts", "output": ${out}}
]${tools(`{"type": "function", "name": "sh", "description": "Runs a shell command", "parameters": {"type": "object", "properties": {"cmd": {"type": "string"}}, "required": ["cmd"]}}`)}}`;
  return `{"contents": [
  {"role": "user", "parts": [{"text": ${q}}]},
  {"role": "model", "parts": [{"functionCall": {"id": "sh-1", "name": "sh", "args": {"cmd": "cat hosts.json"}}, "thoughtSignature": "CiQBselftest=="}]},
  {"role": "user", "parts": [{"functionResponse": {"id": "sh-1", "name": "sh", "response": {"output": ${out}}}}]}
]${tools(`{"functionDeclarations": [{"name": "sh", "description": "Runs a shell command", "parametersJsonSchema": {"type": "object", "properties": {"cmd": {"type": "string"}}}}]}`)}}`;
}
