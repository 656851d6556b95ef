/**
 * Library clients through the compiled proxy against a fake upstream:
 *
 * - the Vercel AI SDK (`ai` with `@ai-sdk/openai` on the Responses and Chat Completions APIs and
 *   `@ai-sdk/anthropic`), `generateText` and `streamText` with a tool, multi-step, so the tool's
 *   large result goes back through headroom, is compressed there, and the final answer comes back;
 * - headroom-ai, the original Headroom's TypeScript SDK: `compress()` in OpenAI and Anthropic
 *   formats, its Vercel AI SDK middleware, and its `HeadroomClient` against /v1/compress, /stats,
 *   /health, /metrics, /stats-history and the /v1/retrieve endpoints.
 */

import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import { generateText, jsonSchema, type LanguageModel, stepCountIs, streamText, tool } from "ai";
import { compress, HeadroomClient, HeadroomCompressError } from "headroom-ai";
import { withHeadroom } from "headroom-ai/vercel-ai";
import {
  bodyText,
  FAILED_LINE,
  FOUND,
  MARKER,
  makeSandbox,
  NOT_FOUND,
  proxyEnv,
  workerLog,
} from "../helpers/agent-env.ts";
import { type RunningBinary, startBinary } from "../helpers/binary.ts";
import { FakeUpstream, type RecordedRequest } from "../helpers/fake-upstream.ts";
import { json } from "../helpers/http.ts";
import {
  anthropicMessage,
  anthropicStream,
  chatCompletion,
  chatStream,
  type Reply,
  responsesBody,
  responsesStream,
} from "../helpers/wire.ts";

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary provider JSON
type Json = any;
type Api = "messages" | "chat" | "responses";

const LOG = workerLog();
const PROMPT = "Which batch failed in worker.log?";
const PATHS: Record<Api, string> = {
  messages: "/v1/messages",
  chat: "/v1/chat/completions",
  responses: "/v1/responses",
};

const upstream = new FakeUpstream();
let proxy: RunningBinary;
beforeAll(async () => {
  proxy = await startBinary([], proxyEnv(upstream.url, makeSandbox("sdks").workspace));
});
afterAll(async () => {
  await proxy?.stop();
  upstream.stop();
});
beforeEach(() => {
  upstream.reset();
  fakeModel();
});

function apiOf(path: string): Api | undefined {
  return (Object.keys(PATHS) as Api[]).find((api) => PATHS[api] === path);
}

/** The tool outputs in a request body, in the provider's shape. */
function toolOutputs(api: Api, body: Json): string[] {
  if (api === "messages")
    return body.messages.flatMap((m: Json) =>
      Array.isArray(m.content)
        ? m.content
            .filter((b: Json) => b.type === "tool_result")
            .map((b: Json) =>
              typeof b.content === "string"
                ? b.content
                : b.content.map((p: Json) => p.text ?? "").join(""),
            )
        : [],
    );
  if (api === "chat")
    return body.messages
      .filter((m: Json) => m.role === "tool")
      .map((m: Json) =>
        typeof m.content === "string" ? m.content : m.content.map((p: Json) => p.text).join(""),
      );
  return body.input
    .filter((item: Json) => item.type === "function_call_output")
    .map((item: Json) => (typeof item.output === "string" ? item.output : ""));
}

/** The names of the tools a request offers, whatever the provider's shape. */
function toolNames(body: Json): string[] {
  return (body.tools ?? []).map((t: Json) => t.name ?? t.function?.name);
}

/**
 * The fake model on every API: asks for `read_log` until a tool output is in its context, then
 * answers, naming the failed batch only if that line survived compression.
 */
function fakeModel(): void {
  upstream.always((request) => {
    const api = apiOf(request.path);
    if (request.method !== "POST" || !api)
      return Response.json({ error: { type: "not_found", message: "not found" } }, { status: 404 });
    const body = request.json;
    const reply: Reply =
      toolOutputs(api, body).length > 0
        ? { kind: "text", text: bodyText(request).includes(FAILED_LINE) ? FOUND : NOT_FOUND }
        : {
            kind: "tool",
            name: "read_log",
            id: api === "messages" ? "toolu_01ReadLog" : "call_01ReadLog",
            input: { path: "worker.log" },
          };
    const model = body.model;
    const stream = body.stream === true;
    const headers = { "content-type": "application/json" };
    if (api === "messages")
      return stream
        ? upstream.stream(anthropicStream(reply, model))
        : new Response(anthropicMessage(reply, model), { headers });
    if (api === "chat")
      return stream
        ? upstream.stream(
            chatStream(reply, model, undefined, body.stream_options?.include_usage === true),
          )
        : new Response(chatCompletion(reply, model), { headers });
    return stream
      ? upstream.stream(responsesStream(reply, model))
      : new Response(responsesBody(reply, model), { headers });
  });
}

function generations(api: Api): RecordedRequest[] {
  return upstream.requests.filter((r) => r.method === "POST" && r.path === PATHS[api]);
}

// ---------------------------------------------------------------- Vercel AI SDK

const openai = () => createOpenAI({ baseURL: `${proxy.url}/v1`, apiKey: "sk-headroom-test" });
const anthropic = () =>
  createAnthropic({ baseURL: `${proxy.url}/v1`, apiKey: "sk-ant-headroom-test" });

const MODELS: { name: string; api: Api; model: () => LanguageModel }[] = [
  { name: "@ai-sdk/openai (Responses API)", api: "responses", model: () => openai()("gpt-5.5") },
  { name: "@ai-sdk/openai (Chat Completions)", api: "chat", model: () => openai().chat("gpt-4o") },
  {
    name: "@ai-sdk/anthropic (Messages)",
    api: "messages",
    model: () => anthropic()("claude-sonnet-4-5"),
  },
];

function readLogTool(calls: { path: string }[]) {
  return tool({
    description: "Reads a log file from the service's log directory",
    inputSchema: jsonSchema<{ path: string }>({
      type: "object",
      properties: { path: { type: "string" } },
      required: ["path"],
      additionalProperties: false,
    }),
    execute: async (input) => {
      calls.push(input);
      return LOG;
    },
  });
}

/** What the second request (the one carrying the tool's result) looked like upstream. */
function expectCompressedToolResult(api: Api, streamed: boolean): void {
  const [first, second] = generations(api) as [RecordedRequest, RecordedRequest];
  expect(generations(api)).toHaveLength(2);
  for (const request of [first, second]) {
    expect(request.json.stream === true).toBe(streamed);
    expect(request.headers.get("user-agent")).toContain("ai-sdk-provider-utils/");
  }
  expect(toolOutputs(api, first.json)).toEqual([]);
  const [sent] = toolOutputs(api, second.json) as [string];
  expect(sent.length).toBeLessThan(LOG.length / 4);
  expect(sent).toContain(FAILED_LINE);
  expect(sent).toMatch(MARKER);
  // headroom_retrieve is appended after the client's own tool, in the provider's shape, from
  // the conversation's first request on, so the tool list the provider cached never changes.
  expect(toolNames(first.json)).toEqual(["read_log", "headroom_retrieve"]);
  expect(toolNames(second.json)).toEqual(["read_log", "headroom_retrieve"]);
  expect(JSON.stringify(second.json.tools)).toBe(JSON.stringify(first.json.tools));
  const retrieve = second.json.tools[1];
  if (api === "messages") expect(retrieve.input_schema.required).toEqual(["hash"]);
  if (api === "chat") expect(retrieve.function.parameters.required).toEqual(["hash"]);
  if (api === "responses") expect(retrieve).toMatchObject({ type: "function" });
}

describe("Vercel AI SDK through headroom", () => {
  for (const { name, api, model } of MODELS) {
    test(`${name}: generateText, multi-step with a tool`, async () => {
      const calls: { path: string }[] = [];
      const result = await generateText({
        model: model(),
        tools: { read_log: readLogTool(calls) },
        stopWhen: stepCountIs(3),
        prompt: PROMPT,
        maxRetries: 0,
      });
      expect(result.text).toBe(FOUND);
      expect(calls).toEqual([{ path: "worker.log" }]);
      expect(result.steps).toHaveLength(2);
      expect(result.steps[0]!.finishReason).toBe("tool-calls");
      // Usage of both upstream calls reaches the SDK through the proxy.
      expect(result.totalUsage.inputTokens).toBe(50);
      expect(result.totalUsage.outputTokens).toBe(24);
      expectCompressedToolResult(api, false);
    });

    test(`${name}: streamText, multi-step with a tool`, async () => {
      const calls: { path: string }[] = [];
      const result = streamText({
        model: model(),
        tools: { read_log: readLogTool(calls) },
        stopWhen: stepCountIs(3),
        prompt: PROMPT,
        maxRetries: 0,
      });
      const deltas: string[] = [];
      for await (const delta of result.textStream) deltas.push(delta);
      expect(deltas.join("")).toBe(FOUND);
      // The fake streams the answer in pieces; the SDK saw them as separate deltas.
      expect(deltas.length).toBeGreaterThan(1);
      expect(calls).toEqual([{ path: "worker.log" }]);
      expect(await result.steps).toHaveLength(2);
      expect((await result.totalUsage).inputTokens).toBe(50);
      expectCompressedToolResult(api, true);
    });
  }

  test("the proxy's /stats counts every request, the tool-result ones as compressed", async () => {
    const stats = await json(fetch(`${proxy.url}/stats`));
    expect(stats.requests.total).toBe(MODELS.length * 2 * 2);
    expect(stats.requests.streamed).toBe(MODELS.length * 2);
    expect(stats.requests.compressed).toBe(MODELS.length * 2);
    expect(stats.tokens.saved).toBeGreaterThan(MODELS.length * 2 * 3_000);
  });

  // AI SDK 7 sends "ai/7.x ai-sdk-provider-utils/5.x bun/1.x" on generateText calls and
  // "ai-sdk-openai/..." or "ai-sdk-anthropic/..." on streamText calls.
  test("/stats attributes every AI SDK request to vercel-ai-sdk", async () => {
    const stats = await json(fetch(`${proxy.url}/stats`));
    expect(stats.requests.total).toBe(MODELS.length * 2 * 2);
    expect(stats.requests.by_agent["vercel-ai-sdk"]).toBe(stats.requests.total);
  });
});

// ---------------------------------------------------------------- headroom-ai

const chatConversation = [
  { role: "system" as const, content: "You are an on-call assistant." },
  { role: "user" as const, content: PROMPT },
  {
    role: "assistant" as const,
    content: null,
    tool_calls: [
      {
        id: "call_01ReadLog",
        type: "function" as const,
        function: { name: "read_log", arguments: '{"path":"worker.log"}' },
      },
    ],
  },
  { role: "tool" as const, tool_call_id: "call_01ReadLog", content: LOG },
];

const anthropicConversation = [
  { role: "user", content: PROMPT },
  {
    role: "assistant",
    content: [
      { type: "text", text: "Let me read it." },
      { type: "tool_use", id: "toolu_01ReadLog", name: "read_log", input: { path: "worker.log" } },
    ],
  },
  {
    role: "user",
    content: [{ type: "tool_result", tool_use_id: "toolu_01ReadLog", content: LOG }],
  },
];

describe("headroom-ai (the original Headroom's TypeScript SDK) against headroom", () => {
  const client = () => new HeadroomClient({ baseUrl: proxy.url, fallback: false, retries: 0 });

  test("compress() with OpenAI messages: the tool output is compressed and retrievable", async () => {
    const result = await compress(chatConversation, {
      baseUrl: proxy.url,
      model: "gpt-4o",
      fallback: false,
    });
    expect(result.compressed).toBe(true);
    expect(result.tokensBefore).toBeGreaterThan(result.tokensAfter);
    expect(result.tokensSaved).toBe(result.tokensBefore - result.tokensAfter);
    expect(result.compressionRatio).toBeCloseTo(result.tokensAfter / result.tokensBefore, 3);
    expect(result.transformsApplied.join()).toContain("log");
    expect(result.messages.slice(0, 3)).toEqual(chatConversation.slice(0, 3));
    const tool = result.messages[3];
    expect(tool).toMatchObject({ role: "tool", tool_call_id: "call_01ReadLog" });
    expect(tool.content.length).toBeLessThan(LOG.length / 4);
    expect(tool.content).toContain(FAILED_LINE);
    const hash = MARKER.exec(tool.content)?.[1] ?? "no marker";
    expect(result.ccrHashes).toEqual([hash]);

    const original = await client().retrieve(hash);
    expect(original).toMatchObject({ hash, originalContent: LOG, toolName: "read_log" });
    expect((original as { originalTokens: number }).originalTokens).toBeGreaterThan(1_000);
  });

  test("compress() with Anthropic messages answers in Anthropic format", async () => {
    const result = await compress(anthropicConversation, {
      baseUrl: proxy.url,
      model: "claude-sonnet-4-5",
      fallback: false,
    });
    expect(result.compressed).toBe(true);
    expect(result.tokensSaved).toBeGreaterThan(1_000);
    const toolResult = result.messages
      .flatMap((m: Json) => (Array.isArray(m.content) ? m.content : []))
      .find((b: Json) => b.type === "tool_result");
    expect(toolResult.tool_use_id).toBe("toolu_01ReadLog");
    expect(toolResult.content).toContain(FAILED_LINE);
    expect(toolResult.content).toMatch(MARKER);
    expect(result.messages[0]).toEqual({ role: "user", content: PROMPT });
  });

  test("its Vercel AI SDK middleware compresses through /v1/compress before the request goes out", async () => {
    const calls: { path: string }[] = [];
    const model = withHeadroom(openai().chat("gpt-4o"), {
      baseUrl: proxy.url,
      fallback: false,
    });
    const result = await generateText({
      model,
      tools: { read_log: readLogTool(calls) },
      stopWhen: stepCountIs(3),
      prompt: PROMPT,
      maxRetries: 0,
    });
    expect(result.text).toBe(FOUND);
    expect(calls).toHaveLength(1);
    // The SDK compressed the tool result itself; the proxy saw the marker, left the text alone
    // and offered headroom_retrieve.
    const second = generations("chat")[1]!;
    const [sent] = toolOutputs("chat", second.json) as [string];
    expect(sent).toMatch(MARKER);
    expect(sent).toContain(FAILED_LINE);
    expect(toolNames(second.json)).toEqual(["read_log", "headroom_retrieve"]);
  });

  test("HeadroomClient.chat.completions.create and messages.create (streamed) go through the proxy, compressed", async () => {
    const headroom = new HeadroomClient({
      baseUrl: proxy.url,
      providerApiKey: "sk-provider-key",
      fallback: false,
    });
    const completion = await headroom.chat.completions.create({
      model: "gpt-4o",
      messages: chatConversation,
    });
    expect(completion.choices[0].message.content).toBe(FOUND);

    const events: Json[] = [];
    const stream = await headroom.messages.create({
      model: "claude-sonnet-4-5",
      messages: anthropicConversation,
      stream: true,
    });
    for await (const event of stream as AsyncIterable<Json>) events.push(event);
    const text = events
      .filter((e) => e.type === "content_block_delta")
      .map((e) => e.delta.text)
      .join("");
    expect(text).toBe(FOUND);
    expect(events.at(-1)).toEqual({ type: "message_stop" });

    const [chat] = generations("chat") as [RecordedRequest];
    expect(chat.headers.get("authorization")).toBe("Bearer sk-provider-key");
    const [messages] = generations("messages") as [RecordedRequest];
    expect(messages.headers.get("x-api-key")).toBe("sk-provider-key");
    expect(messages.json.max_tokens).toBe(1024);
    for (const [api, request] of [
      ["chat", chat],
      ["messages", messages],
    ] as const) {
      const [sent] = toolOutputs(api, request.json) as [string];
      expect(sent).toMatch(MARKER);
      expect(sent.length).toBeLessThan(LOG.length / 4);
      expect(toolNames(request.json)).toEqual(["headroom_retrieve"]);
    }
  });

  test("HeadroomClient: health, stats, summary, metrics and history read headroom's endpoints", async () => {
    const headroom = client();
    // One compressed request through the proxy, so the figures below are not all zero.
    await headroom.messages.create({
      model: "claude-sonnet-4-5",
      messages: anthropicConversation,
    });
    expect(await headroom.health()).toMatchObject({ status: "healthy", version: "0.1.0" });
    expect((await headroom.validateSetup()).valid).toBe(true);

    const raw = await json(fetch(`${proxy.url}/stats`));
    const stats = await headroom.getStats();
    expect(stats.totalRequests).toBe(raw.requests.total);
    expect(stats.totalRequests).toBeGreaterThan(0);
    expect(stats.totalTokensSaved).toBe(raw.tokens.saved);
    expect(stats.totalTokensSaved).toBeGreaterThan(0);
    expect(stats.totalTokensBefore).toBe(raw.tokens.total_before_compression);
    expect(stats.averageCompressionRatio).toBeCloseTo(raw.tokens.savings_percent / 100, 6);
    const summary = await headroom.getSummary();
    expect(summary.models).toEqual(raw.requests.by_model);
    expect(summary.errorCount).toBe(0);
    const full = await headroom.proxyStats();
    expect(full.requests.total).toBe(raw.requests.total);
    expect(full.tokens.saved).toBe(raw.tokens.saved);

    // The original's own series, as a dashboard built on prometheusMetrics() reads them.
    const prometheus = await headroom.prometheusMetrics();
    expect(prometheus).toContain(`\nheadroom_requests_total ${raw.requests.total}\n`);
    expect(prometheus).toMatch(/^headroom_tokens_input_total \d+$/m);
    expect(prometheus).toMatch(/^headroom_latency_ms_sum \d/m);
    const history = await headroom.statsHistory({ series: "daily" });
    expect(history.lifetime.requests).toBeGreaterThan(0);
    expect(await headroom.clearCache()).toMatchObject({ status: expect.any(String) });
  });

  test("HeadroomClient: retrieve, CCR stats and handleToolCall answer from the store", async () => {
    const headroom = client();
    const { ccrHashes } = await headroom.compress(chatConversation, { model: "gpt-4o" });
    const [hash] = ccrHashes as [string];
    expect(hash).toMatch(/^[0-9a-f]{24}$/);
    expect(await headroom.retrieve(hash)).toMatchObject({ hash, originalContent: LOG });

    const viaOpenAI = await headroom.handleToolCall({
      toolCall: {
        id: "call_r1",
        type: "function",
        function: { name: "headroom_retrieve", arguments: JSON.stringify({ hash }) },
      },
      provider: "openai",
    });
    expect(viaOpenAI).toMatchObject({
      success: true,
      toolResult: { role: "tool", toolCallId: "call_r1", content: LOG },
    });
    const viaAnthropic = await headroom.handleToolCall({
      toolCall: { type: "tool_use", id: "toolu_r2", name: "headroom_retrieve", input: { hash } },
      provider: "anthropic",
    });
    expect(viaAnthropic).toMatchObject({
      success: true,
      toolResult: { type: "tool_result", toolUseId: "toolu_r2", content: LOG },
    });

    const ccr: Json = await headroom.getCCRStats();
    expect(ccr.entries).toBeGreaterThan(0);
    expect(ccr.recentRetrievals.map((r: Json) => r.hash)).toContain(hash);

    // A hash nobody stored is a 404 the SDK turns into its own error type.
    const missing = await headroom.retrieve("0".repeat(24)).catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(HeadroomCompressError);
    expect((missing as HeadroomCompressError).statusCode).toBe(404);
  });

  // The first count loads the tokenizer in the proxy: more than the default 5 s is allowed.
  test("HeadroomClient: memoryUsage(), retrieve's item counts, compress with a tokenBudget", async () => {
    const headroom = client();
    const memory = await headroom.memoryUsage();
    expect(memory.processMemory.rss).toBeGreaterThan(1);
    expect(memory.components.ccrOriginals?.budgetMb).toBeGreaterThan(0);
    expect(memory.targetBudgetMb).toBeGreaterThanOrEqual(memory.totalTrackedMb);

    const { ccrHashes } = await headroom.compress(chatConversation, { model: "gpt-4o" });
    const found = (await headroom.retrieve(ccrHashes[0]!)) as Json;
    expect(found.originalItemCount).toBeGreaterThan(found.compressedItemCount);
    expect(found.compressedItemCount).toBeGreaterThan(0);

    const roomy = await headroom.compress(chatConversation, {
      model: "gpt-4o",
      tokenBudget: 1_000_000,
    });
    // The same conversation compressed above: a budget it fits leaves it as it is.
    expect(roomy.tokensSaved).toBe(0);
    expect(roomy.messages).toEqual(chatConversation);
  }, 30_000);

  test("HeadroomClient.getCCRStats() has the store section the SDK declares", async () => {
    const ccr: Json = await client().getCCRStats();
    expect(ccr.store.entries).toBe(ccr.entries);
    expect(ccr.store.retrievals).toBe(ccr.hits);
  });

  // The SDK's telemetry / feedback / toin helpers call endpoints headroom does not have; they
  // are answered locally, never forwarded to the provider with the SDK's key.
  test("the SDK's telemetry calls are answered locally, never forwarded upstream", async () => {
    const headroom = new HeadroomClient({ baseUrl: proxy.url, apiKey: "hr-local-key" });
    const before = upstream.requests.length;
    for (const call of [() => headroom.telemetry.getStats(), () => headroom.toin.getStats()]) {
      const error: Json = await call().catch((e: unknown) => e);
      expect(error.statusCode).toBe(404);
    }
    const res = await fetch(`${proxy.url}/v1/feedback/Bash`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as Json).error.message).toContain("keeps no telemetry");
    expect(upstream.requests.length).toBe(before);
  });
});
