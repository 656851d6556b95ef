/**
 * The providers' real wire formats, built for the fake upstream: Anthropic Messages (JSON and
 * SSE), OpenAI Chat Completions (JSON and chunks with the usage chunk and [DONE]) and the
 * OpenAI Responses API (JSON and events).
 */

/** What the fake model answers. */
export type Reply =
  | { kind: "text"; text: string }
  | { kind: "tool"; name: string; input: Record<string, unknown>; id?: string; text?: string }
  | { kind: "thinking"; thinking: string; signature: string; text: string };

/** Token usage the fake upstream reports. */
export interface FakeUsage {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

export const DEFAULT_USAGE: FakeUsage = { input: 25, output: 12, cacheRead: 0, cacheWrite: 0 };

function sse(event: string | undefined, data: unknown): string {
  const payload = typeof data === "string" ? data : JSON.stringify(data);
  return event ? `event: ${event}\ndata: ${payload}\n\n` : `data: ${payload}\n\n`;
}

/** Splits text into a few deltas, as a model would stream it. */
function pieces(text: string, size = 8): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out.length ? out : [""];
}

function toolId(reply: Extract<Reply, { kind: "tool" }>, prefix: string): string {
  return reply.id ?? `${prefix}01FakeToolCall${reply.name}`;
}

// ---------------------------------------------------------------- Anthropic Messages

function anthropicContent(reply: Reply): Record<string, unknown>[] {
  if (reply.kind === "text") return [{ type: "text", text: reply.text }];
  if (reply.kind === "thinking") {
    return [
      { type: "thinking", thinking: reply.thinking, signature: reply.signature },
      { type: "text", text: reply.text },
    ];
  }
  const blocks: Record<string, unknown>[] = [];
  if (reply.text) blocks.push({ type: "text", text: reply.text });
  blocks.push({
    type: "tool_use",
    id: toolId(reply, "toolu_"),
    name: reply.name,
    input: reply.input,
  });
  return blocks;
}

function anthropicUsage(usage: FakeUsage) {
  return {
    input_tokens: usage.input,
    cache_creation_input_tokens: usage.cacheWrite,
    cache_read_input_tokens: usage.cacheRead,
    output_tokens: usage.output,
  };
}

/** A complete Messages API response body. */
export function anthropicMessage(reply: Reply, model: string, usage = DEFAULT_USAGE): string {
  return JSON.stringify({
    id: "msg_01FakeUpstreamMessage",
    type: "message",
    role: "assistant",
    model,
    content: anthropicContent(reply),
    stop_reason: reply.kind === "tool" ? "tool_use" : "end_turn",
    stop_sequence: null,
    usage: anthropicUsage(usage),
  });
}

/** The SSE events of a streamed Messages API response, one string per event. */
export function anthropicStream(reply: Reply, model: string, usage = DEFAULT_USAGE): string[] {
  const events: string[] = [];
  events.push(
    sse("message_start", {
      type: "message_start",
      message: {
        id: "msg_01FakeUpstreamMessage",
        type: "message",
        role: "assistant",
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...anthropicUsage(usage), output_tokens: 1 },
      },
    }),
  );
  events.push(sse("ping", { type: "ping" }));
  anthropicContent(reply).forEach((block, index) => {
    if (block.type === "text") {
      events.push(
        sse("content_block_start", {
          type: "content_block_start",
          index,
          content_block: { type: "text", text: "" },
        }),
      );
      for (const text of pieces(block.text as string)) {
        events.push(
          sse("content_block_delta", {
            type: "content_block_delta",
            index,
            delta: { type: "text_delta", text },
          }),
        );
      }
    } else if (block.type === "thinking") {
      events.push(
        sse("content_block_start", {
          type: "content_block_start",
          index,
          content_block: { type: "thinking", thinking: "", signature: "" },
        }),
      );
      for (const thinking of pieces(block.thinking as string)) {
        events.push(
          sse("content_block_delta", {
            type: "content_block_delta",
            index,
            delta: { type: "thinking_delta", thinking },
          }),
        );
      }
      events.push(
        sse("content_block_delta", {
          type: "content_block_delta",
          index,
          delta: { type: "signature_delta", signature: block.signature },
        }),
      );
    } else {
      events.push(
        sse("content_block_start", {
          type: "content_block_start",
          index,
          content_block: { type: "tool_use", id: block.id, name: block.name, input: {} },
        }),
      );
      for (const partial_json of pieces(JSON.stringify(block.input), 12)) {
        events.push(
          sse("content_block_delta", {
            type: "content_block_delta",
            index,
            delta: { type: "input_json_delta", partial_json },
          }),
        );
      }
    }
    events.push(sse("content_block_stop", { type: "content_block_stop", index }));
  });
  events.push(
    sse("message_delta", {
      type: "message_delta",
      delta: { stop_reason: reply.kind === "tool" ? "tool_use" : "end_turn", stop_sequence: null },
      usage: { output_tokens: usage.output },
    }),
  );
  events.push(sse("message_stop", { type: "message_stop" }));
  return events;
}

// ---------------------------------------------------------------- OpenAI Chat Completions

const CREATED = 1764115200;

function chatUsage(usage: FakeUsage) {
  return {
    prompt_tokens: usage.input,
    completion_tokens: usage.output,
    total_tokens: usage.input + usage.output,
    prompt_tokens_details: { cached_tokens: usage.cacheRead, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

function chatMessage(reply: Reply): Record<string, unknown> {
  if (reply.kind === "tool") {
    return {
      role: "assistant",
      content: reply.text ?? null,
      tool_calls: [
        {
          id: toolId(reply, "call_"),
          type: "function",
          function: { name: reply.name, arguments: JSON.stringify(reply.input) },
        },
      ],
      refusal: null,
      annotations: [],
    };
  }
  return { role: "assistant", content: reply.text, refusal: null, annotations: [] };
}

/** A complete Chat Completions response body. */
export function chatCompletion(reply: Reply, model: string, usage = DEFAULT_USAGE): string {
  return JSON.stringify({
    id: "chatcmpl-FakeUpstream01",
    object: "chat.completion",
    created: CREATED,
    model,
    choices: [
      {
        index: 0,
        message: chatMessage(reply),
        logprobs: null,
        finish_reason: reply.kind === "tool" ? "tool_calls" : "stop",
      },
    ],
    usage: chatUsage(usage),
    service_tier: "default",
    system_fingerprint: "fp_fake0001",
  });
}

/** The chunks of a streamed Chat Completions response, the usage chunk included when asked. */
export function chatStream(
  reply: Reply,
  model: string,
  usage = DEFAULT_USAGE,
  includeUsage = true,
): string[] {
  const base = {
    id: "chatcmpl-FakeUpstream01",
    object: "chat.completion.chunk",
    created: CREATED,
    model,
    service_tier: "default",
    system_fingerprint: "fp_fake0001",
  };
  const chunk = (delta: Record<string, unknown>, finish: string | null) =>
    sse(undefined, {
      ...base,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...(includeUsage ? { usage: null } : {}),
    });
  const events = [chunk({ role: "assistant", content: "", refusal: null }, null)];
  if (reply.kind === "tool") {
    const id = toolId(reply, "call_");
    events.push(
      chunk(
        {
          tool_calls: [
            { index: 0, id, type: "function", function: { name: reply.name, arguments: "" } },
          ],
        },
        null,
      ),
    );
    for (const args of pieces(JSON.stringify(reply.input), 12)) {
      events.push(chunk({ tool_calls: [{ index: 0, function: { arguments: args } }] }, null));
    }
    events.push(chunk({}, "tool_calls"));
  } else {
    for (const content of pieces(reply.text)) events.push(chunk({ content }, null));
    events.push(chunk({}, "stop"));
  }
  if (includeUsage) events.push(sse(undefined, { ...base, choices: [], usage: chatUsage(usage) }));
  events.push("data: [DONE]\n\n");
  return events;
}

// ---------------------------------------------------------------- OpenAI Responses

function responsesOutput(reply: Reply): Record<string, unknown>[] {
  if (reply.kind === "tool") {
    return [
      {
        type: "function_call",
        id: "fc_FakeUpstream01",
        call_id: toolId(reply, "call_"),
        name: reply.name,
        arguments: JSON.stringify(reply.input),
        status: "completed",
      },
    ];
  }
  return [
    {
      type: "message",
      id: "msg_FakeUpstream01",
      status: "completed",
      role: "assistant",
      content: [{ type: "output_text", text: reply.text, annotations: [], logprobs: [] }],
    },
  ];
}

function responsesUsage(usage: FakeUsage) {
  return {
    input_tokens: usage.input,
    input_tokens_details: { cached_tokens: usage.cacheRead },
    output_tokens: usage.output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: usage.input + usage.output,
  };
}

function responseObject(reply: Reply, model: string, status: string, usage: FakeUsage | null) {
  return {
    id: "resp_FakeUpstream01",
    object: "response",
    created_at: CREATED,
    status,
    error: null,
    incomplete_details: null,
    instructions: null,
    max_output_tokens: null,
    model,
    output: status === "completed" ? responsesOutput(reply) : [],
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    store: true,
    temperature: 1,
    text: { format: { type: "text" } },
    tool_choice: "auto",
    tools: [],
    top_p: 1,
    truncation: "disabled",
    usage: usage ? responsesUsage(usage) : null,
    metadata: {},
  };
}

/** A complete Responses API response body. */
export function responsesBody(reply: Reply, model: string, usage = DEFAULT_USAGE): string {
  return JSON.stringify(responseObject(reply, model, "completed", usage));
}

/** The events of a streamed Responses API response. */
export function responsesStream(reply: Reply, model: string, usage = DEFAULT_USAGE): string[] {
  let seq = 0;
  const ev = (type: string, data: Record<string, unknown>) =>
    sse(type, { type, sequence_number: seq++, ...data });
  const events = [
    ev("response.created", { response: responseObject(reply, model, "in_progress", null) }),
    ev("response.in_progress", { response: responseObject(reply, model, "in_progress", null) }),
  ];
  const [item] = responsesOutput(reply) as [Record<string, unknown>];
  if (reply.kind === "tool") {
    events.push(
      ev("response.output_item.added", {
        output_index: 0,
        item: { ...item, arguments: "", status: "in_progress" },
      }),
    );
    for (const delta of pieces(item.arguments as string, 12)) {
      events.push(
        ev("response.function_call_arguments.delta", { item_id: item.id, output_index: 0, delta }),
      );
    }
    events.push(
      ev("response.function_call_arguments.done", {
        item_id: item.id,
        output_index: 0,
        arguments: item.arguments,
      }),
    );
  } else {
    events.push(
      ev("response.output_item.added", {
        output_index: 0,
        item: { ...item, status: "in_progress", content: [] },
      }),
    );
    events.push(
      ev("response.content_part.added", {
        item_id: item.id,
        output_index: 0,
        content_index: 0,
        part: { type: "output_text", text: "", annotations: [], logprobs: [] },
      }),
    );
    for (const delta of pieces(reply.text)) {
      events.push(
        ev("response.output_text.delta", {
          item_id: item.id,
          output_index: 0,
          content_index: 0,
          delta,
          logprobs: [],
        }),
      );
    }
    events.push(
      ev("response.output_text.done", {
        item_id: item.id,
        output_index: 0,
        content_index: 0,
        text: reply.text,
        logprobs: [],
      }),
    );
    events.push(
      ev("response.content_part.done", {
        item_id: item.id,
        output_index: 0,
        content_index: 0,
        part: { type: "output_text", text: reply.text, annotations: [], logprobs: [] },
      }),
    );
  }
  events.push(ev("response.output_item.done", { output_index: 0, item }));
  events.push(
    ev("response.completed", { response: responseObject(reply, model, "completed", usage) }),
  );
  return events;
}

const SHORT_TEXT = { kind: "text", text: "abcdefghijklmnopqrstuvwxyz" } as const;

/**
 * The three generation APIs with a minimal request asking `text` (model "m") and a short text
 * answer in each wire format, streamed and whole: for tests that run one scenario on every API.
 */
export const GENERATION_APIS = [
  {
    path: "/v1/messages",
    provider: "anthropic",
    body: (text: string) => ({ model: "m", messages: [{ role: "user", content: text }] }),
    events: anthropicStream(SHORT_TEXT, "m"),
    whole: anthropicMessage(SHORT_TEXT, "m"),
  },
  {
    path: "/v1/chat/completions",
    provider: "openai",
    body: (text: string) => ({ model: "m", messages: [{ role: "user", content: text }] }),
    events: chatStream(SHORT_TEXT, "m"),
    whole: chatCompletion(SHORT_TEXT, "m"),
  },
  {
    path: "/v1/responses",
    provider: "openai",
    body: (text: string) => ({ model: "m", input: text }),
    events: responsesStream(SHORT_TEXT, "m"),
    whole: responsesBody(SHORT_TEXT, "m"),
  },
] as const;

/** GET /v1/models as Anthropic answers it, with one model. */
export const ANTHROPIC_MODELS = {
  data: [
    {
      type: "model",
      id: "claude-sonnet-4-5",
      display_name: "Claude Sonnet 4.5",
      created_at: "2025-09-29T00:00:00Z",
    },
  ],
  has_more: false,
  first_id: "claude-sonnet-4-5",
  last_id: "claude-sonnet-4-5",
};
