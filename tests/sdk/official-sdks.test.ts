import { describe, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { proxiedUpstream } from "../helpers/proxied-upstream.ts";
import { waitFor } from "../helpers/proxy.ts";

const { upstream, proxy } = proxiedUpstream();

const anthropic = new Anthropic({ apiKey: "sk-ant-test", baseURL: proxy.url, maxRetries: 0 });
const openai = new OpenAI({ apiKey: "sk-test", baseURL: `${proxy.url}/v1`, maxRetries: 0 });

const weatherTool = {
  name: "get_weather",
  description: "Current weather for a city",
  input_schema: {
    type: "object" as const,
    properties: { city: { type: "string" } },
    required: ["city"],
  },
};

describe("@anthropic-ai/sdk through the proxy", () => {
  test("messages.create: text, non-streaming", async () => {
    upstream.replies.push({ kind: "text", text: "Paris is the capital of France." });
    const message = await anthropic.messages.create({
      model: "claude-sonnet-4-6",
      max_tokens: 100,
      messages: [{ role: "user", content: "Capital of France?" }],
    });
    expect(message.content).toMatchObject([
      { type: "text", text: "Paris is the capital of France." },
    ]);
    expect(message.usage.input_tokens).toBe(25);
    // SDK 1.x sends the key as a bearer token; whatever it sends must arrive untouched.
    const seen = upstream.requests[0]!.headers;
    expect(seen.get("x-api-key") ?? seen.get("authorization")).toMatch(/sk-ant-test$/);
    expect(upstream.requests[0]!.headers.get("anthropic-version")).toBeTruthy();
  });

  test("messages.stream: text, thinking and a tool-use round trip", async () => {
    upstream.replies.push({
      kind: "thinking",
      thinking: "The user wants weather.",
      signature: "sig-abc123",
      text: "Let me check.",
    });
    const first = await anthropic.messages
      .stream({
        model: "claude-sonnet-4-6",
        max_tokens: 100,
        messages: [{ role: "user", content: "Hi" }],
      })
      .finalMessage();
    expect(first.content[0]).toEqual({
      type: "thinking",
      thinking: "The user wants weather.",
      signature: "sig-abc123",
    });
    expect(first.content[1]).toMatchObject({ type: "text", text: "Let me check." });

    upstream.replies.push({ kind: "tool", name: "get_weather", input: { city: "Oslo" } });
    const stream = anthropic.messages.stream({
      model: "claude-sonnet-4-6",
      max_tokens: 100,
      tools: [weatherTool],
      messages: [{ role: "user", content: "Weather in Oslo?" }],
    });
    const toolMessage = await stream.finalMessage();
    const toolUse = toolMessage.content.find((block) => block.type === "tool_use");
    expect(toolUse).toMatchObject({
      type: "tool_use",
      name: "get_weather",
      input: { city: "Oslo" },
    });
    expect(toolMessage.stop_reason).toBe("tool_use");

    upstream.replies.push({ kind: "text", text: "It is 4°C in Oslo." });
    const answer = await anthropic.messages.create({
      model: "claude-sonnet-4-6",
      max_tokens: 100,
      tools: [weatherTool],
      messages: [
        { role: "user", content: "Weather in Oslo?" },
        { role: "assistant", content: toolMessage.content },
        {
          role: "user",
          content: [
            {
              type: "tool_result",
              tool_use_id: (toolUse as { id: string }).id,
              content: "4°C, cloudy",
            },
          ],
        },
      ],
    });
    expect(answer.content).toMatchObject([{ type: "text", text: "It is 4°C in Oslo." }]);
    expect(upstream.requests[2]!.json.messages[2].content[0].content).toBe("4°C, cloudy");
    await waitFor(() => proxy.exchanges.length === 3);
    expect(proxy.exchanges[0]!.usage.outputTokens).toBe(12);
  });

  test("an upstream error becomes the SDK's typed error with the upstream's status", async () => {
    upstream.once(
      () =>
        new Response(
          '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}',
          {
            status: 529,
            headers: { "content-type": "application/json", "retry-after": "3600" },
          },
        ),
    );
    const error = await anthropic.messages
      .create({
        model: "claude-sonnet-4-6",
        max_tokens: 10,
        messages: [{ role: "user", content: "x" }],
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as InstanceType<typeof Anthropic.APIError>).status).toBe(529);
  });

  test("the proxy's own 400 is parsed by the SDK as a BadRequestError", async () => {
    const error = await anthropic.messages
      .create({ model: "claude-sonnet-4-6", max_tokens: 10, messages: [] }, { body: "[]" as never })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
  });
});

describe("openai SDK through the proxy", () => {
  test("chat.completions.create: text non-streaming and streaming with usage", async () => {
    upstream.replies.push({ kind: "text", text: "Hello there." });
    const completion = await openai.chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "Hi" }],
    });
    expect(completion.choices[0]!.message.content).toBe("Hello there.");

    upstream.replies.push({ kind: "text", text: "Streaming hello, word by word." });
    const stream = await openai.chat.completions.create({
      model: "gpt-4o",
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: "user", content: "Hi" }],
    });
    let text = "";
    let usage: OpenAI.CompletionUsage | undefined | null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe("Streaming hello, word by word.");
    expect(usage?.prompt_tokens).toBe(25);
  });

  test("chat tool calls, streamed, and the tool result round trip", async () => {
    upstream.replies.push({ kind: "tool", name: "get_weather", input: { city: "Lima" } });
    const runner = openai.chat.completions.stream({
      model: "gpt-4o",
      messages: [{ role: "user", content: "Weather in Lima?" }],
      tools: [
        {
          type: "function",
          function: { name: "get_weather", parameters: weatherTool.input_schema },
        },
      ],
    });
    const completion = await runner.finalChatCompletion();
    const call = completion.choices[0]!.message.tool_calls![0]!;
    expect(call.type === "function" && call.function.name).toBe("get_weather");
    expect(call.type === "function" && JSON.parse(call.function.arguments)).toEqual({
      city: "Lima",
    });

    upstream.replies.push({ kind: "text", text: "Sunny, 22°C." });
    const answer = await openai.chat.completions.create({
      model: "gpt-4o",
      messages: [
        { role: "user", content: "Weather in Lima?" },
        completion.choices[0]!.message,
        { role: "tool", tool_call_id: call.id, content: "22°C, sunny" },
      ],
    });
    expect(answer.choices[0]!.message.content).toBe("Sunny, 22°C.");
  });

  test("responses.create and responses.stream: text and a function call", async () => {
    upstream.replies.push({ kind: "text", text: "A response." });
    const response = await openai.responses.create({ model: "gpt-5", input: "Say something" });
    expect(response.output_text).toBe("A response.");

    upstream.replies.push({ kind: "tool", name: "get_weather", input: { city: "Rome" } });
    const stream = openai.responses.stream({
      model: "gpt-5",
      input: "Weather in Rome?",
      tools: [
        {
          type: "function",
          name: "get_weather",
          parameters: weatherTool.input_schema,
          strict: false,
        },
      ],
    });
    const deltas: string[] = [];
    stream.on("response.function_call_arguments.delta", (event) => deltas.push(event.delta));
    const final = await stream.finalResponse();
    const call = final.output.find((item) => item.type === "function_call");
    expect(call).toMatchObject({ type: "function_call", name: "get_weather" });
    expect(JSON.parse(deltas.join(""))).toEqual({ city: "Rome" });
    await waitFor(() => proxy.exchanges.length === 2);
    expect(proxy.exchanges[1]!.usage).toMatchObject({ inputTokens: 25, outputTokens: 12 });
  });

  test("models.list is routed to OpenAI for OpenAI credentials", async () => {
    const models = await openai.models.list();
    expect(models.data.map((m) => m.id)).toEqual(["gpt-4o"]);
    expect(upstream.requests[0]!.headers.get("authorization")).toBe("Bearer sk-test");
  });
});
