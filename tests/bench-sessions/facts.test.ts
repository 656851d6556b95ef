/**
 * The session benchmark's fact judge, on a real corpus output: a fact shown is visible, one
 * elided behind a marker whose original the proxy returns is retrievable, and one simply gone is
 * lost; Read line numbers and colour do not hide a fact.
 */

import { expect, test } from "bun:test";
import { factStates, toolResults } from "../../scripts/bench-sessions/facts.ts";
import { claudeReadResult } from "../../scripts/corpus/agent-shapes.ts";
import { loadSamples } from "../../scripts/corpus/corpus.ts";

const sample = loadSamples().find((s) => s.name === "002-bun-test-one-fail")!;
const fact = sample.facts[0]!;
const marker =
  "[headroom: 40 lines omitted; the full original is available via headroom_retrieve hash=0123456789abcdef01234567]";
const without = sample.text.replaceAll(fact, "");

test("a fact shown is visible, also through Read's line numbers", async () => {
  expect(await factStates(sample, [{ text: sample.text, numbered: false }])).toContain("visible");
  const read = claudeReadResult(sample.text);
  expect((await factStates(sample, [{ text: read, numbered: true }]))[0]).toBe("visible");
});

test("a fact behind a marker is retrievable only if the proxy returns an original holding it", async () => {
  const results = [{ text: `${without}\n${marker}`, numbered: false }];
  const retrieve = async (hash: string) =>
    hash === "0123456789abcdef01234567" ? sample.text : undefined;
  expect((await factStates(sample, results, retrieve))[0]).toBe("retrievable");
  expect((await factStates(sample, results, async () => undefined))[0]).toBe("lost");
  expect((await factStates(sample, [{ text: without, numbered: false }], retrieve))[0]).toBe(
    "lost",
  );
});

test("tool results are found by call id in both providers' shapes", () => {
  const anthropic = {
    messages: [
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "toolu_1", content: [{ type: "text", text: "a" }] },
        ],
      },
    ],
  };
  const responses = {
    input: [{ type: "function_call_output", call_id: "call_1", output: "b" }],
  };
  expect(toolResults(anthropic).get("toolu_1")).toBe("a");
  expect(toolResults(responses).get("call_1")).toBe("b");
});
