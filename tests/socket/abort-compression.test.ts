/**
 * A client that leaves while its tool output compresses: nothing goes upstream and nothing is
 * remembered, so the same request sent again is compressed afresh.
 */

import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { CompressPool } from "../../src/runtime/compress-pool.ts";
import { MemoryDecisionStore } from "../../src/store/memory-decision-store.ts";
import { proxiedUpstream } from "../helpers/proxied-upstream.ts";
import { waitFor } from "../helpers/proxy.ts";

// `jq '{version, zones: .zones[0:117]}'` over Debian's moment-timezone data: 996,594 characters.
const timezones = gunzipSync(
  readFileSync(join(import.meta.dir, "..", "fixtures", "pool", "jq-timezones.json.gz")),
).toString("utf8");

const pool = new CompressPool({ size: 1 });
afterAll(() => pool.close());
const decisions = new MemoryDecisionStore();
const { upstream, proxy } = proxiedUpstream({
  compress: pool.run,
  countTokens: pool.countTokens,
  decisions,
  env: { HEADROOM_COMPRESSION_BUDGET_MS: "30000" },
});

const body = JSON.stringify({
  model: "gpt-4o",
  messages: [
    { role: "user", content: "Which zones observe daylight saving time?" },
    {
      role: "assistant",
      content: null,
      tool_calls: [{ id: "call_1", type: "function", function: { name: "sh", arguments: "{}" } }],
    },
    { role: "tool", tool_call_id: "call_1", content: timezones },
  ],
});

describe("a client abort during compression", () => {
  test("sends nothing upstream and remembers nothing", async () => {
    const client = new AbortController();
    const sent = fetch(`${proxy.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
      signal: client.signal,
    }).catch((error: unknown) => error);
    // Abort once the proxy has the request and its output is compressing.
    await waitFor(() => pool.alive > 0, 10_000);
    client.abort();
    expect(await sent).toBeInstanceOf(Error);
    await waitFor(() => proxy.exchanges.length === 1);
    expect(proxy.exchanges[0]!.outcome).toBe("aborted");
    expect(upstream.requests).toHaveLength(0);
    expect(decisions.size).toBe(0);

    // Sent again, the same output is compressed afresh.
    const again = await fetch(`${proxy.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    expect(again.status).toBe(200);
    expect(again.headers.get("x-headroom-transforms")).toStartWith("json:");
    expect(upstream.requests).toHaveLength(1);
  }, 30_000);
});
