/**
 * A recording pass-through on 127.0.0.1 between a client and the proxy: it keeps every request
 * exactly as the client sent it (headers and body bytes) and relays it, streamed answer and all,
 * so a test can compare what a client sent with what the upstream received behind the proxy.
 */

import { createHash } from "node:crypto";
import type { RecordedRequest } from "./fake-upstream.ts";

// The tap's own fetch negotiates and decodes encodings, as the proxy's does.
const NOT_RELAYED = ["host", "content-length", "accept-encoding", "connection"];
const NOT_RETURNED = ["content-encoding", "content-length", "transfer-encoding", "connection"];

export class ClientTap {
  /** Requests as the client sent them, in order. */
  readonly requests: RecordedRequest[] = [];
  readonly #server: ReturnType<typeof Bun.serve>;

  constructor(target: () => string) {
    this.#server = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      idleTimeout: 0,
      fetch: async (request) => {
        const url = new URL(request.url);
        const body = new Uint8Array(await request.arrayBuffer());
        let json: unknown;
        try {
          json = JSON.parse(new TextDecoder().decode(body));
        } catch {
          json = undefined;
        }
        this.requests.push({
          method: request.method,
          path: url.pathname,
          query: url.search.slice(1),
          headers: new Headers(request.headers),
          body,
          sha256: createHash("sha256").update(body).digest("hex"),
          json,
        });
        const headers = new Headers(request.headers);
        for (const name of NOT_RELAYED) headers.delete(name);
        const answer = await fetch(`${target()}${url.pathname}${url.search}`, {
          method: request.method,
          headers,
          body: body.length > 0 ? body : undefined,
        });
        const back = new Headers(answer.headers);
        for (const name of NOT_RETURNED) back.delete(name);
        return new Response(answer.body, { status: answer.status, headers: back });
      },
    });
  }

  /** The base URL to give the client instead of the proxy's. */
  get url(): string {
    return `http://127.0.0.1:${this.#server.port}`;
  }

  stop(): void {
    this.#server.stop(true);
  }
}
