/**
 * The session benchmark's pricing upstream bills prompt caching as the providers do: checked on
 * the real first and second requests Claude Code and Codex sent (committed by
 * scripts/bench-sessions/capture.ts) and on hand-made changes to them.
 */

import { beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  AnthropicCache,
  OPENAI_MIN_CACHED,
  OPENAI_STEP,
  OpenAICache,
} from "../../scripts/bench-sessions/billing.ts";
import { startPricingUpstream } from "../../scripts/bench-sessions/pricing-upstream.ts";
import {
  extendsPrompt,
  renderAnthropic,
  renderResponses,
} from "../../scripts/bench-sessions/render.ts";
import { loadEncoding } from "../../src/compress/tokens.ts";

const FIXTURES = join(import.meta.dir, "..", "..", "scripts", "bench-sessions", "fixtures");
// biome-ignore lint/suspicious/noExplicitAny: provider JSON
type Json = any;
const fixture = (name: string): Json => JSON.parse(readFileSync(join(FIXTURES, name), "utf8"));

beforeAll(() => loadEncoding("o200k_base"));

describe("Anthropic", () => {
  test("Claude Code's second request reads all of its first from the cache", () => {
    const first = renderAnthropic(fixture("claude-code-first-request.json"));
    const second = renderAnthropic(fixture("claude-code-second-request.json"));
    // The moved breakpoint and the system message sent as a string do not change the prompt.
    expect(extendsPrompt(first, second)).toBe(true);
    const cache = new AnthropicCache();
    const opening = cache.charge(first);
    expect(opening.cacheRead).toBe(0);
    expect(opening.cacheWrite).toBe(first.tokens);
    expect(opening.units).toBeCloseTo(first.tokens * 1.25);
    const next = cache.charge(second);
    expect(next.cacheRead).toBe(first.tokens);
    expect(next.cacheWrite).toBe(second.tokens - first.tokens);
    expect(next.uncached).toBe(0);
    expect(next.units).toBeCloseTo(first.tokens * 0.1 + (second.tokens - first.tokens) * 1.25);
  });

  test("a changed tool list rewrites the whole prompt", () => {
    const cache = new AnthropicCache();
    cache.charge(renderAnthropic(fixture("claude-code-first-request.json")));
    const second = fixture("claude-code-second-request.json");
    second.tools.push({
      name: "headroom_retrieve",
      description: "Fetch an original",
      input_schema: { type: "object", properties: { hash: { type: "string" } } },
    });
    const bill = cache.charge(renderAnthropic(second));
    expect(bill.cacheRead).toBe(0);
    expect(bill.cacheWrite).toBe(bill.total);
  });

  test("a changed tool result reads up to the previous breakpoint only", () => {
    const cache = new AnthropicCache();
    const body = fixture("claude-code-second-request.json");
    cache.charge(renderAnthropic(body));
    const result = body.messages.at(-1).content[0];
    result.content = result.content.replace("README.md", "NOTES.md");
    const prompt = renderAnthropic(body);
    const bill = cache.charge(prompt);
    // The breakpoint before the tool result's own is the system prompt's last block.
    const marks = prompt.segments.flatMap((segment, index) => (segment.breakpoint ? [index] : []));
    const previousMark = marks.at(-2)!;
    const upToIt = prompt.segments.slice(0, previousMark + 1).reduce((n, s) => n + s.tokens, 0);
    expect(upToIt).toBeGreaterThan(5000);
    expect(bill.cacheRead).toBe(upToIt);
    expect(bill.cacheWrite).toBe(prompt.tokens - upToIt);
  });

  test("text after the last breakpoint is plain input", () => {
    const cache = new AnthropicCache();
    const body = fixture("claude-code-second-request.json");
    delete body.messages.at(-1).content[0].cache_control;
    const prompt = renderAnthropic(body);
    const bill = cache.charge(prompt);
    expect(bill.cacheRead).toBe(0);
    expect(bill.uncached).toBeGreaterThan(0);
    expect(bill.cacheWrite + bill.uncached).toBe(prompt.tokens);
  });
});

describe("OpenAI", () => {
  test("Codex's second request reads its first in 128-token steps", () => {
    const first = renderResponses(fixture("codex-first-request.json"));
    const second = renderResponses(fixture("codex-second-request.json"));
    expect(extendsPrompt(first, second)).toBe(true);
    const cache = new OpenAICache();
    expect(cache.charge(first).cacheRead).toBe(0);
    const bill = cache.charge(second);
    expect(bill.cacheRead).toBeLessThanOrEqual(first.tokens);
    expect(bill.cacheRead).toBeGreaterThan(first.tokens - OPENAI_STEP);
    expect((bill.cacheRead - OPENAI_MIN_CACHED) % OPENAI_STEP).toBe(0);
    expect(bill.units).toBeCloseTo(bill.total - bill.cacheRead * 0.9);
  });

  test("nothing is cached below 1,024 shared tokens", () => {
    const body = fixture("codex-first-request.json");
    const short = { model: body.model, input: [body.input.at(-1)] };
    const cache = new OpenAICache();
    const prompt = renderResponses(short);
    expect(prompt.tokens).toBeLessThan(OPENAI_MIN_CACHED);
    cache.charge(prompt);
    const again = cache.charge(prompt);
    expect(again.cacheRead).toBe(0);
    expect(again.units).toBe(prompt.tokens);
  });

  test("a changed tool list shares nothing", () => {
    const cache = new OpenAICache();
    cache.charge(renderResponses(fixture("codex-first-request.json")));
    const second = fixture("codex-second-request.json");
    second.tools.reverse();
    expect(cache.charge(renderResponses(second)).cacheRead).toBe(0);
  });
});

describe("the pricing upstream", () => {
  test("reports what it billed in each provider's usage shape", async () => {
    const upstream = startPricingUpstream();
    try {
      const post = async (path: string, body: unknown) => {
        const response = await fetch(`${upstream.url}${path}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ ...(body as object), stream: false }),
        });
        return (await response.json()) as Json;
      };
      await post("/v1/messages", fixture("claude-code-first-request.json"));
      const message = await post("/v1/messages", fixture("claude-code-second-request.json"));
      const claudeBill = upstream.received[1]!.bill;
      expect(message.type).toBe("message");
      expect(message.usage).toEqual({
        input_tokens: 0,
        cache_creation_input_tokens: claudeBill.cacheWrite,
        cache_read_input_tokens: claudeBill.cacheRead,
        output_tokens: 3,
      });
      expect(claudeBill.cacheRead).toBeGreaterThan(10_000);

      await post("/v1/responses", fixture("codex-first-request.json"));
      const response = await post("/v1/responses", fixture("codex-second-request.json"));
      const codexBill = upstream.received[3]!.bill;
      expect(response.status).toBe("completed");
      expect(response.usage.input_tokens).toBe(codexBill.total);
      expect(response.usage.input_tokens_details.cached_tokens).toBe(codexBill.cacheRead);
      expect(codexBill.cacheRead).toBeGreaterThan(5_000);
    } finally {
      upstream.stop();
    }
  });
});

describe("cache lifetime", () => {
  test("a prefix unused past the lifetime is written (Anthropic) or billed whole (OpenAI) again", () => {
    let now = 0;
    const lifetime = { ttlMs: 2_000, now: () => now };
    const first = renderAnthropic(fixture("claude-code-first-request.json"));
    const second = renderAnthropic(fixture("claude-code-second-request.json"));
    const anthropic = new AnthropicCache(lifetime);
    anthropic.charge(first);
    now = 1_500;
    expect(anthropic.charge(second).cacheRead).toBe(first.tokens);
    // Its last use (the read at 1.5 s) keeps it alive until 3.5 s.
    now = 3_400;
    expect(anthropic.charge(second).cacheRead).toBe(second.tokens);
    now = 5_500;
    const cold = anthropic.charge(second);
    expect(cold.cacheRead).toBe(0);
    expect(cold.cacheWrite).toBe(second.tokens);

    now = 0;
    const input = renderResponses(fixture("codex-first-request.json"));
    const openai = new OpenAICache(lifetime);
    openai.charge(input);
    now = 1_000;
    expect(openai.charge(input).cacheRead).toBeGreaterThan(0);
    now = 3_500;
    expect(openai.charge(input).cacheRead).toBe(0);
    now = 4_000;
    expect(openai.charge(input).cacheRead).toBeGreaterThan(0);
  });
});
