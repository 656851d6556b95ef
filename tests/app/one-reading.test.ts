/**
 * The rewrite stage reads the client's text once and applies every stage's splices in one pass
 * (src/pipeline/rewrite-request.ts). Two stages may insert at the same place, the end of the
 * body: output shaping's system prompt and the headroom_retrieve tool. The tool must come last,
 * and every other byte must stay as the client sent it.
 */

import { describe, expect, test } from "bun:test";
import { RETRIEVE_TOOL_JSON } from "../../src/ccr/retrieve-tool.ts";
import { TERSE_INSTRUCTIONS } from "../../src/shape/output-shaper.ts";
import { buildApp } from "../helpers/proxy.ts";
import { anthropicMessage } from "../helpers/wire.ts";

/** A tool output lossy compression shortens behind a marker. */
const users = JSON.stringify(
  Array.from({ length: 80 }, (_, i) => ({
    id: i + 1,
    name: `user${i}`,
    email: `user${i}@example.com`,
    status: i % 9 ? "active" : "disabled",
  })),
  null,
  2,
);

describe("one reading of the request text", () => {
  test("edits at the same place keep their order: the system prompt, then the tool", async () => {
    const sent: string[] = [];
    const app = buildApp({
      env: { HEADROOM_OUTPUT_SHAPER: "1", HEADROOM_COMPRESSION_BUDGET_MS: "60000" },
      fetch: async (_url, init) => {
        sent.push(new TextDecoder().decode(init.body as Uint8Array));
        return new Response(anthropicMessage({ kind: "text", text: "ok" }, "m"));
      },
    });
    // No system prompt and no tools of its own: both are added at the end of the body.
    const client = JSON.stringify({
      model: "claude-sonnet-4-5",
      max_tokens: 100,
      messages: [
        { role: "user", content: "Which users are disabled?" },
        {
          role: "assistant",
          content: [{ type: "tool_use", id: "toolu_1", name: "Bash", input: { command: "x" } }],
        },
        {
          role: "user",
          content: [{ type: "tool_result", tool_use_id: "toolu_1", content: users }],
        },
      ],
    });
    const res = await app.request("/v1/messages", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: client,
    });
    expect(res.status).toBe(200);
    const upstream = sent[0]!;
    expect(upstream).toMatch(/headroom_retrieve hash=[0-9a-f]{24}/);
    const tail = `,"system":${JSON.stringify(TERSE_INSTRUCTIONS[2])},"tools":[${RETRIEVE_TOOL_JSON.messages}]}`;
    expect(upstream.endsWith(tail)).toBe(true);
    // Before the compressed output, the client's bytes exactly.
    const outputAt = client.indexOf(JSON.stringify(users));
    expect(upstream.slice(0, outputAt)).toBe(client.slice(0, outputAt));
  });
});
