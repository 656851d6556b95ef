/**
 * Fault drill, run by hand (not part of the suite): 1,000 concurrent streams through the compiled
 * binary (dist/headroom) against a fake provider in its own process, then every client walks
 * away mid-stream (half one by one, half in one burst). It measures how long each client abort
 * takes to cancel the upstream stream (target: within 100 ms), checks the ledger counted every
 * abort, and follows headroom's RSS from its baseline through the peak and back.
 *
 *   bun run scripts/build.ts && bun scripts/fault-drill.ts [--streams 1000] [--hold-ms 1000]
 *
 * Prints a table, then one JSON line with every figure.
 */

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { type Served, startHeadroom, startScript, stopAll } from "./bench/processes.ts";
import { printTable, quantile, round } from "./bench/stats.ts";

const { values } = parseArgs({
  options: {
    streams: { type: "string", default: "1000" },
    "hold-ms": { type: "string", default: "1000" },
  },
});
const STREAMS = Number(values.streams);
const HOLD_MS = Number(values["hold-ms"]);
const TARGET_MS = 100;
const binary = join(import.meta.dir, "..", "dist", "headroom");

/** Resident set size of a process, in MB (Linux /proc, else ps). */
function rssMb(pid: number): number {
  const status = `/proc/${pid}/status`;
  if (existsSync(status)) {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(status, "utf8"))?.[1];
    return Number(kb) / 1024;
  }
  const ps = Bun.spawnSync(["ps", "-o", "rss=", "-p", String(pid)]);
  return Number(ps.stdout.toString().trim()) / 1024;
}

interface UpstreamStats {
  open: number;
  started: number;
  completed: number;
  cancelled: Record<string, number>;
}

interface ClientResult {
  opened: number;
  failed: number;
  errors: string[];
  aborts: { id: string; at: number; burst: boolean }[];
}

async function upstreamStats(upstream: Served): Promise<UpstreamStats> {
  return (await fetch(`${upstream.url}/drill/stats`)).json() as Promise<UpstreamStats>;
}

/** Short streams that end by themselves, so the baseline is a warmed-up proxy's. */
async function warmUp(url: string): Promise<void> {
  for (let round = 0; round < 5; round++) {
    await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const res = await fetch(`${url}/v1/messages`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-api-key": "sk-ant-drill" },
          body: JSON.stringify({
            model: "claude-sonnet-4-5",
            stream: true,
            metadata: { user_id: `warm-${round}-${i}` },
            messages: [{ role: "user", content: "hi" }],
          }),
        });
        await res.text();
      }),
    );
  }
}

/** Polls until `condition` holds or `timeoutMs` passes; returns whether it held. */
async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await Bun.sleep(50);
  }
  return false;
}

const upstream = await startScript("../fault-drill/upstream.ts");
const headroom = await startHeadroom(upstream.url);
try {
  const pid = headroom.proc.pid;
  await warmUp(headroom.url);
  await Bun.sleep(1000);
  const baseline = rssMb(pid);
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMb(pid));
  }, 20);

  const client = Bun.spawn(
    [
      process.execPath,
      join(import.meta.dir, "fault-drill", "client.ts"),
      `${headroom.url}/v1/messages`,
      String(STREAMS),
      String(HOLD_MS),
    ],
    {
      env: { ...process.env, BUN_CONFIG_MAX_HTTP_REQUESTS: "4096" },
      stdout: "pipe",
      stderr: "inherit",
    },
  );
  const result = JSON.parse(await new Response(client.stdout).text()) as ClientResult;
  await until(async () => (await upstreamStats(upstream)).open === 0, 10_000);
  const upstreamAfter = await upstreamStats(upstream);

  const latency = (burst: boolean) =>
    result.aborts
      .filter((a) => a.burst === burst && upstreamAfter.cancelled[a.id] !== undefined)
      .map((a) => upstreamAfter.cancelled[a.id]! - a.at);
  const paced = latency(false);
  const burst = latency(true);
  const all = [...paced, ...burst];
  const uncancelled = result.aborts.filter((a) => upstreamAfter.cancelled[a.id] === undefined);

  // RSS after: give the allocator up to 20 s to hand memory back.
  let after = rssMb(pid);
  const settleStarted = Date.now();
  const returned = await until(() => {
    after = rssMb(pid);
    return after <= baseline * 1.15 + 5;
  }, 20_000);
  const settleMs = Date.now() - settleStarted;
  clearInterval(sampler);

  const stats = (await (await fetch(`${headroom.url}/stats`)).json()) as {
    requests: { total: number; aborted: number; failed: number };
  };

  const row = (name: string, values: number[]) => [
    name,
    values.length,
    round(quantile(values, 0.5), 2),
    round(quantile(values, 0.99), 2),
    round(Math.max(...values), 2),
    values.filter((v) => v > TARGET_MS).length,
  ];
  console.log(
    `headroom ${existsSync(binary) ? "dist/headroom" : "from source"}: ${result.opened} of ${STREAMS} streams open at once, held ${HOLD_MS} ms, then abandoned\n`,
  );
  printTable(
    ["abort -> upstream cancel (ms)", "n", "p50", "p99", "max", `> ${TARGET_MS} ms`],
    [row("one by one", paced), row("in one burst", burst), row("all", all)],
  );
  console.log("");
  printTable(
    ["headroom RSS (MB)", "baseline", "peak", "after", "back to baseline (+15% +5 MB)"],
    [["", round(baseline, 1), round(peak, 1), round(after, 1), returned ? "yes" : "no"]],
  );
  console.log(
    `\nnot cancelled upstream: ${uncancelled.length}; client failures: ${result.failed}; ledger: ${stats.requests.aborted} aborted of ${stats.requests.total} requests (${stats.requests.failed} failed)\n`,
  );
  console.log(
    JSON.stringify({
      streams: STREAMS,
      opened: result.opened,
      client_failures: result.failed,
      client_errors: result.errors,
      cancel_ms: {
        p50: round(quantile(all, 0.5), 2),
        p99: round(quantile(all, 0.99), 2),
        max: round(Math.max(...all), 2),
        one_by_one: { p50: round(quantile(paced, 0.5), 2), p99: round(quantile(paced, 0.99), 2) },
        burst: { p50: round(quantile(burst, 0.5), 2), p99: round(quantile(burst, 0.99), 2) },
        over_target: all.filter((v) => v > TARGET_MS).length,
        target: TARGET_MS,
      },
      not_cancelled: uncancelled.length,
      rss_mb: {
        baseline: round(baseline, 1),
        peak: round(peak, 1),
        after: round(after, 1),
        returned,
        settle_ms: settleMs,
      },
      ledger: {
        total: stats.requests.total,
        aborted: stats.requests.aborted,
        failed: stats.requests.failed,
      },
    }),
  );
} finally {
  await stopAll([headroom, upstream]);
}
