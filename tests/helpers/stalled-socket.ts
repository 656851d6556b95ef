/**
 * The far side of a WebSocket that stops reading, on a raw TCP socket (a Bun.serve or `ws`
 * socket always reads): an upstream that accepts the handshake and then reads nothing, and the
 * frame walk that tells, once it reads again, whether a close frame ever reached it.
 */

import { createHash } from "node:crypto";
import { createServer, type Socket } from "node:net";

// RFC 6455 §1.3: the GUID the accept key is derived with.
const ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/** A TCP socket that was paused, read again to its end. */
export interface PausedPeer {
  /** Resumes reading; resolves with every byte received once the connection ends. */
  readToEnd(): Promise<Uint8Array>;
}

/** Starts reading a paused socket again and collects what arrives until the connection ends. */
export function readToEnd(socket: Socket): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const ended = new Promise<Uint8Array>((resolve) => {
    const finish = () => resolve(Buffer.concat(chunks));
    socket.on("data", (chunk: Uint8Array) => chunks.push(chunk));
    socket.once("end", finish);
    socket.once("close", finish);
    socket.once("error", finish);
  });
  socket.resume();
  return ended;
}

/** An upstream that completes one WebSocket handshake, then stops reading. */
export class StalledSocketUpstream {
  readonly #server = createServer((socket) => this.#accept(socket));
  readonly #peer = Promise.withResolvers<PausedPeer>();
  readonly #sockets: Socket[] = [];

  /** Resolves once listening. */
  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, "127.0.0.1", resolve));
    return this;
  }

  get url(): string {
    const address = this.#server.address();
    if (!address || typeof address === "string") throw new Error("not listening");
    return `http://127.0.0.1:${address.port}`;
  }

  /** The accepted socket, once its handshake is answered. */
  get peer(): Promise<PausedPeer> {
    return this.#peer.promise;
  }

  #accept(socket: Socket): void {
    this.#sockets.push(socket);
    socket.once("data", (head: Uint8Array) => {
      socket.pause();
      const key = /^sec-websocket-key:\s*(\S+)/im.exec(new TextDecoder().decode(head))?.[1];
      const accept = createHash("sha1")
        .update(key + ACCEPT_GUID)
        .digest("base64");
      socket.write(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
          `Sec-WebSocket-Accept: ${accept}\r\n\r\n`,
      );
      this.#peer.resolve({ readToEnd: () => readToEnd(socket) });
    });
  }

  stop(): void {
    for (const socket of this.#sockets) socket.destroy();
    this.#server.close();
  }
}

/**
 * The opcodes of the whole frames in `bytes` (masked or not), in order; a frame cut off by the
 * end of the connection is left out.
 */
export function frameOpcodes(bytes: Uint8Array): number[] {
  const opcodes: number[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  while (at + 2 <= bytes.length) {
    const masked = (bytes[at + 1]! & 0x80) !== 0;
    let length = bytes[at + 1]! & 0x7f;
    let head = 2;
    if (length === 126) {
      if (at + 4 > bytes.length) break;
      length = view.getUint16(at + 2);
      head = 4;
    } else if (length === 127) {
      if (at + 10 > bytes.length) break;
      length = Number(view.getBigUint64(at + 2));
      head = 10;
    }
    if (masked) head += 4;
    if (at + head + length > bytes.length) break;
    opcodes.push(bytes[at]! & 0x0f);
    at += head + length;
  }
  return opcodes;
}
