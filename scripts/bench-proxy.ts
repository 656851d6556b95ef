/**
 * Proxy overhead, measured side by side in one run against a local fake upstream: direct to the
 * upstream, through a bare Bun relay (the floor), and through headroom (the compiled binary when
 * built). Each runs in its own process. Prints a table and a JSON summary.
 *
 *   bun run scripts/bench-proxy.ts [--rounds 8] [--requests 200] [--streams 40] [--seconds 4] [--concurrency 16]
 */

import { parseArgs } from "node:util";
import { type Served, startHeadroom, startScript, stopAll } from "./bench/processes.ts";
import { printTable, quantile, round } from "./bench/stats.ts";

const { values: opts } = parseArgs({
  options: {
    rounds: { type: "string", default: "8" },
    requests: { type: "string", default: "200" },
    streams: { type: "string", default: "40" },
    seconds: { type: "string", default: "4" },
    concurrency: { type: "string", default: "16" },
  },
});
const rounds = Number(opts.rounds);
const perRound = Number(opts.requests);
const streamsPerRound = Number(opts.streams);
const seconds = Number(opts.seconds);
const concurrency = Number(opts.concurrency);

const userText = "Please look at the failing test below and tell me what is wrong.\n".repeat(20);
const plainBody = JSON.stringify({
  model: "claude-sonnet-4-5",
  max_tokens: 1024,
  messages: [{ role: "user", content: userText }],
});
const streamBody = JSON.stringify({
  model: "claude-sonnet-4-5",
  max_tokens: 1024,
  stream: true,
  messages: [{ role: "user", content: userText }],
});
const headers = {
  "content-type": "application/json",
  "x-api-key": "sk-ant-bench",
  "anthropic-version": "2023-06-01",
};

async function timedRequest(base: string): Promise<number> {
  const start = performance.now();
  const res = await fetch(`${base}/v1/messages`, { method: "POST", headers, body: plainBody });
  await res.arrayBuffer();
  return performance.now() - start;
}

async function timedStream(base: string): Promise<{ ttfb: number; total: number }> {
  const start = performance.now();
  const res = await fetch(`${base}/v1/messages`, { method: "POST", headers, body: streamBody });
  const reader = res.body!.getReader();
  const first = await reader.read();
  const ttfb = performance.now() - start;
  let done = first.done;
  while (!done) done = (await reader.read()).done;
  return { ttfb, total: performance.now() - start };
}

async function throughput(base: string, durationMs: number): Promise<number> {
  let completed = 0;
  const deadline = performance.now() + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const res = await fetch(`${base}/v1/messages`, {
          method: "POST",
          headers,
          body: plainBody,
        });
        await res.arrayBuffer();
        completed++;
      }
    }),
  );
  return completed / (durationMs / 1000);
}

const upstream = await startScript("upstream-server.ts");
const bare = await startScript("bare-relay.ts", [upstream.url]);
const headroom = await startHeadroom(upstream.url);
const processes: Served[] = [upstream, bare, headroom];
const targets = { direct: upstream.url, bare: bare.url, headroom: headroom.url } as const;
type Target = keyof typeof targets;
const names = Object.keys(targets) as Target[];

try {
  // Warm up connections and JIT on every path.
  for (const name of names) for (let i = 0; i < 300; i++) await timedRequest(targets[name]);
  for (const name of names) for (let i = 0; i < 20; i++) await timedStream(targets[name]);

  const latency: Record<Target, number[]> = { direct: [], bare: [], headroom: [] };
  const ttfb: Record<Target, number[]> = { direct: [], bare: [], headroom: [] };
  const streamTotal: Record<Target, number[]> = { direct: [], bare: [], headroom: [] };
  const rps: Record<Target, number[]> = { direct: [], bare: [], headroom: [] };
  for (let round_ = 0; round_ < rounds; round_++) {
    // Interleave the targets in every round so drift on the machine hits all of them alike.
    for (const name of names)
      for (let i = 0; i < perRound; i++) latency[name].push(await timedRequest(targets[name]));
    for (const name of names) {
      for (let i = 0; i < streamsPerRound; i++) {
        const sample = await timedStream(targets[name]);
        ttfb[name].push(sample.ttfb);
        streamTotal[name].push(sample.total);
      }
    }
  }
  for (let i = 0; i < 2; i++)
    for (const name of names) rps[name].push(await throughput(targets[name], (seconds * 1000) / 2));

  const med = (values: number[]) => quantile(values, 0.5);
  const summary = {
    machine: { cpus: navigator.hardwareConcurrency, bun: Bun.version },
    samples: {
      requests: rounds * perRound,
      streams: rounds * streamsPerRound,
      concurrency,
      seconds,
    },
    latency_ms: Object.fromEntries(
      names.map((n) => [
        n,
        { p50: round(med(latency[n])), p99: round(quantile(latency[n], 0.99)) },
      ]),
    ),
    stream_ttfb_ms: Object.fromEntries(
      names.map((n) => [n, { p50: round(med(ttfb[n])), p99: round(quantile(ttfb[n], 0.99)) }]),
    ),
    stream_total_ms: Object.fromEntries(
      names.map((n) => [
        n,
        { p50: round(med(streamTotal[n])), p99: round(quantile(streamTotal[n], 0.99)) },
      ]),
    ),
    throughput_rps: Object.fromEntries(names.map((n) => [n, round(med(rps[n]), 0)])),
    added: {
      headroom_latency_p50_ms: round(med(latency.headroom) - med(latency.direct)),
      headroom_ttfb_p50_ms: round(med(ttfb.headroom) - med(ttfb.direct)),
      bare_latency_p50_ms: round(med(latency.bare) - med(latency.direct)),
      bare_ttfb_p50_ms: round(med(ttfb.bare) - med(ttfb.direct)),
      headroom_throughput_vs_direct: round(med(rps.headroom) / med(rps.direct), 3),
      bare_throughput_vs_direct: round(med(rps.bare) / med(rps.direct), 3),
    },
  };

  printTable(
    ["metric", "direct", "bare relay", "headroom", "headroom added"],
    [
      [
        "request p50 (ms)",
        round(med(latency.direct)),
        round(med(latency.bare)),
        round(med(latency.headroom)),
        summary.added.headroom_latency_p50_ms,
      ],
      [
        "request p99 (ms)",
        round(quantile(latency.direct, 0.99)),
        round(quantile(latency.bare, 0.99)),
        round(quantile(latency.headroom, 0.99)),
        round(quantile(latency.headroom, 0.99) - quantile(latency.direct, 0.99)),
      ],
      [
        "200-event stream TTFB p50 (ms)",
        round(med(ttfb.direct)),
        round(med(ttfb.bare)),
        round(med(ttfb.headroom)),
        summary.added.headroom_ttfb_p50_ms,
      ],
      [
        "200-event stream total p50 (ms)",
        round(med(streamTotal.direct)),
        round(med(streamTotal.bare)),
        round(med(streamTotal.headroom)),
        round(med(streamTotal.headroom) - med(streamTotal.direct)),
      ],
      [
        `throughput @${concurrency} (req/s)`,
        summary.throughput_rps.direct!,
        summary.throughput_rps.bare!,
        summary.throughput_rps.headroom!,
        `${round(summary.added.headroom_throughput_vs_direct * 100, 1)}% of direct`,
      ],
    ],
  );
  console.log(JSON.stringify(summary));
} finally {
  await stopAll(processes);
}
