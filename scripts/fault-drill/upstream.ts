/**
 * The fault drill's fake provider, run as its own process: POST /v1/messages with "stream": true
 * answers an Anthropic stream that sends its first events at once and then one delta a second,
 * so it stays open until the client side cancels it. Each stream is named by the request's
 * metadata.user_id, and the moment its cancellation arrives is recorded (epoch milliseconds,
 * sub-millisecond precision, comparable across processes on one machine).
 * GET /drill/stats answers {open, started, completed, cancelled: {id: at}}. Prints its URL.
 */

const encoder = new TextEncoder();
const event = (name: string, data: unknown) =>
  encoder.encode(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);

const START = [
  event("message_start", {
    type: "message_start",
    message: {
      id: "msg_drill",
      type: "message",
      role: "assistant",
      model: "claude-sonnet-4-5",
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 10, output_tokens: 1 },
    },
  }),
  event("content_block_start", {
    type: "content_block_start",
    index: 0,
    content_block: { type: "text", text: "" },
  }),
];
const DELTA = event("content_block_delta", {
  type: "content_block_delta",
  index: 0,
  delta: { type: "text_delta", text: "still thinking " },
});
const END = [
  event("content_block_stop", { type: "content_block_stop", index: 0 }),
  event("message_delta", {
    type: "message_delta",
    delta: { stop_reason: "end_turn", stop_sequence: null },
    usage: { output_tokens: 3 },
  }),
  event("message_stop", { type: "message_stop" }),
];

/** Epoch milliseconds with sub-millisecond precision. */
const now = () => performance.timeOrigin + performance.now();

let open = 0;
let started = 0;
let completed = 0;
const cancelled: Record<string, number> = {};

const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  idleTimeout: 0,
  async fetch(request) {
    if (request.method === "GET" && new URL(request.url).pathname === "/drill/stats") {
      return Response.json({ open, started, completed, cancelled });
    }
    const body = (await request.json()) as { stream?: boolean; metadata?: { user_id?: string } };
    const id = body.metadata?.user_id ?? `anonymous-${started}`;
    // A short-lived stream (warm-up) ends after three deltas; a drill stream never ends by itself.
    const deltas = id.startsWith("warm") ? 3 : Number.POSITIVE_INFINITY;
    started++;
    open++;
    let sent = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    return new Response(
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (const chunk of START) controller.enqueue(chunk);
        },
        pull(controller) {
          return new Promise<void>((resolve) => {
            timer = setTimeout(
              () => {
                if (sent++ < deltas) controller.enqueue(DELTA);
                else {
                  for (const chunk of END) controller.enqueue(chunk);
                  controller.close();
                  open--;
                  completed++;
                }
                resolve();
              },
              deltas === Number.POSITIVE_INFINITY ? 1000 : 5,
            );
          });
        },
        cancel() {
          cancelled[id] = now();
          clearTimeout(timer);
          open--;
        },
      }),
      { headers: { "content-type": "text/event-stream", "cache-control": "no-cache" } },
    );
  },
});
console.log(`http://127.0.0.1:${server.port}`);
