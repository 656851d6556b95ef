/**
 * A WebSocket handshake written by hand on a TCP socket, for tests that need the HTTP answer to
 * a refused upgrade (a WebSocket client only reports that it failed, not the status or body).
 */

/** Sends an upgrade for /v1/responses to `url` with `key`; resolves with the raw answer. */
export async function rawHandshake(url: string, key: string): Promise<string> {
  const port = Number(new URL(url).port);
  let text = "";
  const done = Promise.withResolvers<void>();
  const socket = await Bun.connect({
    hostname: "127.0.0.1",
    port,
    socket: {
      data(_socket, data) {
        text += new TextDecoder().decode(data);
        // The answer is a JSON error body: done once it is whole.
        if (text.includes("\r\n\r\n") && /}\s*$/.test(text)) done.resolve();
      },
      close() {
        done.resolve();
      },
    },
  });
  const lines = [
    "GET /v1/responses HTTP/1.1",
    `Host: 127.0.0.1:${port}`,
    "Connection: Upgrade",
    "Upgrade: websocket",
    "Sec-WebSocket-Version: 13",
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
    `Authorization: Bearer ${key}`,
  ];
  socket.write(`${lines.join("\r\n")}\r\n\r\n`);
  await done.promise;
  socket.end();
  return text;
}
