/**
 * What sharing state on Redis costs a replica, beside the SQLite workspace, in one run on the
 * same machine: the compiled proxy in front of a fake provider (its own process), first with
 * SQLite (`--workspace-dir`), then with Redis (`HEADROOM_REDIS_URL`, a redis-server this script
 * starts on loopback), and the provider direct as the baseline. Each request carries a new
 * 8 KB log-shaped tool output in a Claude Code-shaped conversation, so every request looks its
 * decisions up, compresses, stores a decision and an original (the path Redis adds to), and
 * `--replay` sends one conversation again and again instead (decisions replayed from the local
 * copy). Prints requests per second and p50/p99 latency, and the latency headroom adds over
 * direct, per store.
 *
 *   bun run scripts/bench-team.ts [--seconds 10] [--connections 16] [--replay] [--no-build]
 *
 * Needs redis-server on the PATH (npm run setup:test installs it). Nothing leaves 127.0.0.1.
 */

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { freePort, type Served, startHeadroom, startScript, stopAll } from "./bench/processes.ts";
import { printTable, quantile, round } from "./bench/stats.ts";
import { compileHeadroom } from "./compile.ts";

process.chdir(join(import.meta.dir, ".."));

const { values: opts } = parseArgs({
  options: {
    seconds: { type: "string", default: "10" },
    connections: { type: "string", default: "16" },
    replay: { type: "boolean", default: false },
    "no-build": { type: "boolean", default: false },
  },
});
const seconds = Number(opts.seconds);
const connections = Number(opts.connections);

/** A log-shaped tool output of about 8 KB, different for every `n`. */
function toolOutput(n: number): string {
  const lines: string[] = [];
  for (let i = 0; i < 120; i++) {
    const level = i % 40 === 7 ? "ERROR" : "INFO";
    lines.push(
      `2026-12-08T01:${String(i % 60).padStart(2, "0")}:00Z ${level} worker-${n} batch ${i} done in ${(i * 7) % 300} ms`,
    );
  }
  return lines.join("\n");
}

function body(n: number): string {
  return JSON.stringify({
    model: "claude-sonnet-4-5",
    max_tokens: 1024,
    system: [{ type: "text", text: "You are Claude Code.", cache_control: { type: "ephemeral" } }],
    tools: [{ name: "Bash", description: "Run a command", input_schema: { type: "object" } }],
    messages: [
      { role: "user", content: "Why did the worker fail?" },
      {
        role: "assistant",
        content: [
          {
            type: "tool_use",
            id: `toolu_${n}`,
            name: "Bash",
            input: { command: "cat worker.log" },
          },
        ],
      },
      {
        role: "user",
        content: [{ type: "tool_result", tool_use_id: `toolu_${n}`, content: toolOutput(n) }],
      },
    ],
  });
}

interface Figures {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  failed: number;
}

/** A closed loop of `connections` clients for `seconds`; each request a new conversation. */
async function load(url: string, offset: number): Promise<Figures> {
  const latencies: number[] = [];
  let failed = 0;
  let n = offset;
  const until = performance.now() + seconds * 1000;
  const client = async () => {
    while (performance.now() < until) {
      const text = body(opts.replay ? 0 : n++);
      const started = performance.now();
      const res = await fetch(`${url}/v1/messages`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-key": "sk-ant-bench" },
        body: text,
      });
      await res.arrayBuffer();
      if (res.status !== 200) failed++;
      latencies.push(performance.now() - started);
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: connections }, client));
  const elapsed = (performance.now() - start) / 1000;
  return {
    requests: latencies.length,
    rps: latencies.length / elapsed,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    failed,
  };
}

async function startRedis(): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = freePort();
  const proc = Bun.spawn(
    ["redis-server", "--port", String(port), "--bind", "127.0.0.1", "--save", ""],
    {
      cwd: mkdtempSync(join(tmpdir(), "headroom-bench-redis-")),
      stdout: "ignore",
      stderr: "ignore",
    },
  );
  for (let i = 0; i < 200; i++) {
    const ping = Bun.spawnSync(["redis-cli", "-p", String(port), "PING"]).stdout.toString();
    if (ping.trim() === "PONG") break;
    await Bun.sleep(25);
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      proc.kill("SIGTERM");
      await proc.exited;
    },
  };
}

if (!opts["no-build"]) await compileHeadroom("./dist/headroom");
const upstream = await startScript("upstream-server.ts");
const redis = await startRedis();
const rows: (string | number)[][] = [];
const started: Served[] = [upstream];
try {
  const direct = await load(upstream.url, 0);
  const runs: [string, () => Promise<Served>][] = [
    [
      "sqlite",
      () =>
        startHeadroom(
          upstream.url,
          ["--workspace-dir", mkdtempSync(join(tmpdir(), "headroom-bench-"))],
          {
            stateless: false,
          },
        ),
    ],
    [
      "redis",
      () =>
        startHeadroom(upstream.url, [], { env: { ...process.env, HEADROOM_REDIS_URL: redis.url } }),
    ],
  ];
  rows.push([
    "direct",
    direct.requests,
    round(direct.rps, 0),
    round(direct.p50, 2),
    round(direct.p99, 2),
    "-",
    direct.failed,
    "-",
  ]);
  for (const [name, start] of runs) {
    const proxy = await start();
    started.push(proxy);
    await load(proxy.url, 1_000_000); // warm-up: the tokenizer, the pool, the connections
    const figures = await load(proxy.url, name === "sqlite" ? 2_000_000 : 3_000_000);
    // A store that failed (a Redis call past its deadline) would make the figures flattering.
    const stats = (await (await fetch(`${proxy.url}/stats`)).json()) as {
      store_errors: Record<string, number>;
    };
    const storeErrors = Object.values(stats.store_errors).reduce((a, b) => a + b, 0);
    rows.push([
      name,
      figures.requests,
      round(figures.rps, 0),
      round(figures.p50, 2),
      round(figures.p99, 2),
      round(figures.p50 - direct.p50, 2),
      figures.failed,
      storeErrors,
    ]);
    proxy.proc.kill("SIGTERM");
    await proxy.proc.exited;
    started.pop();
  }
} finally {
  await stopAll(started);
  await redis.stop();
}
console.log(
  `\n${opts.replay ? "one conversation replayed" : "a new tool output per request"}, ${connections} connections, ${seconds} s each\n`,
);
printTable(
  ["store", "requests", "req/s", "p50 ms", "p99 ms", "added p50 ms", "failed", "store errors"],
  rows,
);
