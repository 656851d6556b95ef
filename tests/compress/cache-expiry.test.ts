/**
 * The expiry rules: the lifetime each provider's request asks for, the margin, doubt counted as
 * warm, and an idle gap after which the provider was seen still reading the cache never taken
 * for an expiry again.
 */

import { describe, expect, test } from "bun:test";
import { afterTurn, cacheExpired, requestedCacheTtlMs } from "../../src/compress/cache-expiry.ts";

const MINUTE = 60_000;

describe("the lifetime a request asks for", () => {
  test("per provider, from the request's own words, or the override", () => {
    const anthropic = JSON.stringify({
      system: [{ type: "text", text: "x", cache_control: { type: "ephemeral" } }],
    });
    const hour = JSON.stringify({
      system: [{ type: "text", text: "x", cache_control: { type: "ephemeral", ttl: "1h" } }],
    });
    // Inside a string value the words are escaped and say nothing.
    const quoted = JSON.stringify({ messages: [{ role: "user", content: '"ttl":"1h"' }] });
    expect(requestedCacheTtlMs("messages", anthropic, 0)).toBe(5 * MINUTE);
    expect(requestedCacheTtlMs("messages", hour, 0)).toBe(60 * MINUTE);
    expect(requestedCacheTtlMs("messages", quoted, 0)).toBe(5 * MINUTE);
    expect(requestedCacheTtlMs("responses", "{}", 0)).toBe(60 * MINUTE);
    expect(requestedCacheTtlMs("chat", '{"prompt_cache_retention":"24h"}', 0)).toBe(
      24 * 60 * MINUTE,
    );
    expect(requestedCacheTtlMs("gemini", "{}", 0)).toBeUndefined();
    expect(requestedCacheTtlMs("gemini", "{}", 2_000)).toBeUndefined();
    expect(requestedCacheTtlMs("messages", hour, 2_000)).toBe(2_000);
  });
});

describe("expiry", () => {
  const turn = (
    startedAt: number,
    endedAt: number,
    cacheReadTokens: number | undefined,
    compacted = false,
  ) => ({
    provider: "anthropic",
    ttlMs: 5 * MINUTE,
    startedAt,
    endedAt,
    usage: cacheReadTokens === undefined ? {} : { inputTokens: 10_000, cacheReadTokens },
    compacted,
  });

  test("past the lifetime and its margin since the last exchange ended, and only then", () => {
    const state = afterTurn(undefined, turn(0, 1_000, 0));
    expect(cacheExpired(state, 1_000 + 5.5 * MINUTE, 5 * MINUTE)).toBe(false);
    expect(cacheExpired(state, 1_001 + 5.5 * MINUTE, 5 * MINUTE)).toBe(true);
    // The longer of the lifetimes the last request and this one ask for counts.
    expect(cacheExpired(state, 1_000 + 30 * MINUTE, 60 * MINUTE)).toBe(false);
  });

  test("usage the provider never reported is a doubt: warm", () => {
    const state = afterTurn(undefined, turn(0, 1_000, undefined));
    expect(cacheExpired(state, 10 * 60 * MINUTE, 5 * MINUTE)).toBe(false);
  });

  test("a gap after which the provider still read the prompt is never an expiry again", () => {
    let state = afterTurn(undefined, turn(0, 1_000, 0));
    // Read after 8 idle minutes: something kept the cache warm longer than 5 minutes.
    state = afterTurn(state, turn(1_000 + 8 * MINUTE, 2_000 + 8 * MINUTE, 9_000));
    expect(state.warmGapMs).toBe(8 * MINUTE);
    const last = state.lastRequestAt;
    expect(cacheExpired(state, last + 8 * MINUTE, 5 * MINUTE)).toBe(false);
    expect(cacheExpired(state, last + 9 * MINUTE, 5 * MINUTE)).toBe(true);
    // A compacting turn reads only the untouched beginning: it teaches nothing.
    const compacted = afterTurn(state, turn(last + 20 * MINUTE, last + 21 * MINUTE, 9_000, true));
    expect(compacted.warmGapMs).toBe(8 * MINUTE);
    expect(compacted.compactions).toBe(1);
  });
});
