/**
 * A fake OpenAI Chat Completions model for agent CLIs that speak it (Copilot CLI's BYOK provider,
 * Qwen Code): asked with the agent's shell tool available, it first calls that tool to `cat` a
 * large worker log; once the tool's output is back in its context, it answers, and it can only
 * name the failed batch if that line survived compression.
 */

import { expect } from "bun:test";
import { bodyText, FAILED_LINE, FOUND, jsonResponse, MARKER, NOT_FOUND } from "./agent-env.ts";
import type { FakeUpstream, RecordedRequest } from "./fake-upstream.ts";
import { json } from "./http.ts";
import { chatCompletion, chatStream, type Reply } from "./wire.ts";

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary provider JSON
type Json = any;

export const CHAT_AGENT_PROMPT = "Which batch failed in worker.log? Read the file with the shell.";
export const CHAT_TOOL_CALL_ID = "call_HeadroomCatWorkerLog";

/** The agent loop's requests: chat completions offering the agent's shell tool. */
export function chatAgentTurns(upstream: FakeUpstream, tool: string): RecordedRequest[] {
  return upstream.requests.filter(
    (r) =>
      r.method === "POST" &&
      r.path === "/v1/chat/completions" &&
      Array.isArray(r.json?.tools) &&
      r.json.tools.some((t: Json) => t.function?.name === tool),
  );
}

/** The tool message answering our call, as the request carries it. */
export function toolMessage(request: RecordedRequest): Json {
  return request.json.messages.find(
    (m: Json) => m.role === "tool" && m.tool_call_id === CHAT_TOOL_CALL_ID,
  );
}

export function toolMessageText(message: Json): string {
  if (typeof message.content === "string") return message.content;
  return message.content.map((part: Json) => part.text ?? "").join("");
}

/**
 * Expects the agent loop's two turns, the first without our tool message, and every request sent
 * upstream to be a chat completion with `key` as its bearer and wrap's project label read and
 * stripped.
 */
export function expectChatTurnsWithKey(upstream: FakeUpstream, tool: string, key: string): void {
  const turns = chatAgentTurns(upstream, tool);
  expect(turns).toHaveLength(2);
  expect(toolMessage(turns[0]!)).toBeUndefined();
  for (const request of upstream.requests) {
    expect(request.path).toBe("/v1/chat/completions");
    expect(request.headers.get("authorization")).toBe(`Bearer ${key}`);
    expect(request.headers.get("x-headroom-project")).toBeNull();
  }
}

/**
 * Expects the second turn's tool message to carry `log` compressed: the failed line kept, under a
 * quarter of the size, a marker, headroom_retrieve last among the tools, and the marker's hash
 * retrieving an original that holds the failed line from the proxy at `proxyUrl`.
 */
export async function expectChatLogCompressed(
  upstream: FakeUpstream,
  tool: string,
  log: string,
  proxyUrl: string,
): Promise<void> {
  const [, second] = chatAgentTurns(upstream, tool);
  const sent = toolMessageText(toolMessage(second!));
  expect(sent).toContain(FAILED_LINE);
  expect(sent.length).toBeLessThan(log.length / 4);
  const hash = MARKER.exec(sent)?.[1];
  expect(hash).toBeDefined();
  expect(second!.json.tools.at(-1).function.name).toBe("headroom_retrieve");
  const original = await json(fetch(`${proxyUrl}/v1/retrieve/${hash}`));
  expect(original.original_content).toContain(FAILED_LINE);
}

/** Answers as the model: the shell call with `input`, then the answer; side calls get text. */
export function fakeChatAgent(
  upstream: FakeUpstream,
  tool: { name: string; input: Record<string, unknown> },
): void {
  upstream.always((request) => {
    if (request.method !== "POST" || request.path !== "/v1/chat/completions")
      return jsonResponse(
        { error: { message: "not found", type: "invalid_request_error", code: null } },
        404,
      );
    const body = request.json;
    let reply: Reply;
    if (!chatAgentTurns(upstream, tool.name).includes(request))
      reply = { kind: "text", text: "Worker log check" };
    else if (toolMessage(request))
      reply = { kind: "text", text: bodyText(request).includes(FAILED_LINE) ? FOUND : NOT_FOUND };
    else reply = { kind: "tool", name: tool.name, id: CHAT_TOOL_CALL_ID, input: tool.input };
    const usage = body.stream_options?.include_usage === true;
    return body.stream
      ? upstream.stream(chatStream(reply, body.model, undefined, usage))
      : new Response(chatCompletion(reply, body.model), {
          headers: { "content-type": "application/json" },
        });
  });
}
