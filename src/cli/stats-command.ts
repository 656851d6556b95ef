/**
 * `headroom stats`: a compact terminal summary of the running proxy's /stats.
 * @module
 */

import { parseArgs } from "node:util";
import { cliConfig } from "./cli-config.ts";
import { UsageError } from "./usage-error.ts";
import { writeOut } from "./write-out.ts";

/** `headroom stats --help`. */
const STATS_HELP = `Usage: headroom stats [--port PORT] [--json]

Prints a summary of the proxy on 127.0.0.1:PORT (HEADROOM_PORT, default 8787): session and
lifetime savings, prompt-cache health, latency. --json prints the raw /stats body.
`;

// biome-ignore lint/suspicious/noExplicitAny: /stats is read field by field for display
type Stats = any;

function k(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(1)}M`;
  if (n >= 10_000) return `${(n / 1000).toFixed(1)}k`;
  return n.toLocaleString("en-US");
}

function dollars(n: number): string {
  return n > 0 ? `, ~$${n.toFixed(2)}` : "";
}

/** The summary lines of a /stats body. */
function formatStats(
  stats: Stats,
  health: { status?: string; version?: string; uptime_seconds?: number },
): string {
  const r = stats.requests;
  const t = stats.tokens;
  const life = stats.persistent_savings.lifetime;
  const uptime = Math.round(health.uptime_seconds ?? 0);
  const lines = [
    `headroom ${health.version ?? "?"}: ${health.status ?? "unknown"}, up ${Math.floor(uptime / 3600)}h ${Math.floor((uptime % 3600) / 60)}m`,
    `Session:   ${r.total} requests (${r.failed + r.upstream_errors} failed, ${r.aborted} aborted), ${r.compressed} compressed; ${k(t.saved)} tokens saved (${t.savings_percent}% of ${k(t.total_before_compression)})${dollars(stats.cost.total_saved_usd)}`,
    `Lifetime:  ${life.requests} requests; ${k(life.tokens_saved)} tokens saved (${life.savings_percent}%)${dollars(life.compression_savings_usd)}${life.first_activity_at ? ` since ${String(life.first_activity_at).slice(0, 10)}` : ""}`,
  ];
  const caches = Object.entries(
    stats.prefix_cache.by_provider as Record<string, { hit_rate: number }>,
  )
    .map(([provider, c]) => `${provider} ${c.hit_rate}% of input from cache`)
    .join(", ");
  if (caches) lines.push(`Cache:     ${caches}`);
  lines.push(
    `Latency:   avg ${stats.latency.average_ms} ms, proxy overhead ${stats.overhead.average_ms} ms, first byte ${stats.ttfb.average_ms} ms`,
  );
  const models = Object.entries(r.by_model as Record<string, number>)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([model, n]) => `${model} (${n})`)
    .join(", ");
  if (models) lines.push(`Models:    ${models}`);
  return `${lines.join("\n")}\n`;
}

/** Runs `headroom stats`; resolves with the exit code. */
export async function runStats(args: string[]): Promise<number> {
  let values: { port?: string; json?: boolean; help?: boolean };
  try {
    values = parseArgs({
      args,
      strict: true,
      options: {
        port: { type: "string" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) {
    await writeOut(STATS_HELP);
    return 0;
  }
  const config = cliConfig({ port: values.port });
  const base = `http://127.0.0.1:${config.port}`;
  try {
    const stats = await getJson(`${base}/stats`);
    if (values.json) {
      await writeOut(`${JSON.stringify(stats, null, 2)}\n`);
      return 0;
    }
    const health = await getJson(`${base}/health`);
    await writeOut(formatStats(stats, health as Record<string, never>));
    return 0;
  } catch (error) {
    process.stderr.write(`headroom: ${unreachable(config.port, error)}\n`);
    return 1;
  }
}

async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
  try {
    return await res.json();
  } catch {
    throw new NotHeadroom(res.status);
  }
}

class NotHeadroom extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}, not JSON`);
  }
}

/** One line for the terminal: who (if anyone) is on the port, and what to do. */
function unreachable(port: number, error: unknown): string {
  const where = `127.0.0.1:${port}`;
  const start = `headroom proxy --port ${port}`;
  if (error instanceof NotHeadroom) {
    return `something answers on ${where} (HTTP ${error.status}), but it is not headroom; pick headroom's port with --port or HEADROOM_PORT`;
  }
  const code = (error as { code?: string }).code;
  if (code === "ECONNREFUSED" || code === "ConnectionRefused") {
    return `no proxy answers on ${where}; start one with: ${start}`;
  }
  if ((error as Error).name === "TimeoutError") {
    return `the proxy on ${where} did not answer within 3 s`;
  }
  return `no proxy answers on ${where} (${(error as Error).message}); start one with: ${start}`;
}
