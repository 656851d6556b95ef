import { expect, test } from "bun:test";
import { agentOf } from "../../src/stats/agent.ts";
import { PriceTable } from "../../src/stats/prices.ts";

// Both lookups keep earlier answers; an answer must never outlive the question it was for.

test("the agent follows the client from request to request", () => {
  const sequence: [string | null, string | null, string][] = [
    [null, "claude-cli/2.0.1 (external, cli)", "claude-code"],
    [null, "claude-cli/2.0.1 (external, cli)", "claude-code"],
    [null, "codex_cli_rs/0.46.0", "codex"],
    ["Aider", "codex_cli_rs/0.46.0", "aider"],
    [null, "codex_cli_rs/0.46.0", "codex"],
    [null, null, "unknown"],
    [null, "Bun/1.4.4", "unknown"],
    [null, "curl/8.5.0", "curl"],
    [null, "claude-cli/2.0.1 (external, cli)", "claude-code"],
  ];
  for (const [xClient, userAgent, agent] of sequence) {
    expect(agentOf(xClient, userAgent)).toBe(agent);
  }
});

test("a model's price stays its own, past the bound of remembered names", () => {
  const prices = new PriceTable({
    "custom-model": { input: 1, cachedInput: 1, cacheWrite: 1, output: 2 },
  });
  const sonnet = prices.priceOf("claude-sonnet-4-5");
  expect(sonnet).toBeDefined();
  expect(prices.priceOf("Anthropic/Claude-Sonnet-4-5")).toEqual(sonnet!);
  expect(prices.priceOf("nonsense")).toBeUndefined();
  for (let i = 0; i < 600; i++) expect(prices.priceOf(`unknown-${i}`)).toBeUndefined();
  expect(prices.priceOf("claude-sonnet-4-5")).toEqual(sonnet!);
  expect(prices.priceOf("custom-model-v2")?.output).toBe(2);
  expect(prices.priceOf("gpt-4o-mini")).not.toEqual(prices.priceOf("gpt-4o"));
  expect(prices.priceOf("")).toBeUndefined();
  expect(prices.priceOf(undefined)).toBeUndefined();
});
