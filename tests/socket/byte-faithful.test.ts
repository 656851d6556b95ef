import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { gzipSync, zstdCompressSync } from "node:zlib";
import { FakeUpstream } from "../helpers/fake-upstream.ts";
import { serveApp } from "../helpers/proxy.ts";
import { anthropicStream, chatStream, responsesStream } from "../helpers/wire.ts";

const upstream = new FakeUpstream();
const proxy = serveApp({ upstream: upstream.url });
afterAll(async () => {
  await proxy.stop();
  upstream.stop();
});
beforeEach(() => upstream.reset());

const sha = (bytes: Uint8Array | string) => createHash("sha256").update(bytes).digest("hex");

// Deliberately odd but valid JSON: spacing, key order, unicode escapes and a float written as 1.0.
// Re-serialising it would change every one of these bytes.
const oddBody = (model: string, stream: boolean) =>
  `{ "model" :"${model}",\n  "max_tokens": 64, "temperature": 1.0, "stream": ${stream},\n  "messages": [ {"role":"user","content":"caf\\u00e9 \u2603 — hi"} ] }`;

describe("byte-faithful forwarding (byte fidelity)", () => {
  test("the upstream receives the exact request bytes and query string on all three APIs", async () => {
    const cases = [
      { path: "/v1/messages?beta=true", model: "claude-sonnet-4-5" },
      { path: "/v1/chat/completions?api-version=2024-10-21&x=%2Fa%20b", model: "gpt-4o" },
      { path: "/v1/responses", model: "gpt-5" },
    ];
    for (const { path, model } of cases) {
      const body = oddBody(model, false);
      const res = await fetch(`${proxy.url}${path}`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          // Each provider's own credential: one request carrying both would be refused.
          ...(path.startsWith("/v1/messages")
            ? { "x-api-key": "sk-ant-test" }
            : { authorization: "Bearer sk-test" }),
        },
        body,
      });
      expect(res.status).toBe(200);
      await res.arrayBuffer();
      const seen = upstream.requests.at(-1)!;
      expect(seen.sha256).toBe(sha(body));
      expect(`${seen.path}${seen.query ? `?${seen.query}` : ""}`).toBe(path);
    }
  });

  test("the client receives the exact response bytes of a stream, hashed on both sides", async () => {
    const streams = {
      "/v1/messages": anthropicStream(
        { kind: "text", text: "streamed words ".repeat(40) },
        "claude-sonnet-4-5",
      ),
      "/v1/chat/completions": chatStream(
        { kind: "text", text: "streamed words ".repeat(40) },
        "gpt-4o",
      ),
      "/v1/responses": responsesStream(
        { kind: "text", text: "streamed words ".repeat(40) },
        "gpt-5",
      ),
    };
    for (const [path, events] of Object.entries(streams)) {
      upstream.once(() => upstream.stream(events));
      const res = await fetch(`${proxy.url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: oddBody("m", true),
      });
      expect(res.headers.get("content-type")).toContain("text/event-stream");
      const received = new Uint8Array(await res.arrayBuffer());
      expect(sha(received)).toBe(sha(events.join("")));
    }
  });

  test("a non-streamed JSON answer arrives byte for byte", async () => {
    const answer =
      '{"id":"msg_1" ,"type":"message","content":[{"type":"text","text":"\\u2603"}],  "usage":{"input_tokens":3,"output_tokens":1}}';
    upstream.once(() => new Response(answer, { headers: { "content-type": "application/json" } }));
    const res = await fetch(`${proxy.url}/v1/messages`, {
      method: "POST",
      body: oddBody("claude-haiku-4-5", false),
    });
    expect(await res.text()).toBe(answer);
  });

  test("encoded request bodies are read decoded and forwarded with their original encoded bytes", async () => {
    const body = oddBody("gpt-4o", false);
    for (const [encoding, encoded] of [
      ["gzip", gzipSync(body)],
      ["zstd", zstdCompressSync(body)],
    ] as const) {
      const res = await fetch(`${proxy.url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", "content-encoding": encoding },
        body: encoded,
      });
      expect(res.status).toBe(200);
      const seen = upstream.requests.at(-1)!;
      expect(seen.sha256).toBe(sha(encoded));
      expect(seen.headers.get("content-encoding")).toBe(encoding);
    }
  });
});
