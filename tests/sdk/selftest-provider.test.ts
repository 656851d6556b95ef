/**
 * The fake provider `headroom selftest` embeds (src/cli/selftest/) is only a proof if it speaks
 * the providers' formats as the real clients read them: the official Anthropic, OpenAI (chat
 * and Responses) and Google genai SDKs talk to it directly here, whole and streamed, and read
 * its text answers and its headroom_retrieve calls.
 */

import { afterAll, describe, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import { GoogleGenAI } from "@google/genai";
import OpenAI from "openai";
import { FakeProvider, foundText } from "../../src/cli/selftest/fake-provider.ts";

const NEEDLE = "needle-sdk-check";
const provider = new FakeProvider(NEEDLE);
afterAll(() => provider.stop());

const anthropic = new Anthropic({ apiKey: "sk-ant-test", baseURL: provider.url, maxRetries: 0 });
const openai = new OpenAI({ apiKey: "sk-test", baseURL: `${provider.url}/v1`, maxRetries: 0 });
const genai = new GoogleGenAI({ apiKey: "test-key", httpOptions: { baseUrl: provider.url } });

const HASH = "0123456789abcdef01234567";
// A marker and the retrieve tool's name in the context: the fake model calls the tool.
const MARKED = `[headroom: 3 rows omitted; the full original is available via headroom_retrieve hash=${HASH}]`;
const QUIET = "Nothing unusual in that output.";

describe("the selftest's fake provider, read by the official SDKs", () => {
  test("Anthropic Messages: text whole and streamed, and a tool call", async () => {
    const ask = (content: string) => ({
      model: "claude-sonnet-4-6",
      max_tokens: 100,
      messages: [{ role: "user" as const, content }],
    });
    const whole = await anthropic.messages.create(ask("Anything odd?"));
    expect(whole.content).toMatchObject([{ type: "text", text: QUIET }]);
    expect(whole.usage.output_tokens).toBe(12);
    const streamed = await anthropic.messages.stream(ask(`Found ${NEEDLE}?`)).finalMessage();
    expect(streamed.content).toMatchObject([{ type: "text", text: foundText(NEEDLE) }]);
    expect(streamed.stop_reason).toBe("end_turn");
    const called = await anthropic.messages.stream(ask(MARKED)).finalMessage();
    expect(called.content).toMatchObject([
      { type: "tool_use", name: "headroom_retrieve", input: { hash: HASH } },
    ]);
    expect(called.stop_reason).toBe("tool_use");
  });

  test("OpenAI chat: text whole and streamed with usage, and a tool call", async () => {
    const ask = (content: string) => ({
      model: "gpt-4o",
      messages: [{ role: "user" as const, content }],
    });
    const whole = await openai.chat.completions.create(ask("Anything odd?"));
    expect(whole.choices[0]?.message.content).toBe(QUIET);
    let text = "";
    let usage: OpenAI.CompletionUsage | null | undefined;
    const stream = await openai.chat.completions.create({ ...ask("Anything odd?"), stream: true });
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe(QUIET);
    expect(usage?.total_tokens).toBe(37);
    const called = await openai.chat.completions
      .stream({ ...ask(MARKED), stream: true })
      .finalChatCompletion();
    const call = called.choices[0]?.message.tool_calls?.[0];
    expect(call?.type === "function" && call.function.name).toBe("headroom_retrieve");
    expect(call?.type === "function" && JSON.parse(call.function.arguments)).toEqual({
      hash: HASH,
    });
  });

  test("OpenAI Responses: text whole and streamed, and a function call", async () => {
    const whole = await openai.responses.create({ model: "gpt-4o", input: "Anything odd?" });
    expect(whole.output_text).toBe(QUIET);
    const streamed = await openai.responses
      .stream({ model: "gpt-4o", input: `Found ${NEEDLE}?` })
      .finalResponse();
    expect(streamed.output_text).toBe(foundText(NEEDLE));
    const called = await openai.responses
      .stream({ model: "gpt-4o", input: MARKED })
      .finalResponse();
    expect(called.output).toMatchObject([
      {
        type: "function_call",
        name: "headroom_retrieve",
        arguments: JSON.stringify({ hash: HASH }),
      },
    ]);
  });

  test("Gemini: text whole and streamed, and a function call", async () => {
    const model = "gemini-2.5-flash";
    const whole = await genai.models.generateContent({ model, contents: "Anything odd?" });
    expect(whole.text).toBe(QUIET);
    let text = "";
    for await (const chunk of await genai.models.generateContentStream({
      model,
      contents: `Found ${NEEDLE}?`,
    }))
      text += chunk.text ?? "";
    expect(text).toBe(foundText(NEEDLE));
    const called = await genai.models.generateContent({ model, contents: MARKED });
    expect(called.functionCalls).toMatchObject([
      { name: "headroom_retrieve", args: { hash: HASH } },
    ]);
  });
});
