import { describe, expect, test } from "bun:test";
import { nothingToRewrite } from "../../src/pipeline/nothing-to-rewrite.ts";

const plain = JSON.stringify({
  model: "claude-sonnet-4-5",
  max_tokens: 1024,
  messages: [{ role: "user", content: "Why does the build fail?" }],
});

// Bodies some rewrite may edit: each must take the full path.
const editable: Record<string, unknown> = {
  "a Messages tool output": {
    messages: [
      { role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content: "x" }] },
    ],
  },
  "a Chat tool message": { messages: [{ role: "tool", tool_call_id: "c1", content: "x" }] },
  "a Responses output item": {
    input: [{ type: "function_call_output", call_id: "c1", output: "x" }],
  },
  "a Responses call (hidden-call anchor)": { input: [{ type: "function_call", call_id: "c1" }] },
  "declared tools (retrieve offer)": { tools: [{ name: "bash" }], messages: [] },
  "a marker": {
    messages: [{ role: "user", content: "see headroom_retrieve hash=0123456789abcdef01234567" }],
  },
};

describe("nothingToRewrite", () => {
  test("a body without tools, outputs or markers skips the rewrite", () => {
    expect(nothingToRewrite(plain, false)).toBe(true);
  });

  test("output shaping always takes the full path", () => {
    expect(nothingToRewrite(plain, true)).toBe(false);
  });

  for (const [name, body] of Object.entries(editable)) {
    test(`${name} takes the full path`, () => {
      expect(nothingToRewrite(JSON.stringify(body), false)).toBe(false);
    });
  }

  test("a \\u escape that could spell a tool output takes the full path", () => {
    const escaped = plain.replace("Why", "\\u0074ool_result");
    expect(JSON.parse(escaped).messages[0].content).toContain("tool_result");
    expect(nothingToRewrite(escaped, false)).toBe(false);
  });
});
