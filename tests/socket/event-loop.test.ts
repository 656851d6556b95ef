/**
 * Compression off the event loop: while a 1 MB JSON tool output compresses, another stream
 * through the proxy keeps flowing. Everything here (fake upstream, proxy, client) shares one
 * event loop, so any stall on it shows up as a gap between the stream's chunks at the client.
 * A gap is measured by the time the event loop's thread spent running during it (Linux's
 * schedstat; the wall clock elsewhere): on a busy shared machine the thread also waits for a
 * core, and those waits, printed beside, are the neighbours' doing, not the proxy's.
 */

import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { CompressPool } from "../../src/runtime/compress-pool.ts";
import { proxiedUpstream } from "../helpers/proxied-upstream.ts";
import { waitFor } from "../helpers/proxy.ts";
import { chatStream } from "../helpers/wire.ts";

// `jq '{version, zones: .zones[0:117]}'` over Debian's moment-timezone data: 996,594 characters.
const fixtures = join(import.meta.dir, "..", "fixtures", "pool");
const timezones = gunzipSync(readFileSync(join(fixtures, "jq-timezones.json.gz"))).toString("utf8");
// `npm query '*'` in this repository: 171,784 characters.
const packages = readFileSync(join(fixtures, "npm-query.json"), "utf8");

// One worker: on a 2-core machine the other core stays with the event loop.
const pool = new CompressPool({ size: 1 });
afterAll(() => pool.close());
const { upstream, proxy } = proxiedUpstream({
  compress: pool.run,
  countTokens: pool.countTokens,
  // Long enough for a cold worker on a busy machine: this test is about the stream, not the budget.
  env: { HEADROOM_COMPRESSION_BUDGET_MS: "30000" },
});

const SCHEDSTAT = "/proc/thread-self/schedstat";
/** Milliseconds this thread has run on a CPU (its first schedstat field is nanoseconds). */
const runningMs = existsSync(SCHEDSTAT)
  ? () => Number(readFileSync(SCHEDSTAT, "utf8").split(" ")[0]) / 1e6
  : () => performance.now();

const encoder = new TextEncoder();
const TICK_MS = 3;
const TICKS = 600;

/** A chat completion stream of TICKS content events, one every TICK_MS. */
function tickingStream(): Response {
  const [first, delta, ...last] = chatStream({ kind: "text", text: "tick" }, "gpt-4o");
  const events = [first!, ...Array.from({ length: TICKS }, () => delta!), ...last];
  let index = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (index > 0) await Bun.sleep(TICK_MS);
      if (index < events.length) controller.enqueue(encoder.encode(events[index++]!));
      else controller.close();
    },
  });
  return new Response(body, { headers: { "content-type": "text/event-stream" } });
}

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${proxy.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

/** A chat request whose newest turn is one tool output. */
const withToolOutput = (question: string, output: string) => ({
  model: "gpt-4o",
  messages: [
    { role: "user", content: question },
    {
      role: "assistant",
      content: null,
      tool_calls: [{ id: "call_1", type: "function", function: { name: "sh", arguments: "{}" } }],
    },
    { role: "tool", tool_call_id: "call_1", content: output },
  ],
});

/**
 * One stream and one large request at once: the stream's largest gaps, and what happened. With
 * `headers` the large request can be sent as a bypass, which moves the same bytes uncompressed.
 */
async function streamDuringLargeRequest(output: string, headers: Record<string, string> = {}) {
  proxy.exchanges.length = 0;
  // Earlier test files leave a large heap behind: collect it now rather than mid-measure.
  Bun.gc(true);
  // The stream gets the ticking answer; the large request the fake upstream's usual one.
  upstream.once(() => tickingStream());
  const stream = await post({
    model: "gpt-4o",
    stream: true,
    messages: [{ role: "user", content: "count" }],
  });
  const reader = stream.body!.getReader();
  await reader.read();
  const arrivals = [performance.now()];
  const running = [runningMs()];

  let answeredAt = 0;
  const large = post(
    withToolOutput("Which zones observe daylight saving time?", output),
    headers,
  ).then(async (res) => {
    await res.text();
    answeredAt = performance.now();
  });
  for (;;) {
    const { done } = await reader.read();
    if (done) break;
    arrivals.push(performance.now());
    running.push(runningMs());
  }
  await large;
  let gap = 0;
  let wall = 0;
  for (let i = 1; i < arrivals.length; i++) {
    gap = Math.max(gap, running[i]! - running[i - 1]!);
    wall = Math.max(wall, arrivals[i]! - arrivals[i - 1]!);
  }
  await waitFor(() => proxy.exchanges.length === 2);
  const compressed = proxy.exchanges.find((exchange) => !exchange.stream)!;
  return {
    gap,
    wall,
    transforms: compressed.transforms,
    overlapped: answeredAt < arrivals.at(-1)!,
  };
}

// Compression on the event loop would add its whole run (tens of milliseconds for this output,
// hundreds on a slow machine) to one gap; what is allowed on top of the uncompressed gap is the
// work that must stay on the loop: handing the text to the worker, splicing, storing the original.
const ALLOWED_EXTRA_MS = 20;

describe("compression off the event loop", () => {
  test(`a stream keeps flowing while a 1 MB JSON output compresses: under ${ALLOWED_EXTRA_MS} ms of event-loop time more than the same request uncompressed`, async () => {
    // A proxy that has been running: its code paths compiled, its workers and tokenizer loaded.
    await (await post(withToolOutput("Which packages are dev dependencies?", packages))).text();
    await (await post(withToolOutput("Which zones are there?", `${timezones}\n\n\n\n`))).text();

    // The gap the same megabyte makes without compression: client, proxy and fake upstream share
    // this one event loop, so reading, parsing and relaying it shows up here on any machine.
    // The larger of two such gaps: it varies by a third from run to run.
    const bypass = { "x-headroom-bypass": "1" };
    const uncompressedGaps: number[] = [];
    for (const tail of ["\n\n\n\n\n\n", "\n\n\n\n\n\n\n"]) {
      const run = await streamDuringLargeRequest(timezones + tail, bypass);
      expect(run.transforms).toEqual([]);
      uncompressedGaps.push(run.gap);
    }
    const uncompressed = Math.max(...uncompressedGaps);

    // Up to three tries, each with a new output (one more trailing newline), and the best must
    // hold.
    const limit = uncompressed + ALLOWED_EXTRA_MS;
    const gaps: number[] = [];
    const walls: number[] = [];
    for (let attempt = 1; attempt <= 3 && !gaps.some((gap) => gap < limit); attempt++) {
      const run = await streamDuringLargeRequest(timezones + "\n".repeat(attempt));
      // Each try compressed the large output, and answered it while the stream still flowed.
      expect(run.transforms.length).toBeGreaterThan(0);
      expect(run.overlapped).toBe(true);
      gaps.push(run.gap);
      walls.push(run.wall);
    }
    const ms = (list: number[]) => list.map((value) => value.toFixed(1)).join(", ");
    console.log(
      `largest gap between stream chunks: uncompressed ${ms(uncompressedGaps)} ms running; compressed, per try: ${ms(gaps)} ms running, ${ms(walls)} ms wall clock`,
    );
    expect(Math.min(...gaps)).toBeLessThan(limit);
  }, 30_000);
});
