/**
 * Slow and stuck clients (slowloris): connections that trickle their headers or body a byte at a
 * time must not hold up anyone else, and one that falls silent mid-body is closed by the
 * server's idle timeout (Bun.serve idleTimeout; 60 s in production, 1 s here) and recorded as
 * aborted. A connection still inside its headers never reaches headroom at all: Bun closes it
 * after its own header timeout, trickling or not, whatever idleTimeout says (measured: 12 s).
 */

import { afterAll, describe, expect, test } from "bun:test";
import { FakeUpstream } from "../helpers/fake-upstream.ts";
import { json } from "../helpers/http.ts";
import { serveApp, waitFor } from "../helpers/proxy.ts";
import { anthropicStream } from "../helpers/wire.ts";

const upstream = new FakeUpstream();
const proxy = serveApp({ upstream: upstream.url, idleTimeoutSeconds: 1 });
const port = Number(new URL(proxy.url).port);
afterAll(async () => {
  await proxy.stop();
  upstream.stop();
});

/** A raw connection to the proxy that reports when the server closed it. */
async function connect(): Promise<{ write(text: string): void; closed(): boolean; end(): void }> {
  let closed = false;
  const socket = await Bun.connect({
    hostname: "127.0.0.1",
    port,
    socket: {
      data() {},
      close() {
        closed = true;
      },
    },
  });
  return {
    write: (text) => socket.write(text),
    closed: () => closed,
    end: () => socket.end(),
  };
}

describe("slowloris", () => {
  test("clients trickling headers and bodies byte by byte do not hold up other clients", async () => {
    const head =
      "POST /v1/messages HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n";
    const body = '{"model":"m","messages":[{"role":"user","content":"slow"}]}';
    const slow = await Promise.all(Array.from({ length: 60 }, () => connect()));
    let trickling = true;
    let trickled = 0;
    // Half trickle their headers, half their body, one byte every 20 ms.
    const trickle = Promise.all(
      slow.map(async (client, i) => {
        const bytes =
          i % 2 === 0 ? head : `${head}content-length: ${body.length}\r\n\r\n${body.slice(0, -1)}`;
        let at = i % 2 === 0 ? 0 : bytes.length - body.length + 1;
        if (at > 0) client.write(bytes.slice(0, at));
        while (trickling && at < bytes.length) {
          client.write(bytes[at++]!);
          trickled++;
          await Bun.sleep(20);
        }
      }),
    );
    try {
      // Every slow client is well under way (ten bytes each) before the others arrive.
      await waitFor(() => trickled >= slow.length * 10);
      // Meanwhile ordinary clients are answered, streams included.
      const answers = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          fetch(`${proxy.url}/v1/messages`, {
            method: "POST",
            body: JSON.stringify({ model: "m", stream: i % 2 === 0 }),
          }).then((res) => res.text()),
        ),
      );
      const events = anthropicStream({ kind: "text", text: "Hello from the fake upstream." }, "m");
      for (const [i, text] of answers.entries()) {
        if (i % 2 === 0) expect(text).toBe(events.join(""));
        else expect(JSON.parse(text).type).toBe("message");
      }
      expect((await json(fetch(`${proxy.url}/health`))).status).toBe("healthy");
      // The trickling clients are still being waited for: nothing of theirs reached upstream.
      expect(upstream.requests.filter((r) => r.json?.messages)).toHaveLength(0);
    } finally {
      trickling = false;
      await trickle;
      for (const client of slow) client.end();
    }
  });

  test("a client silent mid-body is closed by the idle timeout and recorded as aborted", async () => {
    const client = await connect();
    client.write(
      'POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: 500\r\n\r\n{"model":',
    );
    await waitFor(client.closed, 15_000);
    const mine = () => proxy.exchanges.filter((e) => e.path === "/v1/chat/completions");
    await waitFor(() => mine().length === 1);
    expect(mine()[0]!.outcome).toBe("aborted");
    expect(upstream.requests.filter((r) => r.path === "/v1/chat/completions")).toHaveLength(0);
  });
});
