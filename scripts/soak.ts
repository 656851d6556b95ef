/**
 * Soak: mixed agent traffic against the compiled binary (default configuration, SQLite
 * workspace) and a fake provider process for --minutes, with the proxy's resident memory
 * sampled every few seconds. Each simulated agent runs multi-turn sessions on Anthropic
 * Messages, OpenAI Chat Completions or the Responses API, streamed or not, each turn adding a
 * fresh compressible tool output (older ones are replayed from the decision store); some turns
 * make the model call headroom_retrieve (answered inside the proxy), some abort mid-stream, some
 * fetch an original through GET /v1/retrieve/{hash}, a few get an upstream 400.
 *
 *   bun run scripts/soak.ts [--minutes 30] [--agents 8] [--sample-seconds 5] [--no-build]
 *                           [--max-growth-mb 24] [--max-slope-mb-per-hour 48]
 *
 * Growth is the average RSS of the last window (5 minutes, or a third of a shorter run) minus
 * that of the first; slope is a least-squares fit over the samples after the first window.
 * Everything the proxy keeps in memory is bounded (token-count LRU of 4,096 texts, gpt-tokenizer's
 * 100,000-piece merge cache, hidden retrieve calls, response/rate-limit state) and fills within
 * the first minutes at this rate; originals, decisions and the ledger live in SQLite. So past
 * the first window RSS should only move with the GC: single samples swing by ±40 MB, but the
 * 5-minute averages of a 30-minute run (107,000 requests) stayed within 240-245 MB. The run fails
 * (exit 1) when the growth exceeds 24 MB (about ten times that spread; at ~60 requests/s, a leak
 * of ~0.2 KB per request over half an hour), when the slope exceeds 48 MB/h over at least 10
 * minutes of samples (a leak that would double an idle-plus-tokenizer proxy in two hours), or
 * when more than 0.1% of requests fail unexpectedly; the memory checks apply to runs of 10
 * minutes or more. Results go to stdout and dist/soak.json.
 */

import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { treeRss } from "./bench/memory.ts";
import { type Served, startHeadroom, startScript, stopAll } from "./bench/processes.ts";
import { KINDS, toolOutput } from "./bench/samples.ts";
import { printTable, round } from "./bench/stats.ts";
import { compileHeadroom } from "./compile.ts";

const root = join(import.meta.dir, "..");
process.chdir(root);

const { values: opts } = parseArgs({
  options: {
    minutes: { type: "string", default: "30" },
    agents: { type: "string", default: "8" },
    "sample-seconds": { type: "string", default: "5" },
    "max-growth-mb": { type: "string", default: "24" },
    "max-slope-mb-per-hour": { type: "string", default: "48" },
    "no-build": { type: "boolean" },
  },
});
const minutes = Number(opts.minutes);
const agents = Number(opts.agents);
const sampleMs = Number(opts["sample-seconds"]) * 1000;
const maxGrowth = Number(opts["max-growth-mb"]);
const maxSlope = Number(opts["max-slope-mb-per-hour"]);
const durationMs = minutes * 60_000;

const log = (text: string) => process.stderr.write(`soak: ${text}\n`);

// ---------------------------------------------------------------- traffic

type Api = "messages" | "chat" | "responses";
type Scenario = "plain" | "stream" | "abort" | "model-retrieve" | "get-retrieve" | "upstream-400";
const SCENARIOS: [Scenario, number][] = [
  ["plain", 30],
  ["stream", 35],
  ["abort", 10],
  ["model-retrieve", 12],
  ["get-retrieve", 10],
  ["upstream-400", 3],
];
const SIZES = [2_000, 4_000, 8_000, 8_000, 16_000, 16_000, 32_000, 64_000];

/** A tiny seeded PRNG, so a run's traffic is the same every time. */
let state = 0x5eed;
function random(): number {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
function scenario(): Scenario {
  let roll = random() * SCENARIOS.reduce((sum, [, weight]) => sum + weight, 0);
  for (const [name, weight] of SCENARIOS) {
    roll -= weight;
    if (roll < 0) return name;
  }
  return "plain";
}

interface Session {
  api: Api;
  id: number;
  outputs: string[];
}
let seeds = 0;
let sessions = 0;

function requestFor(session: Session, stream: boolean): { path: string; body: string } {
  const question = `Session ${session.id}: the build is red, what is wrong?`;
  const calls = session.outputs.map((output, i) => ({ id: `s${session.id}t${i}`, output }));
  if (session.api === "messages") {
    return {
      path: "/v1/messages",
      body: JSON.stringify({
        model: "claude-sonnet-4-5",
        max_tokens: 2048,
        stream,
        messages: [
          { role: "user", content: question },
          ...calls.flatMap((call) => [
            {
              role: "assistant",
              content: [
                { type: "tool_use", id: `toolu_${call.id}`, name: "bash", input: { n: call.id } },
              ],
            },
            {
              role: "user",
              content: [
                { type: "tool_result", tool_use_id: `toolu_${call.id}`, content: call.output },
              ],
            },
          ]),
        ],
      }),
    };
  }
  if (session.api === "chat") {
    return {
      path: "/v1/chat/completions",
      body: JSON.stringify({
        model: "gpt-4o",
        stream,
        messages: [
          { role: "user", content: question },
          ...calls.flatMap((call) => [
            {
              role: "assistant",
              content: null,
              tool_calls: [
                {
                  id: `call_${call.id}`,
                  type: "function",
                  function: { name: "bash", arguments: `{"n":"${call.id}"}` },
                },
              ],
            },
            { role: "tool", tool_call_id: `call_${call.id}`, content: call.output },
          ]),
        ],
      }),
    };
  }
  return {
    path: "/v1/responses",
    body: JSON.stringify({
      model: "gpt-5",
      stream,
      input: [
        { role: "user", content: question },
        ...calls.flatMap((call) => [
          {
            type: "function_call",
            call_id: `call_${call.id}`,
            name: "bash",
            arguments: `{"n":"${call.id}"}`,
          },
          { type: "function_call_output", call_id: `call_${call.id}`, output: call.output },
        ]),
      ],
    }),
  };
}

const AUTH: Record<Api, Record<string, string>> = {
  messages: { "x-api-key": "sk-ant-soak", "anthropic-version": "2023-06-01" },
  chat: { authorization: "Bearer sk-soak" },
  responses: { authorization: "Bearer sk-soak" },
};
const TERMINAL: Record<Api, string> = {
  messages: "message_stop",
  chat: "[DONE]",
  responses: "response.completed",
};

const counts = new Map<Scenario, { ok: number; unexpected: number }>();
const problems: string[] = [];
const hashes: string[] = [];
function count(name: Scenario, ok: boolean, problem?: string): void {
  const entry = counts.get(name) ?? { ok: 0, unexpected: 0 };
  if (ok) entry.ok++;
  else {
    entry.unexpected++;
    if (problems.length < 20) problems.push(`${name}: ${problem}`);
  }
  counts.set(name, entry);
}

async function turn(base: string, session: Session, deadline: number): Promise<void> {
  const name = scenario();
  if (name === "get-retrieve") {
    const hash = hashes.length > 0 ? pick(hashes) : undefined;
    if (!hash) return;
    const res = await fetch(`${base}/v1/retrieve/${hash}`);
    const text = await res.text();
    count(name, res.status === 200 && text.length > 0, `${res.status} ${text.slice(0, 120)}`);
    return;
  }
  session.outputs.push(toolOutput(pick(KINDS), pick(SIZES), ++seeds));
  const stream =
    name === "stream" || name === "abort" || (name === "model-retrieve" && random() < 0.5);
  const { path, body } = requestFor(session, stream);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    ...AUTH[session.api],
    "x-fake-interval-ms": String(stream ? Math.floor(random() * 6) : 0),
    "x-fake-chars": String(64 + Math.floor(random() * 600)),
    ...(name === "model-retrieve" ? { "x-fake-retrieve": "1" } : {}),
    ...(name === "upstream-400" ? { "x-fake-fail": "400" } : {}),
  };
  const controller = new AbortController();
  try {
    const res = await fetch(`${base}${path}`, {
      method: "POST",
      headers,
      body,
      signal: controller.signal,
    });
    for (const hash of (res.headers.get("x-fake-hashes") ?? "").split(",").filter(Boolean)) {
      if (hashes.length < 2000) hashes.push(hash);
      else hashes[Math.floor(random() * hashes.length)] = hash;
    }
    if (name === "abort") {
      const reader = res.body!.getReader();
      await reader.read();
      await Bun.sleep(Math.floor(random() * 40));
      controller.abort();
      count(name, res.status === 200, `status ${res.status}`);
      return;
    }
    const text = await res.text();
    if (name === "upstream-400") {
      count(name, res.status === 400 && text.includes("fake failure"), `${res.status}`);
      return;
    }
    const complete = stream ? text.includes(TERMINAL[session.api]) : text.length > 0;
    // The proxy answers the model's retrieve calls itself: the client never sees one.
    const leaked = text.includes('"headroom_retrieve"');
    count(
      name,
      res.status === 200 && complete && !leaked,
      `${res.status} complete=${complete} leaked=${leaked} ${text.slice(0, 160)}`,
    );
  } catch (error) {
    if (name === "abort" && controller.signal.aborted) count(name, true);
    else if (Date.now() < deadline) count(name, false, String(error));
  }
}

async function agent(base: string, deadline: number): Promise<void> {
  let session: Session | undefined;
  while (Date.now() < deadline) {
    if (!session || session.outputs.length >= 6) {
      session = {
        api: pick(["messages", "messages", "chat", "responses"] as const),
        id: ++sessions,
        outputs: [],
      };
    }
    await turn(base, session, deadline);
    await Bun.sleep(10 + Math.floor(random() * 50));
  }
}

// ---------------------------------------------------------------- the run

if (!opts["no-build"]) {
  log("building dist/headroom");
  await compileHeadroom("./dist/headroom");
}
// Run a private copy: a rebuild of dist/headroom during the soak must not change what is measured.
const work = mkdtempSync(join(tmpdir(), "headroom-soak-"));
const binary = join(work, "headroom");
copyFileSync(join(root, "dist", "headroom"), binary);
const workspace = join(work, "workspace");
const processes: Served[] = [];
let exitCode = 1;
try {
  const provider = await startScript("fake-provider.ts");
  processes.push(provider);
  // As a user starts it: without BUN_CONFIG_MAX_HTTP_REQUESTS, so it re-runs itself as in real use.
  const { BUN_CONFIG_MAX_HTTP_REQUESTS: _, ...env } = process.env;
  const proxy = await startHeadroom(provider.url, ["--workspace-dir", workspace], {
    stateless: false,
    env,
    binary,
    logFile: join(work, "headroom.log"),
  });
  processes.push(proxy);
  const pid = proxy.proc.pid;
  log(`${minutes} min, ${agents} agents, RSS every ${sampleMs / 1000}s; proxy pid ${pid}`);

  const started = Date.now();
  const deadline = started + durationMs;
  const samples: { t: number; rss: number; anon: number }[] = [];
  const sample = () => {
    const rss = treeRss(pid);
    samples.push({
      t: (Date.now() - started) / 1000,
      rss: round(rss.total, 1),
      anon: round(rss.anon, 1),
    });
  };
  // Before any traffic: not a sample, so the first window is all under load.
  const before = treeRss(pid);
  const sampler = setInterval(sample, sampleMs);
  const total = () => [...counts.values()].reduce((sum, c) => sum + c.ok + c.unexpected, 0);
  const reporter = setInterval(() => {
    const last = samples.at(-1)!;
    log(
      `${round((Date.now() - started) / 60_000, 1)} min: ${total()} requests, RSS ${last.rss} MB (anon ${last.anon})`,
    );
  }, 60_000);
  await Promise.all(Array.from({ length: agents }, () => agent(proxy.url, deadline)));
  clearInterval(sampler);
  clearInterval(reporter);
  sample();
  // Then quiet: what the proxy keeps once the garbage of the traffic has been collected and
  // returned (a leak stays; the heap's slack goes).
  log("traffic done; 30 s quiet");
  await Bun.sleep(30_000);
  const quiet = treeRss(pid);
  const stillAlive = proxy.proc.exitCode === null;
  const providerStats = await (await fetch(`${provider.url}/__stats`)).json();
  const proxyStats = (await (await fetch(`${proxy.url}/stats`)).json()) as Record<string, unknown>;

  // ---------------------------------------------------------------- figures
  const elapsed = samples.at(-1)!.t;
  const window = Math.min(300, elapsed / 3);
  const avg = (list: typeof samples) => list.reduce((sum, s) => sum + s.rss, 0) / list.length;
  const firstWindow = samples.filter((s) => s.t <= window);
  const lastWindow = samples.filter((s) => s.t >= elapsed - window);
  const growth = avg(lastWindow) - avg(firstWindow);
  const slopeOf = (list: typeof samples) => {
    const n = list.length;
    const mt = list.reduce((sum, s) => sum + s.t, 0) / n;
    const mr = list.reduce((sum, s) => sum + s.rss, 0) / n;
    const num = list.reduce((sum, s) => sum + (s.t - mt) * (s.rss - mr), 0);
    const den = list.reduce((sum, s) => sum + (s.t - mt) ** 2, 0);
    return den === 0 ? 0 : (num / den) * 3600;
  };
  const steady = samples.filter((s) => s.t > window);
  const steadySpan = steady.length > 1 ? steady.at(-1)!.t - steady[0]!.t : 0;
  const slope = slopeOf(steady.length > 2 ? steady : samples);
  const requests = total();
  const unexpected = [...counts.values()].reduce((sum, c) => sum + c.unexpected, 0);
  const checks = [
    {
      check: "RSS growth, last window avg - first window avg (MB)",
      measured: round(growth, 1),
      // A shorter run compares parts of the warm-up (the heap is still finding its size).
      limit: elapsed >= 600 ? `<= ${maxGrowth}` : "report (needs 10 min)",
      pass: elapsed < 600 || growth <= maxGrowth,
    },
    {
      check: `RSS slope after the first window (MB/h, over ${round(steadySpan / 60, 1)} min)`,
      measured: round(slope, 1),
      limit: steadySpan >= 600 ? `<= ${maxSlope}` : `report (needs 10 min)`,
      pass: steadySpan < 600 || slope <= maxSlope,
    },
    {
      check: "unexpected failures",
      measured: `${unexpected} of ${requests}`,
      limit: "<= 0.1%",
      pass: unexpected <= requests * 0.001,
    },
    { check: "proxy still running", measured: String(stillAlive), limit: "true", pass: stillAlive },
  ];

  console.log(
    `\nSoak: ${round(elapsed / 60, 1)} min, ${agents} agents, ${requests} requests (${round(requests / elapsed, 1)}/s)`,
  );
  printTable(
    ["scenario", "ok", "unexpected"],
    SCENARIOS.map(([name]) => [name, counts.get(name)?.ok ?? 0, counts.get(name)?.unexpected ?? 0]),
  );
  console.log("\nRSS (MB), one sample per minute:");
  console.log(
    samples
      .filter((s, i) => i === 0 || Math.floor(s.t / 60) !== Math.floor(samples[i - 1]!.t / 60))
      .map((s) => `${round(s.t / 60, 0)}m:${s.rss}`)
      .join(" "),
  );
  console.log(
    `\nRSS after 30 s without traffic: ${round(quiet.total, 1)} (anon ${round(quiet.anon, 1)})`,
  );
  console.log(
    `RSS before traffic ${round(before.total, 1)}, first sample ${samples[0]!.rss}, end ${samples.at(-1)!.rss}, min ${Math.min(...samples.map((s) => s.rss))}, max ${Math.max(...samples.map((s) => s.rss))}; first ${round(window / 60, 1)} min avg ${round(avg(firstWindow), 1)}, last ${round(window / 60, 1)} min avg ${round(avg(lastWindow), 1)}`,
  );
  printTable(
    ["check", "measured", "limit", "verdict"],
    checks.map((c) => [c.check, String(c.measured), c.limit, c.pass ? "PASS" : "FAIL"]),
  );
  if (problems.length > 0) console.log(`\nFirst problems:\n${problems.join("\n")}`);
  const summary = {
    minutes: round(elapsed / 60, 2),
    agents,
    requests,
    requests_per_second: round(requests / elapsed, 1),
    scenarios: Object.fromEntries(counts),
    problems,
    provider: providerStats,
    proxy_stats_requests: (proxyStats as { requests?: unknown }).requests ?? null,
    rss_mb: {
      before_traffic: round(before.total, 1),
      start: samples[0]!.rss,
      end: samples.at(-1)!.rss,
      min: Math.min(...samples.map((s) => s.rss)),
      max: Math.max(...samples.map((s) => s.rss)),
      window_minutes: round(window / 60, 2),
      first_window_avg: round(avg(firstWindow), 1),
      last_window_avg: round(avg(lastWindow), 1),
      growth: round(growth, 1),
      slope_mb_per_hour: round(slope, 1),
      slope_all_mb_per_hour: round(slopeOf(samples), 1),
      quiet_after_30s: round(quiet.total, 1),
    },
    limits: { max_growth_mb: maxGrowth, max_slope_mb_per_hour: maxSlope },
    checks,
    samples,
  };
  console.log(JSON.stringify({ ...summary, samples: undefined }));
  mkdirSync(join(root, "dist"), { recursive: true });
  writeFileSync(join(root, "dist", "soak.json"), `${JSON.stringify(summary, null, 2)}\n`);
  exitCode = checks.every((c) => c.pass) ? 0 : 1;
} finally {
  await stopAll(processes);
  rmSync(work, { recursive: true, force: true });
}
process.exit(exitCode);
