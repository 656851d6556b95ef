/**
 * A load client run as its own process: `bun test` caps its own outbound fetches at 256 whatever
 * BUN_CONFIG_MAX_HTTP_REQUESTS says, so tests that need more concurrent client connections spawn
 * this script instead. Prints one JSON line: {"ok": n, "failed": n, "errors": [...]}.
 *
 *   bun tests/helpers/load-client.ts URL COUNT BODY MUST_CONTAIN [abort]
 *
 * With "abort", each client reads the first chunk of its answer (which must contain
 * MUST_CONTAIN), then goes away mid-answer.
 */

const [url, countText, body, mustContain, mode] = process.argv.slice(2);
const count = Number(countText);
let ok = 0;
let failed = 0;
const errors: string[] = [];
await Promise.all(
  Array.from({ length: count }, async () => {
    try {
      const controller = new AbortController();
      const res = await fetch(url!, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: body!,
        signal: controller.signal,
      });
      let text: string;
      if (mode === "abort") {
        const first = await res.body!.getReader().read();
        text = new TextDecoder().decode(first.value);
        controller.abort();
      } else text = await res.text();
      if (res.status === 200 && text.includes(mustContain!)) ok++;
      else {
        failed++;
        if (errors.length < 5) errors.push(`${res.status} ${text.slice(0, 200)}`);
      }
    } catch (error) {
      failed++;
      if (errors.length < 5) errors.push(String(error));
    }
  }),
);
console.log(JSON.stringify({ ok, failed, errors }));
