/**
 * Faults in the middle of the upstream's answer: the connection drops, the answer stalls, the
 * JSON is cut short, the SSE is malformed, the body is gzip/zstd/br encoded. Covered on the plain
 * relay and on the retrieval path (a request carrying a marker, where headroom reads the answer
 * itself to handle headroom_retrieve calls).
 */

import { describe, expect, test } from "bun:test";
import { brotliCompressSync, gzipSync, zstdCompressSync } from "node:zlib";
import { startBinary } from "../helpers/binary.ts";
import { json } from "../helpers/http.ts";
import { proxiedUpstream } from "../helpers/proxied-upstream.ts";
import { waitFor } from "../helpers/proxy.ts";
import { rawUpstream } from "../helpers/raw-upstream.ts";
import { GENERATION_APIS } from "../helpers/wire.ts";

const { upstream, proxy } = proxiedUpstream({ env: { HEADROOM_REQUEST_TIMEOUT: "0.4" } });

// A marker in the user's text: headroom offers headroom_retrieve and reads the answer itself.
const MARKER = "[headroom: 40 rows; headroom_retrieve hash=0123456789abcdef01234567]";

const APIS = GENERATION_APIS;

const PATHS = [
  { name: "plain relay", marker: false },
  { name: "retrieval path", marker: true },
] as const;

type Api = (typeof APIS)[number];

function send(
  api: Api,
  marker: boolean,
  stream: boolean,
  headers: Record<string, string> = {},
  base = proxy.url,
) {
  return fetch(`${base}${api.path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ ...api.body(marker ? MARKER : "hi"), stream }),
  });
}

/** The body as text, or the error the client's fetch raised while reading it. */
async function readOrError(res: Response): Promise<{ text?: string; error?: string }> {
  try {
    return { text: await res.text() };
  } catch (error) {
    return { error: String(error) };
  }
}

async function lastExchange() {
  await waitFor(() => proxy.exchanges.length === 1);
  return proxy.exchanges.pop()!;
}

describe("the upstream connection drops mid-answer", () => {
  test("a stream cut at the TCP level ends with the API's own error event after what was sent", async () => {
    for (const api of APIS) {
      for (const { marker } of PATHS) {
        const sent = api.events.slice(0, 3).join("");
        const raw = rawUpstream(
          "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n" +
            `${sent.length.toString(16)}\r\n${sent}\r\n`,
        );
        try {
          const res = await send(api, marker, true, { "x-headroom-base-url": raw.url });
          expect(res.status).toBe(200);
          const text = await res.text();
          expect(text.startsWith(sent)).toBe(true);
          const tail = text.slice(sent.length);
          expect(tail).toMatch(/^(event: error\n)?data: \{.*"(server_error|api_error)"/);
          expect((await lastExchange()).outcome).toBe("failed");
        } finally {
          raw.stop();
        }
      }
    }
  });

  test("a JSON answer shorter than its content-length never reaches the client as a complete 200", async () => {
    for (const api of APIS) {
      const half = api.whole.slice(0, 40);
      const raw = rawUpstream(
        `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${api.whole.length}\r\n\r\n${half}`,
      );
      try {
        // Plain relay: the status went out before the cut, so the client sees the body break.
        const plain = await readOrError(
          await send(api, false, false, { "x-headroom-base-url": raw.url }),
        );
        expect(plain.error).toBeDefined();
        expect((await lastExchange()).outcome).toBe("failed");
        // Retrieval path: headroom reads the answer first, so the client gets a clean 502.
        const res = await send(api, true, false, { "x-headroom-base-url": raw.url });
        expect(res.status).toBe(502);
        const body = await json(res);
        if (api.provider === "anthropic") expect(body.error.type).toBe("api_error");
        else expect(body.error.type).toBe("server_error");
        expect((await lastExchange()).outcome).toBe("failed");
      } finally {
        raw.stop();
      }
    }
  });
});

describe("the upstream fails after its headers, before the first byte of its answer", () => {
  test("a drop, a corrupt encoding or a silence is a clean error in the provider's shape", async () => {
    const head = (type: string, extra = "") =>
      `HTTP/1.1 200 OK\r\ncontent-type: ${type}\r\n${extra}transfer-encoding: chunked\r\n\r\n`;
    const corrupt = gzipSync(APIS[0].whole);
    corrupt.set([1, 2, 3, 4, 5, 6, 7, 8], 20);
    const encoder = new TextEncoder();
    const faults = [
      { name: "drop", status: 502, answer: (type: string) => head(type) },
      {
        name: "corrupt gzip",
        status: 502,
        // Bun's fetch prints "Decompression error" to the console itself, where no logger can
        // take it: the executable, whose stderr the test holds, meets this answer instead.
        inExecutable: true,
        answer: (type: string) =>
          Buffer.concat([
            encoder.encode(
              `${head(type, "content-encoding: gzip\r\n")}${corrupt.length.toString(16)}\r\n`,
            ),
            corrupt,
            encoder.encode("\r\n0\r\n\r\n"),
          ]),
      },
      { name: "silence", status: 504, answer: (type: string) => head(type), hold: true },
    ];
    const cases = faults.flatMap((fault) =>
      APIS.flatMap((api) => [false, true].map((stream) => ({ fault, api, stream }))),
    );
    const executable = await startBinary(["--stateless"], { HEADROOM_REQUEST_TIMEOUT: "0.4" });
    try {
      // All at once: the silences wait out the same read timeout.
      await Promise.all(
        cases.map(async ({ fault, api, stream }) => {
          const type = stream ? "text/event-stream" : "application/json";
          const raw = rawUpstream(fault.answer(type), { hold: fault.hold === true });
          const base = "inExecutable" in fault ? executable.url : proxy.url;
          try {
            const res = await send(api, false, stream, { "x-headroom-base-url": raw.url }, base);
            expect(`${fault.name} ${res.status}`).toBe(`${fault.name} ${fault.status}`);
            expect(res.headers.get("content-type")).toBe("application/json");
            const body = await json(res);
            if (api.provider === "anthropic") expect(body.type).toBe("error");
            else expect(body.error.type).toBe("server_error");
          } finally {
            raw.stop();
          }
        }),
      );
      const inProcess = cases.filter(({ fault }) => !("inExecutable" in fault)).length;
      await waitFor(() => proxy.exchanges.length === inProcess);
      expect(proxy.exchanges.every((e) => e.outcome === "failed")).toBe(true);
      const stats = await json(fetch(`${executable.url}/stats`));
      expect(stats.requests.failed).toBe(cases.length - inProcess);
      expect(stats.requests.total).toBe(cases.length - inProcess);
      expect(await executable.stop()).toBe(0);
    } finally {
      executable.proc.kill("SIGKILL");
    }
  });
});

describe("the upstream stalls mid-answer (HEADROOM_REQUEST_TIMEOUT between chunks)", () => {
  const cases = APIS.flatMap((api) => PATHS.map(({ marker }) => ({ api, marker })));

  test("a stalled stream ends with an error event and the upstream stream is cancelled", async () => {
    upstream.always((request) => {
      const api = APIS.find((a) => a.path === request.path)!;
      return upstream.stream([...api.events], { stopAfter: 2, ending: "stall" });
    });
    // All six at once: each waits out the same timeout.
    await Promise.all(
      cases.map(async ({ api, marker }) => {
        const text = await (await send(api, marker, true)).text();
        expect(text.startsWith(api.events.slice(0, 2).join(""))).toBe(true);
        expect(text).toContain("The upstream sent nothing for too long");
      }),
    );
    await waitFor(() => upstream.cancelledStreams === cases.length);
    await waitFor(() => proxy.exchanges.length === cases.length);
    expect(proxy.exchanges.every((e) => e.outcome === "failed")).toBe(true);
  });

  test("a stalled JSON answer is cut for the client and cancelled upstream", async () => {
    upstream.always((request) => {
      const api = APIS.find((a) => a.path === request.path)!;
      return upstream.stream([api.whole.slice(0, 30)], {
        ending: "stall",
        headers: { "content-type": "application/json" },
      });
    });
    await Promise.all(
      cases.map(async ({ api, marker }) => {
        const res = await send(api, marker, false);
        const read = await readOrError(res);
        // The retrieval path had not answered yet: a clean 502; the plain relay breaks the body.
        if (marker) expect(res.status).toBe(502);
        else expect(read.error).toBeDefined();
      }),
    );
    await waitFor(() => upstream.cancelledStreams === cases.length);
    await waitFor(() => proxy.exchanges.length === cases.length);
    expect(proxy.exchanges.every((e) => e.outcome === "failed")).toBe(true);
  });
});

describe("the upstream's answer is malformed", () => {
  const garbage = [
    "data: {not json\n\n",
    "event: content_block_delta\ndata: [1,2\n\n",
    ": a comment\r\n\r\n",
    "id: 7\nretry: 10\ndata: x\n\n",
    'data: {"type":"content_block_delta","index":9,"delta":{"type":"text_delta"}}\n\n',
    "\n\n\n",
  ];

  test("malformed SSE is relayed byte for byte and the stream still completes", async () => {
    for (const api of APIS) {
      const sent = [api.events[0]!, ...garbage, ...api.events.slice(1)];
      upstream.once(() => upstream.stream(sent));
      const res = await send(api, false, true);
      expect(await res.text()).toBe(sent.join(""));
      expect((await lastExchange()).outcome).toBe("ok");
    }
  });

  test("on the retrieval path, where events are re-read, garbage neither breaks nor loses the stream", async () => {
    for (const api of APIS) {
      const sent = [api.events[0]!, ...garbage, ...api.events.slice(1)];
      upstream.once(() => upstream.stream(sent));
      const text = await (await send(api, true, true)).text();
      // Every real event arrives unchanged and in order; unparseable data is passed on too.
      let at = 0;
      for (const event of api.events) {
        at = text.indexOf(event, at);
        expect(at).toBeGreaterThanOrEqual(0);
      }
      expect(text).toContain("data: {not json\n\n");
      expect(text).not.toContain("event: error");
      expect((await lastExchange()).outcome).toBe("ok");
    }
  });

  test("a complete answer holding truncated JSON is the upstream's own answer: relayed as is", async () => {
    for (const api of APIS) {
      for (const { marker } of PATHS) {
        const cut = api.whole.slice(0, api.whole.length - 7);
        upstream.once(() => new Response(cut, { headers: { "content-type": "application/json" } }));
        const res = await send(api, marker, false);
        expect(res.status).toBe(200);
        expect(await res.text()).toBe(cut);
        const exchange = await lastExchange();
        expect(exchange.outcome).toBe("ok");
        expect(exchange.usage.inputTokens).toBeUndefined();
      }
    }
  });
});

describe("encoded upstream answers", () => {
  const codings = [
    ["gzip", gzipSync],
    ["zstd", zstdCompressSync],
    ["br", brotliCompressSync],
  ] as const;

  test("gzip, zstd and br answers reach the client decoded, without a stale encoding or length", async () => {
    for (const api of APIS) {
      for (const { marker } of PATHS) {
        for (const [coding, encode] of codings) {
          for (const stream of [false, true]) {
            const plain = stream ? api.events.join("") : api.whole;
            const type = stream ? "text/event-stream" : "application/json";
            upstream.once(
              () =>
                new Response(encode(plain), {
                  headers: { "content-type": type, "content-encoding": coding },
                }),
            );
            const res = await send(api, marker, stream);
            expect(res.headers.get("content-encoding")).toBeNull();
            const length = res.headers.get("content-length");
            const bytes = new Uint8Array(await res.arrayBuffer());
            if (length !== null) expect(Number(length)).toBe(bytes.length);
            expect(new TextDecoder().decode(bytes)).toBe(plain);
            const exchange = await lastExchange();
            expect(exchange.outcome).toBe("ok");
            // Usage was read from the decoded bytes.
            expect(exchange.usage.outputTokens).toBe(12);
          }
        }
      }
    }
  });
});
