/**
 * The selftest's stand-in for the LLM providers: a server on 127.0.0.1 that answers the four
 * generation APIs in their wire formats and records the bytes of every request it receives.
 * Its model asks `headroom_retrieve` for the original behind a marker until the original is in
 * its context, as a model that needs the elided part would.
 * @module
 */

import { markerHashes } from "../../compress/marker.ts";
import { RETRIEVE_TOOL_NAME } from "../../compress/slots.ts";
import { type Api, apiOfPath, type Reply, streamedAnswer, wholeAnswer } from "./wire.ts";

/** A request as the provider received it. */
export interface Received {
  readonly path: string;
  readonly body: string;
}

/** The fake model's answer once the original is in its context. */
export function foundText(needle: string): string {
  return `Found it: ${needle}.`;
}

/** What the fake model answers to a request whose body is `body`, given the text it looks for. */
export function modelReply(body: string, needle: string): Reply {
  if (body.includes(needle)) return { text: foundText(needle) };
  const hash = markerHashes(body)[0];
  if (hash && body.includes(RETRIEVE_TOOL_NAME))
    return { call: { id: "call_retrieve_01", name: RETRIEVE_TOOL_NAME, input: { hash } } };
  return { text: "Nothing unusual in that output." };
}

/** Whether a request of `api` with this path and JSON asks for a stream. */
function wantsStream(api: Api, url: URL, json: unknown): boolean {
  if (api === "gemini") return url.pathname.endsWith(":streamGenerateContent");
  return (json as { stream?: unknown } | null)?.stream === true;
}

/** The fake provider, listening until {@link FakeProvider.stop}. */
export class FakeProvider {
  readonly received: Received[] = [];
  readonly #server: ReturnType<typeof Bun.serve>;

  /** `needle`: the text whose presence in a request means the model has what it needs. */
  constructor(readonly needle: string) {
    this.#server = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch: (request) => this.#answer(request),
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.#server.port}`;
  }

  async #answer(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const api = apiOfPath(url.pathname);
    const body = await request.text();
    this.received.push({ path: url.pathname, body });
    if (!api || request.method !== "POST") return new Response("not found", { status: 404 });
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return Response.json({ error: { message: "not JSON" } }, { status: 400 });
    }
    const reply = modelReply(body, this.needle);
    if (!wantsStream(api, url, json))
      return new Response(wholeAnswer(api, reply), {
        headers: { "content-type": "application/json" },
      });
    const encoder = new TextEncoder();
    const events = streamedAnswer(api, reply);
    // One event per chunk, as a provider flushes them.
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const event = events.shift();
        if (event === undefined) controller.close();
        else controller.enqueue(encoder.encode(event));
      },
    });
    return new Response(stream, { headers: { "content-type": "text/event-stream" } });
  }

  stop(): void {
    this.#server.stop(true);
  }
}
