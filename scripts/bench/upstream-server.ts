/**
 * A minimal fake provider for benchmarks, run as its own process so it does not share an event
 * loop with the client or the proxy: POST /v1/messages answers a small JSON message, or with
 * `"stream": true` a 200-event Anthropic stream; GET /__stats says how many requests it answered
 * (to check that a gateway under test really forwarded them). Prints its URL on stdout.
 */

const message = JSON.stringify({
  id: "msg_bench",
  type: "message",
  role: "assistant",
  model: "claude-sonnet-4-5",
  content: [{ type: "text", text: "ok" }],
  stop_reason: "end_turn",
  stop_sequence: null,
  usage: {
    input_tokens: 10,
    output_tokens: 1,
    cache_read_input_tokens: 0,
    cache_creation_input_tokens: 0,
  },
});

function streamEvents(count: number): string[] {
  const events = [
    `event: message_start\ndata: {"type":"message_start","message":{"id":"msg_bench","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":10,"output_tokens":1}}}\n\n`,
    `event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n`,
  ];
  for (let i = 0; i < count - 5; i++) {
    events.push(
      `event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"token ${i} "}}\n\n`,
    );
  }
  events.push(
    `event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n`,
    `event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":${count}}}\n\n`,
    `event: message_stop\ndata: {"type":"message_stop"}\n\n`,
  );
  return events;
}

const encoder = new TextEncoder();
const events = streamEvents(200).map((event) => encoder.encode(event));

let answered = 0;

const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  idleTimeout: 0,
  async fetch(request) {
    if (request.method === "GET" && new URL(request.url).pathname === "/__stats") {
      return Response.json({ requests: answered });
    }
    answered++;
    const body = await request.text();
    if (!body.includes('"stream":true')) {
      return new Response(message, { headers: { "content-type": "application/json" } });
    }
    let i = 0;
    return new Response(
      new ReadableStream<Uint8Array>({
        pull(controller) {
          if (i < events.length) controller.enqueue(events[i++]!);
          else controller.close();
        },
      }),
      { headers: { "content-type": "text/event-stream" } },
    );
  },
});
console.log(`http://127.0.0.1:${server.port}`);
