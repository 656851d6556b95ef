/**
 * CPU per request of headroom next to the bare relay, alternated round by round on the same
 * load: the quick figure to judge a change to the request path by (npm run perf measures much
 * more and takes minutes). Runs headroom from the sources unless --binary is given.
 *
 *   bun scripts/bench/cpu-ab.ts [--rounds 4] [--seconds 3] [--connections 64] [--stateless]
 *                               [--binary dist/headroom] [--stream] [--baseline EXECUTABLE]
 *                               [--threads]
 *
 * --baseline adds another headroom executable (an earlier build) as a third target, measured in
 * the same rounds. --threads also splits each target's CPU per request by thread (the JS thread,
 * Bun's HTTP client thread, the GC helpers) into user and system time.
 */

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { cpuMs, type ThreadCpu, threadCpu } from "./cpu.ts";
import { runLoad } from "./load.ts";
import { startHeadroom, startScript, stopAll } from "./processes.ts";
import { quantile, round } from "./stats.ts";

/** CPU per request by thread, summed over rounds; threads of one name are counted together. */
class ThreadTotals {
  readonly #ms = new Map<string, { user: number; system: number }>();
  #requests = 0;

  add(
    pid: number,
    before: Map<string, ThreadCpu>,
    after: Map<string, ThreadCpu>,
    requests: number,
  ) {
    this.#requests += requests;
    for (const [id, now] of after) {
      const then = before.get(id);
      // The process's first thread runs the JavaScript; the others are named by the runtime.
      const name = id === String(pid) ? "JS thread" : now.name;
      const sum = this.#ms.get(name) ?? { user: 0, system: 0 };
      sum.user += now.userMs - (then?.userMs ?? 0);
      sum.system += now.systemMs - (then?.systemMs ?? 0);
      this.#ms.set(name, sum);
    }
  }

  report(): string {
    const us = (ms: number) => round((ms * 1000) / this.#requests, 1);
    return [...this.#ms]
      .filter(([, sum]) => sum.user + sum.system > 0)
      .sort(([, a], [, b]) => b.user + b.system - (a.user + a.system))
      .map(([name, sum]) => `${name} ${us(sum.user)} user + ${us(sum.system)} sys us`)
      .join("; ");
  }
}

const { values: opts } = parseArgs({
  options: {
    rounds: { type: "string", default: "4" },
    seconds: { type: "string", default: "3" },
    connections: { type: "string", default: "64" },
    stateless: { type: "boolean" },
    binary: { type: "string" },
    stream: { type: "boolean" },
    baseline: { type: "string" },
    threads: { type: "boolean" },
  },
});

const body = JSON.stringify({
  model: "claude-sonnet-4-5",
  max_tokens: 1024,
  ...(opts.stream ? { stream: true } : {}),
  messages: [
    {
      role: "user",
      content: "Please look at the failing test below and tell me what is wrong.\n".repeat(20),
    },
  ],
});
const headers = {
  "content-type": "application/json",
  "x-api-key": "sk-ant-bench",
  "anthropic-version": "2023-06-01",
};

const workspace = mkdtempSync(join(tmpdir(), "headroom-cpu-ab-"));
const upstream = await startScript("upstream-server.ts");
const bare = await startScript("bare-relay.ts", [upstream.url]);
const headroom = await startHeadroom(
  upstream.url,
  opts.stateless ? [] : ["--workspace-dir", workspace],
  {
    stateless: opts.stateless === true,
    binary: opts.binary ?? "/nonexistent",
  },
);
const baseline = opts.baseline
  ? await startHeadroom(
      upstream.url,
      opts.stateless ? [] : ["--workspace-dir", mkdtempSync(join(workspace, "b-"))],
      {
        stateless: opts.stateless === true,
        binary: opts.baseline,
      },
    )
  : undefined;
const targets = [
  { name: "bare relay", served: bare },
  { name: "headroom", served: headroom },
  ...(baseline ? [{ name: "baseline", served: baseline }] : []),
];
const spec = {
  connections: Number(opts.connections),
  seconds: Number(opts.seconds),
  body,
  headers,
};
try {
  for (const { served } of targets)
    await runLoad(`${served.url}/v1/messages`, { ...spec, seconds: 4 });
  const cpu: Record<string, number[]> = Object.fromEntries(targets.map((t) => [t.name, []]));
  const rps: Record<string, number[]> = Object.fromEntries(targets.map((t) => [t.name, []]));
  const perThread = Object.fromEntries(targets.map((t) => [t.name, new ThreadTotals()]));
  for (let r = 0; r < Number(opts.rounds); r++) {
    for (const { name, served } of targets) {
      const pid = served.proc.pid;
      const before = cpuMs(pid);
      const threadsBefore = opts.threads ? threadCpu(pid) : undefined;
      const result = await runLoad(`${served.url}/v1/messages`, spec);
      cpu[name]!.push(((cpuMs(pid) - before) * 1000) / result.requests);
      rps[name]!.push(result.rps);
      if (threadsBefore) perThread[name]!.add(pid, threadsBefore, threadCpu(pid), result.requests);
    }
    const figures = targets.map(
      ({ name }) =>
        `${name} ${round(cpu[name]!.at(-1)!, 1)} us ${round(rps[name]!.at(-1)!, 0)} rps`,
    );
    console.log(`round ${r}: ${figures.join("; ")}`);
  }
  const med = (values: number[]) => quantile(values, 0.5);
  // Per round against the bare relay measured seconds before, then the median over rounds.
  const versusBare = (name: string, of: Record<string, number[]>) =>
    med(of[name]!.map((value, r) => value / of["bare relay"]![r]!));
  for (const { name } of targets.slice(1)) {
    console.log(
      `${name}: CPU/req median ${round(med(cpu[name]!), 1)} us (x${round(versusBare(name, cpu), 2)} the bare relay's ${round(med(cpu["bare relay"]!), 1)} us); throughput ${round(versusBare(name, rps) * 100, 1)}% of the bare relay's`,
    );
  }
  if (opts.threads) {
    for (const { name } of targets)
      console.log(`${name}, per thread: ${perThread[name]!.report()}`);
  }
} finally {
  await stopAll([upstream, bare, headroom, ...(baseline ? [baseline] : [])]);
  rmSync(workspace, { recursive: true, force: true });
}
