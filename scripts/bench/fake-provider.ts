/**
 * A fake provider for the perf and soak scripts, run as its own process: Anthropic Messages,
 * OpenAI Chat Completions and the Responses API, JSON or streamed in the providers' real wire
 * formats (tests/helpers/wire.ts), with streams paced so they stay open like a model's. Prints
 * its URL on stdout. Request headers steer it (headroom forwards them):
 *
 *   x-fake-interval-ms  pause before each SSE event (default 0)
 *   x-fake-chars        length of the reply text (default 64)
 *   x-fake-fail         answer with this HTTP status and the provider's error shape
 *   x-fake-retrieve     when the request carries a headroom marker, answer with a
 *                       headroom_retrieve call for it (headroom answers the call itself and asks
 *                       again with the result, which then gets a text reply)
 *
 * Every answer says which marker hashes its request carried in `x-fake-hashes`. GET /__stats
 * answers {requests, open, streams, aborted, retrieve_calls, continuations}.
 */

import { markerHashes } from "../../src/compress/marker.ts";
import {
  anthropicMessage,
  anthropicStream,
  chatCompletion,
  chatStream,
  type Reply,
  responsesBody,
  responsesStream,
} from "../../tests/helpers/wire.ts";

// Ids of the retrieve calls this provider makes: a request that contains one is a continuation.
const CALL_TAG = "hrcall";

const stats = { requests: 0, open: 0, streams: 0, aborted: 0, retrieve_calls: 0, continuations: 0 };
const encoder = new TextEncoder();
let calls = 0;

function errorBody(path: string, status: number): string {
  return path.endsWith("/messages")
    ? JSON.stringify({
        type: "error",
        error: { type: status === 429 ? "rate_limit_error" : "api_error", message: "fake failure" },
      })
    : JSON.stringify({
        error: { message: "fake failure", type: "server_error", param: null, code: null },
      });
}

function replyText(chars: number): string {
  const base = "The tests fail because the fixture path is wrong; fix the import and rerun. ";
  return base.repeat(Math.ceil(chars / base.length)).slice(0, Math.max(1, chars));
}

function paced(events: string[], intervalMs: number): ReadableStream<Uint8Array> {
  let i = 0;
  stats.open++;
  stats.streams++;
  let closed = false;
  const close = () => {
    if (!closed) {
      closed = true;
      stats.open--;
    }
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (intervalMs > 0) await Bun.sleep(intervalMs);
      if (closed) return;
      if (i < events.length) controller.enqueue(encoder.encode(events[i++]!));
      else {
        close();
        controller.close();
      }
    },
    cancel() {
      stats.aborted++;
      close();
    },
  });
}

const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  idleTimeout: 0,
  async fetch(request) {
    const url = new URL(request.url);
    if (request.method === "GET" && url.pathname === "/__stats") return Response.json(stats);
    stats.requests++;
    const text = await request.text();
    const hashes = markerHashes(text);
    const headers = { "x-fake-hashes": hashes.slice(0, 8).join(",") };
    const failWith = Number(request.headers.get("x-fake-fail") ?? 0);
    if (failWith >= 400) {
      return new Response(errorBody(url.pathname, failWith), {
        status: failWith,
        headers: { ...headers, "content-type": "application/json" },
      });
    }
    let body: { model?: string; stream?: boolean };
    try {
      body = JSON.parse(text);
    } catch {
      return new Response(errorBody(url.pathname, 400), { status: 400, headers });
    }
    const model = body.model ?? "fake-model";
    const continuation = text.includes(CALL_TAG);
    if (continuation) stats.continuations++;
    let reply: Reply = {
      kind: "text",
      text: replyText(Number(request.headers.get("x-fake-chars") ?? 64)),
    };
    if (!continuation && hashes.length > 0 && request.headers.get("x-fake-retrieve") === "1") {
      stats.retrieve_calls++;
      const prefix = url.pathname.endsWith("/messages") ? "toolu_" : "call_";
      reply = {
        kind: "tool",
        name: "headroom_retrieve",
        input: { hash: hashes[0]! },
        id: `${prefix}${CALL_TAG}${++calls}`,
      };
    }
    const interval = Number(request.headers.get("x-fake-interval-ms") ?? 0);
    const stream = body.stream === true;
    let json: string;
    let events: string[];
    if (url.pathname.endsWith("/messages")) {
      if (!stream) json = anthropicMessage(reply, model);
      else events = anthropicStream(reply, model);
    } else if (url.pathname.endsWith("/chat/completions")) {
      if (!stream) json = chatCompletion(reply, model);
      else events = chatStream(reply, model);
    } else if (url.pathname.endsWith("/responses")) {
      if (!stream) json = responsesBody(reply, model);
      else events = responsesStream(reply, model);
    } else {
      return new Response(errorBody(url.pathname, 404), { status: 404, headers });
    }
    if (!stream) {
      return new Response(json!, { headers: { ...headers, "content-type": "application/json" } });
    }
    return new Response(paced(events!, interval), {
      headers: { ...headers, "content-type": "text/event-stream", "cache-control": "no-cache" },
    });
  },
});
console.log(`http://127.0.0.1:${server.port}`);
