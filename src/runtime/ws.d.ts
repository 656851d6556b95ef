/**
 * The part of the `ws` client API headroom uses. Bun implements `ws` itself (no package is
 * installed for it); unlike the WebSocket global, it reports the upgrade response's headers and
 * the status of a refused handshake.
 */
declare module "ws" {
  import type { IncomingMessage } from "node:http";

  export default class WebSocket {
    constructor(
      url: string,
      protocols: string[],
      options: { headers: Record<string, string>; perMessageDeflate?: boolean },
    );
    readonly protocol: string;
    readonly bufferedAmount: number;
    send(data: string | Uint8Array): void;
    close(code?: number, reason?: string): void;
    terminate(): void;
    on(event: "open", listener: () => void): this;
    on(event: "upgrade", listener: (response: IncomingMessage) => void): this;
    on(
      event: "unexpected-response",
      listener: (request: unknown, response: IncomingMessage) => void,
    ): this;
    on(event: "error", listener: (error: Error) => void): this;
    on(event: "message", listener: (data: Uint8Array, isBinary: boolean) => void): this;
    on(event: "close", listener: (code: number, reason: Uint8Array) => void): this;
    removeAllListeners(): this;
  }
}
