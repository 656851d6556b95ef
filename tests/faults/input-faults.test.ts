/**
 * Hostile or extreme request bodies: 50 MB, 10,000 messages, 100,000 levels of nesting, invalid
 * UTF-8, a 10 MB single-line tool output. headroom answers or forwards every one of them, never
 * crashes, and forwards the client's bytes untouched whenever it does not compress (fail open).
 */

import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { decisionKeys } from "../../src/compress/compress-request.ts";
import { findSlots } from "../../src/compress/slots.ts";
import { MemoryDecisionStore } from "../../src/store/memory-decision-store.ts";
import { FakeUpstream } from "../helpers/fake-upstream.ts";
import { json } from "../helpers/http.ts";
import { serveApp, waitFor } from "../helpers/proxy.ts";

const upstream = new FakeUpstream();
// A generous budget: whether a tool output gets compressed must not depend on a cold JIT here.
const relaxed = { HEADROOM_COMPRESSION_BUDGET_MS: "10000" };
const proxy = serveApp({ upstream: upstream.url, env: relaxed });
// The opt-in features that walk the whole body (response cache key, output shaping) are on here,
// so their code paths face the hostile input too.
const featured = serveApp({
  upstream: upstream.url,
  env: { ...relaxed, HEADROOM_CACHE: "true", HEADROOM_OUTPUT_SHAPER: "true" },
});
afterAll(async () => {
  await proxy.stop();
  await featured.stop();
  upstream.stop();
});
beforeEach(() => {
  upstream.reset();
  proxy.exchanges.length = 0;
  featured.exchanges.length = 0;
});

const sha = (bytes: Uint8Array | string) => createHash("sha256").update(bytes).digest("hex");
const post = (path: string, body: string | Uint8Array, headers: Record<string, string> = {}) =>
  fetch(`${proxy.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });

/** An Anthropic request whose newest turn carries `output` from a Bash call. */
function withToolOutput(output: string, history: unknown[] = []): string {
  return JSON.stringify({
    model: "claude-sonnet-4-5",
    max_tokens: 1024,
    messages: [
      ...history,
      { role: "user", content: "what failed?" },
      {
        role: "assistant",
        content: [{ type: "tool_use", id: "toolu_last", name: "Bash", input: {} }],
      },
      {
        role: "user",
        content: [{ type: "tool_result", tool_use_id: "toolu_last", content: output }],
      },
    ],
  });
}

const bigLog = Array.from({ length: 400 }, (_, i) =>
  i === 333 ? "ERROR worker 333 crashed: out of memory" : `2026-11-26T08:00:00Z INFO job ${i} ok`,
).join("\n");

describe("size", () => {
  test("a 50 MB request is forwarded byte for byte and answered", async () => {
    const body = JSON.stringify({
      model: "claude-sonnet-4-5",
      max_tokens: 64,
      messages: [{ role: "user", content: "a".repeat(50 * 1024 * 1024) }],
    });
    const res = await post("/v1/messages", body);
    expect(res.status).toBe(200);
    expect((await json(res)).type).toBe("message");
    expect(upstream.requests[0]!.sha256).toBe(sha(body));
    await waitFor(() => proxy.exchanges.length === 1);
    expect(proxy.exchanges[0]!.bytesIn).toBe(body.length);
  });

  test("10,000 messages: the history goes untouched and the newest tool output is compressed", async () => {
    const history = Array.from({ length: 4999 }, (_, i) => [
      {
        role: "assistant",
        content: [{ type: "tool_use", id: `toolu_${i}`, name: "Bash", input: { i } }],
      },
      {
        role: "user",
        content: [{ type: "tool_result", tool_use_id: `toolu_${i}`, content: `ok ${i}` }],
      },
    ]).flat();
    const body = withToolOutput(bigLog, history);
    expect(JSON.parse(body).messages).toHaveLength(10_001);
    const res = await post("/v1/messages", body);
    expect(res.status).toBe(200);
    const sent = new TextDecoder().decode(upstream.requests[0]!.body);
    // Every byte up to the newest tool output is the client's own.
    const newest = body.lastIndexOf('"content":"2026');
    expect(sent.slice(0, newest)).toBe(body.slice(0, newest));
    const last = JSON.parse(sent).messages.at(-1).content[0].content;
    expect(last).toContain("ERROR worker 333 crashed");
    expect(last).toMatch(/headroom_retrieve hash=[0-9a-f]{24}/);
  });
});

describe("nesting", () => {
  const depth = 100_000;
  const deep = "[".repeat(depth) + "]".repeat(depth);

  test("100,000 levels of [ are forwarded untouched on every API and on a pass-through path", async () => {
    const bodies = {
      "/v1/messages": `{"model":"m","messages":[{"role":"user","content":"hi"}],"metadata":{"x":${deep}}}`,
      "/v1/chat/completions": `{"model":"m","messages":[{"role":"user","content":"hi"}],"tools":${deep}}`,
      "/v1/responses": `{"model":"m","input":${deep}}`,
      "/v1/messages/count_tokens": `{"model":"m","messages":${deep}}`,
    };
    for (const server of [proxy, featured]) {
      for (const [path, body] of Object.entries(bodies)) {
        const res = await fetch(`${server.url}${path}`, { method: "POST", body });
        expect(res.status).toBe(200);
        await res.arrayBuffer();
        const seen = upstream.requests.at(-1)!;
        // Output shaping may add its instruction; the nested part always arrives intact.
        if (server === proxy) expect(seen.sha256).toBe(sha(body));
        else expect(new TextDecoder().decode(seen.body)).toContain(deep);
      }
    }
    const exchanges = [...proxy.exchanges, ...featured.exchanges];
    expect(exchanges.filter((e) => e.outcome === "ok")).toHaveLength(8);
  });

  test("deep nesting inside a tool call and its output is forwarded too", async () => {
    const deepObject = `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
    const body = JSON.stringify({
      model: "m",
      messages: [
        { role: "user", content: "x" },
        { role: "assistant", content: [{ type: "tool_use", id: "t", name: "Read", input: {} }] },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "t", content: deepObject }] },
      ],
    }).replace('"input":{}', `"input":{"x":${deep}}`);
    for (const server of [proxy, featured]) {
      const res = await fetch(`${server.url}/v1/messages`, { method: "POST", body });
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    }
    expect(upstream.requests[0]!.sha256).toBe(sha(body));
    expect(new TextDecoder().decode(upstream.requests[1]!.body)).toContain(deep);
  });

  test("/v1/compress answers deep nesting in its own error shape and the proxy keeps serving", async () => {
    const res = await post("/v1/compress", `{"model":"gpt-4o","messages":${deep}}`);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect((await json(res)).error.type).toEqual(expect.any(String));
    expect((await post("/v1/messages", '{"model":"m"}')).status).toBe(200);
  });
});

describe("encoding", () => {
  test("invalid UTF-8 is a 400 in the provider's shape on the generation APIs, and nothing is forwarded", async () => {
    const bad = new Uint8Array([
      ...new TextEncoder().encode('{"model":"m","x":"'),
      0xc3,
      0x28,
      0x22,
      0x7d,
    ]);
    for (const [path, type] of [
      ["/v1/messages", "invalid_request_error"],
      ["/v1/chat/completions", "invalid_request_error"],
      ["/v1/responses", "invalid_request_error"],
    ] as const) {
      for (const [body, headers] of [
        [bad, {}],
        [gzipSync(bad), { "content-encoding": "gzip" }],
      ] as const) {
        const res = await post(path, body, headers);
        expect(res.status).toBe(400);
        const answer = await json(res);
        expect(answer.error.type).toBe(type);
        expect(answer.error.message).toContain("not valid UTF-8");
      }
    }
    expect(upstream.requests).toHaveLength(0);
    await waitFor(() => proxy.exchanges.length === 6);
    expect(proxy.exchanges.every((e) => e.outcome === "rejected")).toBe(true);
  });

  test("a pass-through path forwards invalid UTF-8 as it is: headroom does not read it", async () => {
    const bad = new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]);
    const res = await post("/v1/messages/count_tokens", bad);
    expect(res.status).toBe(200);
    expect(upstream.requests[0]!.sha256).toBe(sha(bad));
  });
});

describe("compression stays bounded and fails open", () => {
  test("a 10 MB single-line tool output is forwarded untouched, remembered as over budget", async () => {
    const rows = Array.from(
      { length: 250_000 },
      (_, i) => `{"id":${i},"name":"item-${i}","ok":true}`,
    );
    const line = `[${rows.join(",")}]`;
    expect(line.length).toBeGreaterThan(10_000_000);
    expect(line).not.toContain("\n");
    const body = withToolOutput(line);
    // A 50 ms budget cannot hold 10 MB: it is not even started.
    const decisions = new MemoryDecisionStore();
    const strict = serveApp({
      upstream: upstream.url,
      decisions,
      env: { HEADROOM_COMPRESSION_BUDGET_MS: "50" },
    });
    try {
      for (let turn = 0; turn < 2; turn++) {
        const res = await fetch(`${strict.url}/v1/messages`, { method: "POST", body });
        expect(res.status).toBe(200);
        expect(upstream.requests[turn]!.sha256).toBe(sha(body));
      }
    } finally {
      await strict.stop();
    }
    // Kept as it was, and remembered so no later turn pays for trying again.
    const [slot] = findSlots("messages", JSON.parse(body));
    expect(slot!.text).toBe(line);
    expect(decisions.get(decisionKeys(slot!, sha).key)).toEqual({
      kind: "kept",
      reason: "over_budget",
    });
  });
});
