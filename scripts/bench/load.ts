/**
 * Closed-loop HTTP load, generated outside the process under test: wrk when it is installed
 * (C, so the load generator is not what limits the figure), else this file run as its own Bun
 * process. Both report the same JSON.
 *
 *   as a module: await runLoad(url, { connections, seconds, body, headers })
 *   as a script: bun load.ts SPEC_FILE   (the fallback client; prints one JSON line)
 */

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { quantile } from "./stats.ts";

/** What to send. */
export interface LoadSpec {
  readonly connections: number;
  readonly seconds: number;
  readonly body: string;
  readonly headers: Record<string, string>;
}

/** What came back. Latencies are per request, in milliseconds. */
export interface LoadResult {
  readonly tool: "wrk" | "bun";
  readonly requests: number;
  readonly seconds: number;
  readonly rps: number;
  readonly p50_ms: number;
  readonly p99_ms: number;
  /** Socket errors and timeouts. */
  readonly errors: number;
  /** Answers that were not 2xx. */
  readonly non2xx: number;
}

/** True when wrk is on the PATH. */
export function hasWrk(): boolean {
  return Bun.which("wrk") !== null;
}

function luaString(text: string): string {
  let level = 0;
  while (text.includes(`]${"=".repeat(level)}]`)) level++;
  const eq = "=".repeat(level);
  return `[${eq}[${text}]${eq}]`;
}

async function runWrk(url: string, spec: LoadSpec): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), "headroom-wrk-"));
  const script = join(dir, "post.lua");
  writeFileSync(
    script,
    [
      `wrk.method = "POST"`,
      `wrk.body = ${luaString(spec.body)}`,
      ...Object.entries(spec.headers).map(
        ([name, value]) => `wrk.headers[ ${luaString(name)} ] = ${luaString(value)}`,
      ),
      `done = function(summary, latency, requests)`,
      `  io.write(string.format('{"requests":%d,"duration_us":%d,"errors":%d,"non2xx":%d,"p50_us":%d,"p99_us":%d}\\n',`,
      `    summary.requests, summary.duration,`,
      `    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,`,
      `    summary.errors.status, latency:percentile(50), latency:percentile(99)))`,
      `end`,
    ].join("\n"),
  );
  const threads = Math.max(1, Math.min(spec.connections, navigator.hardwareConcurrency));
  const proc = Bun.spawn(
    [
      "wrk",
      `-t${threads}`,
      `-c${spec.connections}`,
      `-d${spec.seconds}s`,
      "--timeout",
      "10s",
      "-s",
      script,
      url,
    ],
    { stdout: "pipe", stderr: "pipe" },
  );
  const [out, err] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
  ]);
  await proc.exited;
  rmSync(dir, { recursive: true, force: true });
  const line = out.split("\n").find((l) => l.startsWith('{"requests"'));
  if (!line) throw new Error(`wrk printed no summary: ${out}\n${err}`);
  const raw = JSON.parse(line);
  const seconds = raw.duration_us / 1e6;
  return {
    tool: "wrk",
    requests: raw.requests,
    seconds,
    rps: raw.requests / seconds,
    p50_ms: raw.p50_us / 1000,
    p99_ms: raw.p99_us / 1000,
    errors: raw.errors,
    non2xx: raw.non2xx,
  };
}

async function runBunClient(url: string, spec: LoadSpec): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), "headroom-load-"));
  const file = join(dir, "spec.json");
  writeFileSync(file, JSON.stringify({ url, ...spec }));
  const proc = Bun.spawn([process.execPath, import.meta.path, file], {
    stdout: "pipe",
    stderr: "inherit",
    env: { ...process.env, BUN_CONFIG_MAX_HTTP_REQUESTS: "4096" },
  });
  const out = await new Response(proc.stdout).text();
  await proc.exited;
  rmSync(dir, { recursive: true, force: true });
  return JSON.parse(out.trim().split("\n").at(-1)!);
}

/** Drives `url` with `spec.connections` back-to-back POSTs for `spec.seconds`. */
export function runLoad(url: string, spec: LoadSpec): Promise<LoadResult> {
  return hasWrk() ? runWrk(url, spec) : runBunClient(url, spec);
}

// ---------------------------------------------------------------- the fallback client

if (import.meta.main) {
  const { url, connections, seconds, body, headers } = JSON.parse(
    readFileSync(process.argv[2]!, "utf8"),
  ) as LoadSpec & { url: string };
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        try {
          const res = await fetch(url, { method: "POST", headers, body });
          await res.arrayBuffer();
          if (res.status < 200 || res.status > 299) non2xx++;
          latencies.push(performance.now() - t0);
        } catch {
          errors++;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const result: LoadResult = {
    tool: "bun",
    requests: latencies.length,
    seconds: elapsed,
    rps: latencies.length / elapsed,
    p50_ms: quantile(latencies, 0.5),
    p99_ms: quantile(latencies, 0.99),
    errors,
    non2xx,
  };
  console.log(JSON.stringify(result));
}
