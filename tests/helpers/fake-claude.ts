/**
 * The fake Anthropic model the Claude Code suites talk to, and how they read its recorded
 * requests: Claude Code's main agent loop asks for a Bash `cat` of a large worker log, sends the
 * tool_result back, and gets an answer the model can only give if the failed batch's line
 * survived compression.
 */

import { expect } from "bun:test";
import { bodyText, FAILED_LINE, FOUND, jsonResponse, MARKER, NOT_FOUND } from "./agent-env.ts";
import type { FakeUpstream, RecordedRequest } from "./fake-upstream.ts";
import { ANTHROPIC_MODELS, anthropicMessage, anthropicStream, type Reply } from "./wire.ts";

export const CLAUDE_TOOL_ID = "toolu_01HeadroomCatWorkerLog";
export const CLAUDE_PROMPT = "Which batch failed in worker.log? Read the file with Bash.";

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary provider JSON
type Json = any;

/** The main agent loop's requests (Claude Code's side calls carry no Bash tool). */
export function agentTurns(
  upstream: { requests: RecordedRequest[] },
  tool = "Bash",
): RecordedRequest[] {
  return upstream.requests.filter(
    (r) =>
      r.method === "POST" &&
      r.path === "/v1/messages" &&
      Array.isArray(r.json?.tools) &&
      r.json.tools.some((t: Json) => t.name === tool),
  );
}

/** The tool_result block answering our Bash call, as the request carries it. */
export function toolResult(request: RecordedRequest): Json {
  for (const message of request.json.messages)
    if (Array.isArray(message.content))
      for (const block of message.content)
        if (block.type === "tool_result" && block.tool_use_id === CLAUDE_TOOL_ID) return block;
  return undefined;
}

export function resultText(block: Json): string {
  if (typeof block.content === "string") return block.content;
  return block.content.map((part: Json) => part.text ?? "").join("");
}

/**
 * Expects the agent's first turn to carry no tool_result and its second to carry `log`
 * compressed: a marker, the failed line kept, under a quarter of the size.
 */
export function expectToolResultCompressed(
  upstream: { requests: RecordedRequest[] },
  log: string,
  tool = "Bash",
): void {
  const [first, second] = agentTurns(upstream, tool);
  expect(toolResult(first!)).toBeUndefined();
  const sent = resultText(toolResult(second!));
  expect(sent).toMatch(MARKER);
  expect(sent).toContain(FAILED_LINE);
  expect(sent.length).toBeLessThan(log.length / 4);
}

/**
 * The fake model, streaming as Claude Code asks: first a Bash tool_use that cats the log; once the
 * tool_result is in its context, the answer. Side calls (titles, summaries, token counts, model
 * lists) get plausible answers. Another agent's shell tool can stand in for `Bash`.
 */
export function fakeClaudeModel(upstream: FakeUpstream, tool = "Bash"): void {
  upstream.always((request) => {
    if (request.method === "POST" && request.path === "/v1/messages/count_tokens")
      return jsonResponse({ input_tokens: 2048 });
    if (request.method === "GET" && request.path.startsWith("/v1/models"))
      return jsonResponse(ANTHROPIC_MODELS);
    if (request.method !== "POST" || request.path !== "/v1/messages")
      return jsonResponse(
        { type: "error", error: { type: "not_found_error", message: "not found" } },
        404,
      );
    const body = request.json;
    let reply: Reply;
    if (!agentTurns(upstream, tool).includes(request))
      reply = { kind: "text", text: "Worker log check" };
    else if (toolResult(request))
      reply = { kind: "text", text: bodyText(request).includes(FAILED_LINE) ? FOUND : NOT_FOUND };
    else
      reply = {
        kind: "tool",
        name: tool,
        id: CLAUDE_TOOL_ID,
        input: { command: "cat worker.log", description: "Show the worker log" },
        text: "Let me read the log.",
      };
    const headers = { "request-id": "req_fake_claude_code" };
    return body.stream
      ? upstream.stream(anthropicStream(reply, body.model), { headers })
      : new Response(anthropicMessage(reply, body.model), {
          headers: { "content-type": "application/json", ...headers },
        });
  });
}
