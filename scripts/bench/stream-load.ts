/**
 * Opens COUNT concurrent streamed Anthropic requests through a proxy, each carrying its own
 * compressible tool output of about BYTES, and reads every stream to its end. Run as its own
 * process (Bun caps a process's concurrent fetches at 256 unless told otherwise at start).
 * Prints one JSON line: {"ok": n, "failed": n, "errors": [...]}.
 *
 *   bun stream-load.ts URL COUNT BYTES INTERVAL_MS CHARS
 */

import { KINDS, toolOutput } from "./samples.ts";

const [url, countText, bytesText, intervalText, charsText] = process.argv.slice(2);
const count = Number(countText);
const bytes = Number(bytesText);
const bodies = Array.from({ length: count }, (_, i) =>
  JSON.stringify({
    model: "claude-sonnet-4-5",
    max_tokens: 1024,
    stream: true,
    messages: [
      { role: "user", content: `Session ${i}: what went wrong?` },
      // BYTES 0: a plain question, nothing to compress.
      ...(bytes === 0 ? [] : toolTurn(i)),
    ],
  }),
);

function toolTurn(i: number): unknown[] {
  return [
    {
      role: "assistant",
      content: [{ type: "tool_use", id: `toolu_s${i}`, name: "bash", input: { n: i } }],
    },
    {
      role: "user",
      content: [
        {
          type: "tool_result",
          tool_use_id: `toolu_s${i}`,
          content: toolOutput(KINDS[i % KINDS.length]!, bytes, 1000 + i),
        },
      ],
    },
  ];
}
let ok = 0;
let failed = 0;
const errors: string[] = [];
await Promise.all(
  bodies.map(async (body) => {
    try {
      const res = await fetch(url!, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-api-key": "sk-ant-bench",
          "anthropic-version": "2023-06-01",
          "x-fake-interval-ms": intervalText!,
          "x-fake-chars": charsText!,
        },
        body,
      });
      const text = await res.text();
      if (res.status === 200 && text.includes("message_stop")) ok++;
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
