/**
 * A client that goes away: while still uploading its body, while headroom waits for the
 * upstream's headers, and in the middle of the answer. The upstream call is cancelled (seen on
 * the fake upstream's side), nothing is forwarded for a body that never arrived, and the ledger
 * records every such exchange as aborted (/stats requests.aborted).
 */

import { describe, expect, test } from "bun:test";
import { json } from "../helpers/http.ts";
import { proxiedUpstream } from "../helpers/proxied-upstream.ts";
import { waitFor } from "../helpers/proxy.ts";
import { anthropicMessage, anthropicStream, GENERATION_APIS } from "../helpers/wire.ts";

const { upstream, proxy } = proxiedUpstream();

const MARKER = "[headroom: 40 rows; headroom_retrieve hash=0123456789abcdef01234567]";
const APIS = GENERATION_APIS;

async function abortedInStats(): Promise<number> {
  const stats = await json(fetch(`${proxy.url}/stats`));
  // The /stats call is an exchange too (a local one): keep only the data plane's.
  proxy.exchanges.splice(0, proxy.exchanges.length, ...dataPlane());
  return stats.requests.aborted;
}

const dataPlane = () => proxy.exchanges.filter((e) => e.path.startsWith("/v1/"));

/** Opens a raw connection, writes `head` and `bodyStart`, then drops the connection. */
async function uploadThenVanish(head: string, bodyStart: string): Promise<void> {
  const port = Number(new URL(proxy.url).port);
  const socket = await Bun.connect({
    hostname: "127.0.0.1",
    port,
    socket: { data() {} },
  });
  socket.write(head + bodyStart);
  socket.end();
}

describe("a client that leaves while uploading its body", () => {
  test("nothing is forwarded and each exchange is recorded as aborted, not as a failure", async () => {
    const before = await abortedInStats();
    const paths = ["/v1/messages", "/v1/chat/completions", "/v1/responses", "/v1/models/x"];
    for (const path of paths) {
      const start = `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n`;
      // Announced length, body cut short.
      await uploadThenVanish(`${start}content-length: 5000\r\n\r\n`, '{"model":"m","messages":[');
      // Chunked, never finished.
      await uploadThenVanish(`${start}transfer-encoding: chunked\r\n\r\n`, '9\r\n{"model":\r\n');
    }
    await waitFor(() => dataPlane().length === 8);
    for (const exchange of dataPlane()) {
      expect(exchange.outcome).toBe("aborted");
      expect(exchange.status).toBe(499);
    }
    expect(upstream.requests).toHaveLength(0);
    expect(proxy.logs.filter((line) => line.level === "error")).toEqual([]);
    expect(await abortedInStats()).toBe(before + 8);
  });
});

describe("a client that leaves before the upstream answered", () => {
  test("the upstream request is cancelled", async () => {
    upstream.always(async () => {
      await Bun.sleep(60_000);
      return new Response("{}");
    });
    for (const api of APIS) {
      const controller = new AbortController();
      const pending = fetch(`${proxy.url}${api.path}`, {
        method: "POST",
        body: JSON.stringify({ ...api.body("hi"), stream: true }),
        signal: controller.signal,
      }).catch((error: Error) => error.name);
      await waitFor(() => upstream.requests.length === 1);
      controller.abort();
      expect(await pending).toBe("AbortError");
      await waitFor(() => upstream.abortedRequests === 1);
      await waitFor(() => proxy.exchanges.length === 1);
      expect(proxy.exchanges.pop()!.outcome).toBe("aborted");
      upstream.requests.length = 0;
      upstream.abortedRequests = 0;
    }
  });
});

describe("a client that leaves mid-answer", () => {
  test("mid-stream, on every API and on the retrieval path: the upstream stream is cancelled", async () => {
    const before = await abortedInStats();
    let cases = 0;
    for (const api of APIS) {
      for (const text of ["hi", MARKER]) {
        upstream.once(() => upstream.stream([...api.events], { stopAfter: 2, ending: "stall" }));
        const controller = new AbortController();
        const res = await fetch(`${proxy.url}${api.path}`, {
          method: "POST",
          body: JSON.stringify({ ...api.body(text), stream: true }),
          signal: controller.signal,
        });
        const reader = res.body!.getReader();
        await reader.read();
        controller.abort();
        cases++;
        await waitFor(() => upstream.cancelledStreams === cases);
        await waitFor(() => proxy.exchanges.length === cases);
        expect(proxy.exchanges.at(-1)!.outcome).toBe("aborted");
      }
    }
    expect(await abortedInStats()).toBe(before + cases);
  });

  test("mid-way through a non-streamed JSON body: the upstream body is cancelled", async () => {
    for (const api of APIS) {
      upstream.once(() =>
        upstream.stream([api.whole.slice(0, 30)], {
          ending: "stall",
          headers: { "content-type": "application/json" },
        }),
      );
      const controller = new AbortController();
      const res = await fetch(`${proxy.url}${api.path}`, {
        method: "POST",
        body: JSON.stringify(api.body("hi")),
        signal: controller.signal,
      });
      const reader = res.body!.getReader();
      await reader.read();
      controller.abort();
      await waitFor(() => upstream.cancelledStreams === 1);
      await waitFor(() => proxy.exchanges.length === 1);
      expect(proxy.exchanges.pop()!.outcome).toBe("aborted");
      upstream.reset();
    }
  });

  test("during a retrieval round: the continuation request is cancelled and the exchange is aborted", async () => {
    const retrieve = {
      kind: "tool",
      name: "headroom_retrieve",
      input: { hash: "0123456789abcdef01234567" },
    } as const;
    for (const stream of [false, true]) {
      upstream.once(() =>
        stream
          ? upstream.stream(anthropicStream(retrieve, "m"))
          : new Response(anthropicMessage(retrieve, "m")),
      );
      // The continuation headroom sends with the original never answers.
      upstream.once(async () => {
        await Bun.sleep(60_000);
        return new Response("{}");
      });
      const controller = new AbortController();
      const pending = fetch(`${proxy.url}/v1/messages`, {
        method: "POST",
        body: JSON.stringify({ ...APIS[0].body(MARKER), stream }),
        signal: controller.signal,
      }).catch(() => undefined);
      await waitFor(() => upstream.requests.length === 2);
      controller.abort();
      await pending;
      await waitFor(() => upstream.abortedRequests === 1);
      await waitFor(() => proxy.exchanges.length === 1);
      expect(proxy.exchanges.pop()!.outcome).toBe("aborted");
      upstream.reset();
    }
  });
});
