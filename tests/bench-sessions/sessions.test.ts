/**
 * The session benchmark grows sessions the way the clients do: given the output the captured
 * tool call returned, its first two requests are the captured ones, byte for byte (but for the
 * tool call's id and input, and `stream`, which the benchmark turns off).
 */

import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { planSessions, withIdleGaps } from "../../scripts/bench-sessions/sessions.ts";
import type { Sample } from "../../scripts/corpus/corpus.ts";

const FIXTURES = join(import.meta.dir, "..", "..", "scripts", "bench-sessions", "fixtures");
// biome-ignore lint/suspicious/noExplicitAny: provider request JSON
const fixture = (name: string): any => JSON.parse(readFileSync(join(FIXTURES, name), "utf8"));

/** The captured `ls -la` output as a one-sample corpus. */
function lsSample(text: string): Sample {
  return {
    name: "ls",
    command: "ls -la",
    exit: 0,
    kind: "listing",
    split: "report",
    facts: [],
    note: "the listing the capture ran",
    text,
  };
}

test("a Claude Code session repeats the captured requests", () => {
  const first = fixture("claude-code-first-request.json");
  const second = fixture("claude-code-second-request.json");
  const output = second.messages.at(-1).content[0].content;
  const [plan] = planSessions("claude-code", [lsSample(`${output}\n`)], 1, 1);
  const [opening, next] = plan!.steps.map((step) => JSON.parse(step.body));
  expect(JSON.stringify(opening)).toBe(JSON.stringify({ ...first, stream: false }));
  const call = next.messages.at(-2).content[0];
  expect(call.name).toBe("Bash");
  const expected = structuredClone(second);
  expected.stream = false;
  expected.messages.at(-2).content[0] = call;
  expected.messages.at(-1).content[0].tool_use_id = call.id;
  expect(JSON.stringify(next)).toBe(JSON.stringify(expected));
});

test("a Codex session repeats the captured requests", () => {
  const first = fixture("codex-first-request.json");
  const second = fixture("codex-second-request.json");
  const result = second.input.at(-1);
  const output = result.output.slice(result.output.indexOf("Output:\n") + "Output:\n".length);
  const [plan] = planSessions("codex", [lsSample(output)], 1, 1);
  const [opening, next] = plan!.steps.map((step) => JSON.parse(step.body));
  expect(JSON.stringify(opening)).toBe(JSON.stringify({ ...first, stream: false }));
  const call = next.input.at(-2);
  const sent = next.input.at(-1);
  const expected = structuredClone(second);
  expected.stream = false;
  expected.input[expected.input.length - 2] = call;
  Object.assign(expected.input.at(-1), { id: sent.id, call_id: call.call_id });
  // Codex's chunk id is random; the original token count is its 4-bytes-a-token estimate.
  expected.input.at(-1).output = result.output.replace(/^Chunk ID: \w+/, sent.output.slice(0, 16));
  expect(JSON.stringify(next)).toBe(JSON.stringify(expected));
});

test("idle gaps are spread evenly over a session, never before its first requests", () => {
  const samples = Array.from({ length: 40 }, (_, i) => ({
    ...lsSample(`file ${i}\n`),
    name: `s${i}`,
  }));
  const [plan] = planSessions("codex", samples, 1, 40);
  const gapped = withIdleGaps(plan!, 3);
  const at = gapped.steps.flatMap((step, i) => (step.idleBefore ? [i] : []));
  expect(gapped.steps).toHaveLength(41);
  expect(at).toEqual([10, 20, 30]);
  expect(gapped.steps.map((step) => step.body)).toEqual(plan!.steps.map((step) => step.body));
});
