/**
 * Faults on the upstream's side before any byte reaches the client: it cannot be reached (refused
 * connection, unresolvable name), it answers an error (5xx with a body), or it asks headroom to
 * come back later (429/529 with Retry-After). Every client gets an answer in the provider's own
 * shape, or the upstream's own answer, and the ledger says what happened.
 */

import { beforeEach, describe, expect, test } from "bun:test";
import { dnsFailure } from "../helpers/dns-failure.ts";
import { closedPort } from "../helpers/fake-upstream.ts";
import { json } from "../helpers/http.ts";
import { proxiedUpstream } from "../helpers/proxied-upstream.ts";
import { serveApp, waitFor } from "../helpers/proxy.ts";
import { anthropicStream, chatStream } from "../helpers/wire.ts";

// Every retry wait is recorded instead of slept, so the policy is visible and the suite fast.
const waits: number[] = [];
const { upstream, proxy } = proxiedUpstream({
  env: { HEADROOM_RETRY_BASE_DELAY_MS: "400", HEADROOM_RETRY_MAX_DELAY_MS: "5000" },
  sleep: async (ms) => {
    waits.push(ms);
  },
});
beforeEach(() => {
  waits.length = 0;
});

const APIS = [
  { path: "/v1/messages", provider: "anthropic" },
  { path: "/v1/chat/completions", provider: "openai" },
  { path: "/v1/responses", provider: "openai" },
] as const;

const post = (base: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

/** Checks a body is an error in `provider`'s own JSON shape and returns its message. */
// biome-ignore lint/suspicious/noExplicitAny: provider JSON
function providerError(provider: "anthropic" | "openai", body: any): string {
  if (provider === "anthropic") {
    expect(body).toEqual({
      type: "error",
      error: { type: "api_error", message: expect.any(String) },
    });
    return body.error.message;
  }
  expect(body).toEqual({
    error: { message: expect.any(String), type: "server_error", param: null, code: null },
  });
  return body.error.message;
}

describe("an upstream that cannot be reached", () => {
  test("a refused connection is a JSON 502 in each provider's shape, streaming or not, after the retries", async () => {
    const dead = { "x-headroom-base-url": `http://127.0.0.1:${closedPort()}` };
    for (const { path, provider } of APIS) {
      for (const stream of [false, true]) {
        const res = await post(proxy.url, path, { model: "m", stream }, dead);
        expect(res.status).toBe(502);
        // Nothing was streamed yet, so the client gets a plain error, not an SSE body.
        expect(res.headers.get("content-type")).toBe("application/json");
        expect(providerError(provider, await json(res))).toContain("after 3 attempts");
      }
    }
    // Two backoff waits per request between its three attempts.
    expect(waits).toHaveLength(12);
    await waitFor(() => proxy.exchanges.length === 6);
    expect(proxy.exchanges.every((e) => e.outcome === "failed" && e.status === 502)).toBe(true);
    const stats = await json(fetch(`${proxy.url}/stats`));
    expect(stats.requests.failed).toBeGreaterThanOrEqual(6);
  });

  test("a name that does not resolve (Bun's own DNS error, injected) is a 502 naming the host", async () => {
    for (const code of ["ENOTFOUND", "EAI_AGAIN"] as const) {
      let attempts = 0;
      const offline = serveApp({
        upstream: "https://api.anthropic.com",
        fetch: async (input) => {
          attempts++;
          throw dnsFailure(new URL(input).hostname, code);
        },
        sleep: async () => {},
      });
      try {
        for (const { path, provider } of APIS) {
          const res = await post(offline.url, path, { model: "m", stream: true });
          expect(res.status).toBe(502);
          const message = providerError(provider, await json(res));
          expect(message).toContain(`getaddrinfo ${code}`);
        }
        expect(attempts).toBe(9);
        // Both configured upstreams failed every attempt: /health reports it.
        const health = await offline.request("/health");
        expect(health.status).toBe(503);
        expect((await json(health)).upstreams.anthropic.status).toBe("unreachable");
        const forwarded = () => offline.exchanges.filter((e) => e.path.startsWith("/v1/"));
        await waitFor(() => forwarded().length === 3);
        expect(forwarded().map((e) => e.outcome)).toEqual(["failed", "failed", "failed"]);
      } finally {
        await offline.stop();
      }
    }
  });
});

describe("an upstream that answers an error", () => {
  test("5xx answers are relayed as they are (status, headers, body), never retried", async () => {
    const answers = [
      {
        status: 500,
        type: "application/json",
        body: '{"type":"error","error":{"type":"api_error","message":"Internal server error"}}',
      },
      {
        status: 503,
        type: "application/json",
        body: '{"error":{"message":"The engine is currently overloaded","type":"server_error","param":null,"code":null}}',
      },
      // What a CDN in front of the provider answers: HTML, not JSON.
      {
        status: 502,
        type: "text/html",
        body: "<html><body><h1>502 Bad Gateway</h1></body></html>",
      },
    ];
    for (const { path } of APIS) {
      for (const answer of answers) {
        for (const stream of [false, true]) {
          upstream.once(
            () =>
              new Response(answer.body, {
                status: answer.status,
                headers: { "content-type": answer.type, "x-request-id": "req_5xx" },
              }),
          );
          const res = await post(proxy.url, path, { model: "m", stream });
          expect(res.status).toBe(answer.status);
          expect(res.headers.get("content-type")).toBe(answer.type);
          expect(res.headers.get("x-request-id")).toBe("req_5xx");
          expect(await res.text()).toBe(answer.body);
        }
      }
    }
    expect(upstream.requests).toHaveLength(18);
    expect(waits).toEqual([]);
    await waitFor(() => proxy.exchanges.length === 18);
    expect(proxy.exchanges.every((e) => e.outcome === "upstream_error")).toBe(true);
  });
});

describe("429 and 529 with Retry-After", () => {
  const busy = (status: number, headers: Record<string, string>) => () =>
    new Response(
      status === 529
        ? '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}'
        : '{"error":{"message":"Rate limit reached","type":"requests","param":null,"code":"rate_limit_exceeded"}}',
      { status, headers: { "content-type": "application/json", ...headers } },
    );

  test("the wait the upstream asks for is the wait headroom takes, in every form it can be asked", async () => {
    const date = new Date(Date.now() + 3000).toUTCString();
    upstream.once(busy(529, { "retry-after": "2" }));
    upstream.once(busy(429, { "retry-after-ms": "1500", "retry-after": "9" }));
    expect((await post(proxy.url, "/v1/messages", { model: "m" })).status).toBe(200);
    upstream.once(busy(429, { "retry-after": date }));
    expect((await post(proxy.url, "/v1/chat/completions", { model: "m" })).status).toBe(200);
    // Without Retry-After: exponential backoff from the base delay (400 ms), with jitter.
    upstream.once(busy(429, {}));
    upstream.once(busy(429, {}));
    expect((await post(proxy.url, "/v1/responses", { model: "m" })).status).toBe(200);
    expect(waits.slice(0, 2)).toEqual([2000, 1500]);
    expect(waits[2]).toBeGreaterThan(1000);
    expect(waits[2]).toBeLessThanOrEqual(3000);
    expect(waits[3]).toBeGreaterThanOrEqual(200);
    expect(waits[3]).toBeLessThan(600);
    expect(waits[4]).toBeGreaterThanOrEqual(400);
    expect(waits[4]).toBeLessThan(1200);
    // Every attempt carried the client's exact bytes.
    const hashes = new Set(upstream.requests.slice(0, 3).map((r) => r.sha256));
    expect(hashes.size).toBe(1);
  });

  test("a retried stream reaches the client clean: none of the refusal's bytes, all of the stream's", async () => {
    const events = anthropicStream({ kind: "text", text: "after the wait" }, "m");
    upstream.once(busy(529, { "retry-after": "1" }));
    upstream.once(() => upstream.stream(events));
    const res = await post(proxy.url, "/v1/messages", { model: "m", stream: true });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(events.join(""));
    const chat = chatStream({ kind: "text", text: "after the wait" }, "m");
    upstream.once(busy(429, { "retry-after": "0" }));
    upstream.once(() => upstream.stream(chat));
    const second = await post(proxy.url, "/v1/chat/completions", { model: "m", stream: true });
    expect(await second.text()).toBe(chat.join(""));
    expect(waits).toEqual([1000, 0]);
  });

  test("a wait longer than headroom accepts goes to the client at once, Retry-After included", async () => {
    upstream.once(busy(529, { "retry-after": "60" }));
    const res = await post(proxy.url, "/v1/messages", { model: "m", stream: true });
    expect(res.status).toBe(529);
    expect(res.headers.get("retry-after")).toBe("60");
    expect((await json(res)).error.type).toBe("overloaded_error");
    expect(waits).toEqual([]);
    expect(upstream.requests).toHaveLength(1);
  });

  test("when every attempt is refused, the client gets the last refusal as the upstream sent it", async () => {
    upstream.always(busy(429, { "retry-after": "1", "x-ratelimit-remaining-requests": "0" }));
    const res = await post(proxy.url, "/v1/chat/completions", { model: "m", stream: true });
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("1");
    expect(res.headers.get("x-ratelimit-remaining-requests")).toBe("0");
    expect((await json(res)).error.code).toBe("rate_limit_exceeded");
    expect(waits).toEqual([1000, 1000]);
    expect(upstream.requests).toHaveLength(3);
    await waitFor(() => proxy.exchanges.length === 1);
    expect(proxy.exchanges[0]!.outcome).toBe("upstream_error");
  });

  test("a client that leaves during the wait stops the retries", async () => {
    // The real timer this time: the wait must end when the client goes.
    const patient = serveApp({
      upstream: upstream.url,
      env: { HEADROOM_RETRY_MAX_DELAY_MS: "30000" },
    });
    try {
      upstream.always(busy(529, { "retry-after": "20" }));
      const controller = new AbortController();
      const aborted = fetch(`${patient.url}/v1/messages`, {
        method: "POST",
        body: '{"model":"m","stream":true}',
        signal: controller.signal,
      }).catch((error: Error) => error.name);
      await waitFor(() => upstream.requests.length === 1);
      controller.abort();
      expect(await aborted).toBe("AbortError");
      // The exchange ends only once the wait is over: it ended with the client, not 20 s later.
      await waitFor(() => patient.exchanges.length === 1);
      expect(patient.exchanges[0]!.outcome).toBe("aborted");
      expect(upstream.requests).toHaveLength(1);
    } finally {
      await patient.stop();
    }
  });
});
