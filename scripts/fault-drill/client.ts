/**
 * The fault drill's clients, run as their own process with BUN_CONFIG_MAX_HTTP_REQUESTS raised
 * (Bun caps concurrent fetches at 256 otherwise): opens COUNT streams through headroom, waits
 * until every one has its first event, holds them open for HOLD_MS, then aborts them: the first
 * half one by one (a millisecond apart), the rest all at once. Prints one JSON line:
 * {opened, failed, errors, aborts: [{id, at, burst}]} with `at` in epoch milliseconds.
 *
 *   bun scripts/fault-drill/client.ts URL COUNT HOLD_MS
 */

const [url, countText, holdText] = process.argv.slice(2);
const count = Number(countText);
const now = () => performance.timeOrigin + performance.now();

interface Stream {
  id: string;
  controller: AbortController;
  /** True once its first event arrived. */
  open: boolean;
}

const errors: string[] = [];
const streams: Stream[] = Array.from({ length: count }, (_, i) => ({
  id: `drill-${i}`,
  controller: new AbortController(),
  open: false,
}));

await Promise.all(
  streams.map(async (stream) => {
    try {
      const res = await fetch(url!, {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-key": "sk-ant-drill" },
        body: JSON.stringify({
          model: "claude-sonnet-4-5",
          max_tokens: 64,
          stream: true,
          metadata: { user_id: stream.id },
          messages: [{ role: "user", content: "hold on" }],
        }),
        signal: stream.controller.signal,
      });
      const reader = res.body!.getReader();
      const first = await reader.read();
      const text = new TextDecoder().decode(first.value);
      if (res.status !== 200 || !text.includes("message_start"))
        throw new Error(`${res.status} ${text.slice(0, 120)}`);
      stream.open = true;
      // Keep reading so the stream flows as a real client's would.
      void (async () => {
        for (;;) if ((await reader.read()).done) return;
      })().catch(() => {});
    } catch (error) {
      if (errors.length < 5) errors.push(String(error));
    }
  }),
);
const opened = streams.filter((s) => s.open);
await Bun.sleep(Number(holdText));

const aborts: { id: string; at: number; burst: boolean }[] = [];
const half = Math.floor(opened.length / 2);
for (const stream of opened.slice(0, half)) {
  aborts.push({ id: stream.id, at: now(), burst: false });
  stream.controller.abort();
  await Bun.sleep(1);
}
for (const stream of opened.slice(half)) {
  aborts.push({ id: stream.id, at: now(), burst: true });
  stream.controller.abort();
}
await Bun.sleep(100);
console.log(
  JSON.stringify({ opened: opened.length, failed: count - opened.length, errors, aborts }),
);
