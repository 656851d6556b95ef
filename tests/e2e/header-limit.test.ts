/**
 * The executable starts Bun with a parser limit above headroom's own, so a request with ~20 KB
 * of headers reaches the proxy and gets its 431 in the provider's shape, with a log line,
 * instead of Bun's bare 431 with an empty body.
 */

import { afterAll, expect, test } from "bun:test";
import { startBinary } from "../helpers/binary.ts";
import { FakeUpstream } from "../helpers/fake-upstream.ts";
import { json } from "../helpers/http.ts";
import { waitFor } from "../helpers/proxy.ts";

const upstream = new FakeUpstream();
afterAll(() => upstream.stop());

test("20 KB of request headers get an Anthropic-shaped 431, logged and counted", async () => {
  const proxy = await startBinary(["--anthropic-api-url", upstream.url, "--stateless"]);
  try {
    const res = await fetch(`${proxy.url}/v1/messages`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-api-key": "sk-ant-test-key-123",
        "x-padding": "p".repeat(20_000),
      },
      body: JSON.stringify({ model: "claude-sonnet-4-5", max_tokens: 10, messages: [] }),
    });
    expect(res.status).toBe(431);
    expect(((await res.json()) as { error: { type: string } }).error.type).toBe(
      "invalid_request_error",
    );
    expect(upstream.requests).toHaveLength(0);
    expect((await json(fetch(`${proxy.url}/stats`))).requests.rejected).toBe(1);
    await waitFor(() => proxy.lines.some((line) => line.includes('"status":431')));
  } finally {
    await proxy.stop();
  }
});
