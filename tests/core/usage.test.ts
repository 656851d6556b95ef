import { describe, expect, test } from "bun:test";
import { foldStreamUsage, type Usage, usageFromBody } from "../../src/core/usage.ts";
import { anthropicMessage, chatCompletion, responsesBody } from "../helpers/wire.ts";

const usage = { input: 10, output: 7, cacheRead: 1000, cacheWrite: 50 };

describe("usage", () => {
  test("usageFromBody() reads each API's JSON body, totalling Anthropic's cached parts into the input", () => {
    const reply = { kind: "text" as const, text: "hi" };
    expect(usageFromBody("messages", JSON.parse(anthropicMessage(reply, "c", usage)))).toEqual({
      inputTokens: 1060,
      outputTokens: 7,
      cacheReadTokens: 1000,
      cacheWriteTokens: 50,
    });
    expect(usageFromBody("chat", JSON.parse(chatCompletion(reply, "g", usage)))).toEqual({
      inputTokens: 10,
      outputTokens: 7,
      cacheReadTokens: 1000,
    });
    expect(usageFromBody("responses", JSON.parse(responsesBody(reply, "g", usage)))).toEqual({
      inputTokens: 10,
      outputTokens: 7,
      cacheReadTokens: 1000,
    });
    expect(usageFromBody("chat", { id: "no usage" })).toEqual({});
  });

  test("foldStreamUsage() keeps the last output count from message_delta and ignores events without usage", () => {
    const into: Usage = {};
    foldStreamUsage(
      "messages",
      {
        event: "message_start",
        data: JSON.stringify({
          type: "message_start",
          message: { usage: { input_tokens: 5, cache_read_input_tokens: 100, output_tokens: 1 } },
        }),
      },
      into,
    );
    foldStreamUsage("messages", { event: "ping", data: '{"type":"ping"}' }, into);
    foldStreamUsage(
      "messages",
      { event: "message_delta", data: '{"type":"message_delta","usage":{"output_tokens":33}}' },
      into,
    );
    foldStreamUsage("messages", { event: "x", data: '{"usage": broken' }, into);
    expect(into).toEqual({ inputTokens: 105, cacheReadTokens: 100, outputTokens: 33 });
  });
});
