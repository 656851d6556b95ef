/**
 * headroom's performance figures, each measured side by side in one run and set against its
 * target: passthrough overhead against a direct call and a bare relay, throughput against direct,
 * against a bare Bun.serve -> fetch relay (with CPU per request) and against
 * Portkey's open-source gateway on the same fake upstream, compression latency per kind and
 * size, memory at idle and under 200 concurrent streams, and cold start. Prints a table with
 * PASS/MISS per figure, then one JSON line (also written to dist/perf.json).
 *
 *   bun run scripts/perf.ts [--quick] [--no-build] [--no-portkey] [--strict]
 *                           [--rounds 5] [--seconds 2] [--connections 64] [--streams 200]
 *
 * Load comes from wrk when installed (apt install wrk), else from a Bun client in its own
 * process. Every server runs in its own process; nothing listens beyond 127.0.0.1. The first run
 * installs @portkey-ai/gateway (pinned) into .cache/portkey with npm. --strict exits 1 on a MISS.
 * The figures are only as quiet as the machine: the load average is recorded with them.
 */

import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { compressText } from "../src/compress/compress-text.ts";
import { detectContent } from "../src/compress/detect.ts";
import { nativeSha256 } from "../src/runtime/native-sha256.ts";
import { cpuMs } from "./bench/cpu.ts";
import { hasWrk, type LoadResult, runLoad } from "./bench/load.ts";
import { treeRss } from "./bench/memory.ts";
import { PORTKEY_VERSION, portkeyHeaders, startPortkey } from "./bench/portkey.ts";
import { freePort, type Served, startHeadroom, startScript, stopAll } from "./bench/processes.ts";
import { KINDS, type SampleKind, toolOutput } from "./bench/samples.ts";
import { printTable, quantile, round } from "./bench/stats.ts";
import { compileHeadroom } from "./compile.ts";

const root = join(import.meta.dir, "..");
process.chdir(root);

const { values: opts } = parseArgs({
  options: {
    quick: { type: "boolean" },
    "no-build": { type: "boolean" },
    "no-portkey": { type: "boolean" },
    strict: { type: "boolean" },
    rounds: { type: "string" },
    seconds: { type: "string" },
    connections: { type: "string", default: "64" },
    streams: { type: "string", default: "200" },
  },
});
const quick = opts.quick === true;
const rounds = Number(opts.rounds ?? (quick ? 3 : 5));
const seconds = Number(opts.seconds ?? (quick ? 1 : 2));
const connections = Number(opts.connections);
const streamCount = Number(opts.streams);
const scale = quick ? 0.3 : 1;

const TARGETS = {
  addedP50Ms: 0.3,
  // Against the bare Bun.serve -> fetch relay on the same load: what headroom's own work costs.
  relayThroughputShare: 0.75,
  addedOverRelayP50Ms: 0.1,
  portkeyMultiple: 10,
  compressP99Ms100k: 10,
  idleRssMb: 40,
  streamsRssMb: 160,
  coldStartMs: 100,
};

const progress = (text: string) => process.stderr.write(`perf: ${text}\n`);
const med = (values: number[]) => quantile(values, 0.5);
const tempDirs: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
};
const startedAt = new Date().toISOString();
const loadBefore = loadavg()[0]!;
if (loadBefore > 0.5) {
  progress(
    `load average is ${round(loadBefore, 2)}: other work on this machine will show in the figures`,
  );
}

if (!opts["no-build"]) {
  progress("building dist/headroom");
  await compileHeadroom("./dist/headroom");
}
// Run a private copy: a rebuild of dist/headroom during the run must not change what is measured.
const binary = join(tempDir("headroom-perf-bin-"), "headroom");
copyFileSync(join(root, "dist", "headroom"), binary);

// ---------------------------------------------------------------- compression latency
// In this process, before any server starts, so the machine is as quiet as it gets.

const SIZES = [10_000, 100_000, 1_000_000] as const;
const RUNS: Record<(typeof SIZES)[number], number> = { 10000: 200, 100000: 100, 1000000: 15 };
interface CompressionFigure {
  kind: SampleKind;
  bytes: number;
  detected: string;
  strategy: string | null;
  ratio: number;
  runs: number;
  p50_ms: number;
  p99_ms: number;
}
const compression: CompressionFigure[] = [];
progress("compression latency per kind and size");
for (const kind of KINDS) {
  for (const size of SIZES) {
    // Four different inputs of the kind and size, so no run sees the text of the one before.
    const texts = [1, 2, 3, 4].map((seed) => toolOutput(kind, size, seed));
    const once = (text: string) => {
      let hash: string | undefined;
      return compressText(text, {
        query: "",
        lossy: true,
        hash: () => {
          hash ??= nativeSha256(text).slice(0, 24);
          return hash;
        },
      });
    };
    for (const text of texts) once(text);
    const runs = Math.max(8, Math.round(RUNS[size] * scale));
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const text = texts[i % texts.length]!;
      const t0 = performance.now();
      once(text);
      samples.push(performance.now() - t0);
    }
    const result = once(texts[0]!);
    compression.push({
      kind,
      bytes: size,
      detected: detectContent(texts[0]!),
      strategy: result?.strategy ?? null,
      ratio: round((result?.text.length ?? texts[0]!.length) / texts[0]!.length, 3),
      runs,
      p50_ms: round(med(samples), 2),
      p99_ms: round(quantile(samples, 0.99), 2),
    });
  }
}

// ---------------------------------------------------------------- passthrough and throughput

const plainBody = JSON.stringify({
  model: "claude-sonnet-4-5",
  max_tokens: 1024,
  messages: [
    {
      role: "user",
      content: "Please look at the failing test below and tell me what is wrong.\n".repeat(20),
    },
  ],
});

const processes: Served[] = [];
const exitCode = await (async () => {
  try {
    progress("starting the fake upstream, a bare relay, headroom (x2) and Portkey");
    const upstream = await startScript("upstream-server.ts");
    processes.push(upstream);
    const bare = await startScript("bare-relay.ts", [upstream.url]);
    processes.push(bare);
    const headroom = await startHeadroom(
      upstream.url,
      ["--workspace-dir", tempDir("headroom-perf-")],
      { stateless: false, binary },
    );
    processes.push(headroom);
    const stateless = await startHeadroom(upstream.url, [], { binary });
    processes.push(stateless);
    let portkey: Served | undefined;
    let portkeyNote = "";
    if (!opts["no-portkey"]) {
      try {
        portkey = await startPortkey();
        processes.push(portkey);
      } catch (error) {
        portkeyNote = (error as Error).message;
        progress(`Portkey not measured: ${portkeyNote}`);
      }
    }
    const headers = {
      "content-type": "application/json",
      "x-api-key": "sk-ant-bench",
      "anthropic-version": "2023-06-01",
      // Portkey routes on these; the others pass them along or ignore them.
      ...portkeyHeaders(upstream.url),
    };
    const upstreamCount = async () =>
      ((await (await fetch(`${upstream.url}/__stats`)).json()) as { requests: number }).requests;

    // Portkey really forwards to the fake upstream: its answer is the upstream's, counted there.
    let portkeyVerified = false;
    if (portkey) {
      const before = await upstreamCount();
      const res = await fetch(`${portkey.url}/v1/messages`, {
        method: "POST",
        headers,
        body: plainBody,
      });
      const text = await res.text();
      portkeyVerified =
        res.status === 200 &&
        text.includes('"msg_bench"') &&
        res.headers.get("x-portkey-provider") === "anthropic" &&
        (await upstreamCount()) === before + 1;
      if (!portkeyVerified) {
        portkeyNote = `did not forward to the fake upstream (${res.status} ${text.slice(0, 120)})`;
      }
    }

    const targets: [string, string][] = [
      ["direct", upstream.url],
      ["bare relay", bare.url],
      ["headroom", headroom.url],
      ["headroom --stateless", stateless.url],
      ...(portkey && portkeyVerified ? [[`Portkey ${PORTKEY_VERSION}`, portkey.url]] : []),
    ] as [string, string][];
    const names = targets.map(([name]) => name);
    const load = (url: string, conns: number, secs: number): Promise<LoadResult> =>
      runLoad(`${url}/v1/messages`, {
        connections: conns,
        seconds: secs,
        body: plainBody,
        headers,
      });

    progress(`warming up every path (${hasWrk() ? "wrk" : "Bun client"})`);
    for (const [, url] of targets) await load(url, 8, 1);

    progress(`sequential latency: ${rounds} rounds x ${targets.length} targets x ${seconds}s`);
    const seq: Record<string, LoadResult[]> = Object.fromEntries(names.map((n) => [n, []]));
    for (let r = 0; r < rounds; r++) {
      // Interleaved, so drift on the machine hits every target alike.
      for (const [name, url] of targets) seq[name]!.push(await load(url, 1, seconds));
    }
    const added = (name: string, field: "p50_ms" | "p99_ms") =>
      round(med(seq[name]!.map((result, r) => result[field] - seq.direct![r]![field])), 3);
    // Over the bare relay, round by round: both were measured seconds apart.
    const addedOverRelay = (name: string) =>
      seq[name]!.map((result, r) => result.p50_ms - seq["bare relay"]![r]!.p50_ms);

    const tputRounds = quick ? 1 : 3;
    const tputSeconds = quick ? 3 : 5;
    progress(`throughput @${connections}: ${tputRounds} rounds x ${tputSeconds}s`);
    const tput: Record<string, LoadResult[]> = Object.fromEntries(names.map((n) => [n, []]));
    const forwarded: Record<string, number> = {};
    // CPU per request of the processes that are one process each (Portkey's is not measured).
    const pids: Record<string, number> = {
      direct: upstream.proc.pid,
      "bare relay": bare.proc.pid,
      headroom: headroom.proc.pid,
      "headroom --stateless": stateless.proc.pid,
    };
    const cpuPerRequest: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
    for (let r = 0; r < tputRounds; r++) {
      for (const [name, url] of targets) {
        const before = await upstreamCount();
        const pid = pids[name];
        const cpuBefore = pid === undefined ? Number.NaN : cpuMs(pid);
        const result = await load(url, connections, tputSeconds);
        tput[name]!.push(result);
        if (pid !== undefined) {
          cpuPerRequest[name]!.push(((cpuMs(pid) - cpuBefore) * 1000) / result.requests);
        }
        forwarded[name] = (forwarded[name] ?? 0) + (await upstreamCount()) - before;
      }
    }
    const cpuUs = (name: string) => round(med(cpuPerRequest[name] ?? []), 1);
    const cpuRatios = (name: string) =>
      cpuPerRequest[name]!.map((us, r) => us / cpuPerRequest["bare relay"]![r]!);
    const relayShares = (name: string) =>
      tput[name]!.map((result, r) => result.rps / tput["bare relay"]![r]!.rps);
    const spread = (values: number[], digits: number, scale = 1) =>
      values.map((value) => round(value * scale, digits)).join(", ");
    const rps = (name: string) => round(med(tput[name]!.map((result) => result.rps)), 0);
    const completed = (name: string) =>
      tput[name]!.reduce((sum, result) => sum + result.requests, 0);
    const failures = (name: string) =>
      [...seq[name]!, ...tput[name]!].reduce(
        (sum, result) => sum + result.errors + result.non2xx,
        0,
      );

    await stopAll(processes.splice(0));

    // ---------------------------------------------------------------- memory
    progress("memory: idle, after the first compression, under concurrent streams");
    const provider = await startScript("fake-provider.ts");
    processes.push(provider);
    const { BUN_CONFIG_MAX_HTTP_REQUESTS: _, ...userEnv } = process.env;
    const memProxy = await startHeadroom(
      provider.url,
      ["--workspace-dir", tempDir("headroom-perf-mem-")],
      { stateless: false, env: userEnv, binary },
    );
    processes.push(memProxy);
    const pid = memProxy.proc.pid;
    const rssNow = () => treeRss(pid);
    const settle = async () => {
      const samples = [];
      for (let i = 0; i < 5; i++) {
        await Bun.sleep(200);
        samples.push(rssNow());
      }
      return samples.sort((a, b) => a.total - b.total)[2]!;
    };
    await Bun.sleep(500);
    const idle = await settle();
    // One compressed request: the tool output is compressed and its tokens counted, which loads
    // the o200k tables (about 85 MB).
    const first = await fetch(`${memProxy.url}/v1/messages`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-api-key": "sk-ant-bench",
        "anthropic-version": "2023-06-01",
      },
      body: JSON.stringify({
        model: "claude-sonnet-4-5",
        max_tokens: 100,
        messages: [
          { role: "user", content: "what failed?" },
          {
            role: "assistant",
            content: [{ type: "tool_use", id: "toolu_0", name: "bash", input: {} }],
          },
          {
            role: "user",
            content: [
              { type: "tool_result", tool_use_id: "toolu_0", content: toolOutput("log", 20_000) },
            ],
          },
        ],
      }),
    });
    await first.arrayBuffer();
    const firstCompressed = first.headers.get("x-headroom-transforms") ?? "";
    await Bun.sleep(1000);
    const tokenizerLoaded = await settle();

    const client = Bun.spawn(
      [
        process.execPath,
        join(import.meta.dir, "bench", "stream-load.ts"),
        `${memProxy.url}/v1/messages`,
        String(streamCount),
        "16000",
        // About 100 events 100 ms apart: each stream stays open ~10 s, as a model's reply would.
        "100",
        "800",
      ],
      {
        stdout: "pipe",
        stderr: "inherit",
        env: { ...process.env, BUN_CONFIG_MAX_HTTP_REQUESTS: "4096" },
      },
    );
    let peak = rssNow();
    let peakOpen = 0;
    let done = false;
    let allOpenSince: number | undefined;
    // RSS while every stream is open, once the burst of compressions is 3 s behind.
    const steadySamples: number[] = [];
    const clientOut = new Response(client.stdout).text().finally(() => {
      done = true;
    });
    while (!done) {
      const sample = rssNow();
      if (sample.total > peak.total) peak = sample;
      const open = ((await (await fetch(`${provider.url}/__stats`)).json()) as { open: number })
        .open;
      peakOpen = Math.max(peakOpen, open);
      if (open >= streamCount) allOpenSince ??= performance.now();
      else allOpenSince = undefined;
      if (allOpenSince !== undefined && performance.now() - allOpenSince > 3000) {
        steadySamples.push(sample.total);
      }
      await Bun.sleep(50);
    }
    const steadyRss = steadySamples.length > 0 ? quantile(steadySamples, 0.5) : Number.NaN;
    const streamsResult = JSON.parse((await clientOut).trim()) as { ok: number; failed: number };
    await stopAll(processes.splice(0));

    // ---------------------------------------------------------------- cold start
    const coldRuns = quick ? 5 : 10;
    progress(`cold start: ${coldRuns} runs`);
    const coldWorkspace = tempDir("headroom-perf-cold-");
    const cold: number[] = [];
    for (let i = 0; i < coldRuns + 1; i++) {
      const port = freePort();
      const t0 = performance.now();
      const proc = Bun.spawn(
        [binary, "proxy", "--port", String(port), "--workspace-dir", coldWorkspace],
        // As a user starts it: without BUN_CONFIG_MAX_HTTP_REQUESTS, so the re-run is included.
        { stdout: "ignore", stderr: "ignore", env: userEnv },
      );
      for (;;) {
        try {
          if ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200) break;
        } catch {
          // Not listening yet.
        }
        if (performance.now() - t0 > 10_000) throw new Error("headroom did not become ready");
        await Bun.sleep(1);
      }
      // The first run creates the workspace database; a user's usual start finds it there.
      if (i > 0) cold.push(performance.now() - t0);
      proc.kill("SIGTERM");
      await proc.exited;
    }

    // ---------------------------------------------------------------- report
    const p100k = compression.filter((figure) => figure.bytes === 100_000);
    const worst100k = p100k.reduce((a, b) => (b.p99_ms > a.p99_ms ? b : a));
    const portkeyName = names.find((name) => name.startsWith("Portkey"));
    // Per round, then the median: both were measured seconds apart, so a machine that slows
    // down for a while (a shared VM does) moves both alike instead of only the one it caught.
    const roundMultiples = portkeyName
      ? tput.headroom!.map((result, r) => result.rps / tput[portkeyName]![r]!.rps)
      : [];
    const multiple = portkeyName ? round(med(roundMultiples), 1) : Number.NaN;
    const verdict = (ok: boolean) => (ok ? "PASS" : "MISS");
    const figures = [
      {
        figure: "passthrough added latency p50 (ms)",
        measured: added("headroom", "p50_ms"),
        target: `<= ${TARGETS.addedP50Ms}`,
        verdict: verdict(added("headroom", "p50_ms") <= TARGETS.addedP50Ms),
      },
      {
        figure: "passthrough added latency p99 (ms)",
        measured: added("headroom", "p99_ms"),
        target: "report",
        verdict: "-",
      },
      {
        figure: "  same, --stateless: added p50 / p99 (ms)",
        measured: `${added("headroom --stateless", "p50_ms")} / ${added("headroom --stateless", "p99_ms")}`,
        target: "report",
        verdict: "-",
      },
      {
        figure: `throughput @${connections}, % of the bare relay (per round)`,
        measured: `${round(med(relayShares("headroom")) * 100, 1)}% (${spread(relayShares("headroom"), 1, 100)})`,
        target: `>= ${TARGETS.relayThroughputShare * 100}%`,
        verdict: verdict(med(relayShares("headroom")) >= TARGETS.relayThroughputShare),
      },
      {
        figure: "added latency p50 over the bare relay (ms, per round)",
        measured: `${round(med(addedOverRelay("headroom")), 3)} (${spread(addedOverRelay("headroom"), 3)})`,
        target: `<= ${TARGETS.addedOverRelayP50Ms}`,
        verdict: verdict(med(addedOverRelay("headroom")) <= TARGETS.addedOverRelayP50Ms),
      },
      {
        figure: "  same, --stateless: % of the bare relay / added p50 (ms)",
        measured: `${round(med(relayShares("headroom --stateless")) * 100, 1)}% / ${round(med(addedOverRelay("headroom --stateless")), 3)}`,
        target: "report",
        verdict: "-",
      },
      {
        // Per round, against the bare relay measured seconds before: CPU time moves far less
        // with other work on the machine than throughput does.
        figure: `CPU per request @${connections}, x the bare relay's (per round)`,
        measured: `${round(med(cpuRatios("headroom")), 2)} (${spread(cpuRatios("headroom"), 2)}); --stateless ${round(med(cpuRatios("headroom --stateless")), 2)}`,
        target: "report",
        verdict: "-",
      },
      {
        figure: `CPU per request @${connections} (us): headroom / --stateless / bare relay`,
        measured: `${cpuUs("headroom")} / ${cpuUs("headroom --stateless")} / ${cpuUs("bare relay")}`,
        target: "report",
        verdict: "-",
      },
      {
        figure: `throughput @${connections}, % of direct`,
        measured: `${round((rps("headroom") / rps("direct")) * 100, 1)}% (bare relay ${round((rps("bare relay") / rps("direct")) * 100, 1)}%)`,
        target: "report",
        verdict: "-",
      },
      {
        figure: `throughput @${connections} vs Portkey (x)`,
        measured: portkeyName ? multiple : `not run: ${portkeyNote}`,
        target: `>= ${TARGETS.portkeyMultiple}x`,
        verdict: portkeyName ? verdict(multiple >= TARGETS.portkeyMultiple) : "MISS",
      },
      {
        figure: `compression p99, 100 KB, worst kind (ms)`,
        measured: `${worst100k.p99_ms} (${worst100k.kind})`,
        target: `<= ${TARGETS.compressP99Ms100k}`,
        verdict: verdict(worst100k.p99_ms <= TARGETS.compressP99Ms100k),
      },
      {
        figure: "RSS idle, before the first compression (MB)",
        measured: `${round(idle.total, 1)} (anon ${round(idle.anon, 1)})`,
        target: `<= ${TARGETS.idleRssMb}`,
        verdict: verdict(idle.total <= TARGETS.idleRssMb),
      },
      {
        figure: "RSS after the first compression (MB)",
        measured: round(tokenizerLoaded.total, 1),
        target: "report",
        verdict: "-",
      },
      {
        figure: `RSS with ${streamCount} concurrent streams open (MB)`,
        measured: `${round(steadyRss, 1)} (${peakOpen} open at once, ${streamsResult.ok} ok)`,
        target: `<= ${TARGETS.streamsRssMb}`,
        verdict: verdict(
          steadyRss <= TARGETS.streamsRssMb &&
            peakOpen >= streamCount &&
            streamsResult.ok === streamCount,
        ),
      },
      {
        figure: `  RSS peak, in the burst of ${streamCount} fresh compressions (MB)`,
        measured: round(peak.total, 1),
        target: "report",
        verdict: "-",
      },
      {
        figure: "cold start to ready, p50 (ms)",
        measured: `${round(med(cold), 1)} (min ${round(Math.min(...cold), 1)}, max ${round(Math.max(...cold), 1)})`,
        target: `<= ${TARGETS.coldStartMs}`,
        verdict: verdict(med(cold) <= TARGETS.coldStartMs),
      },
    ];

    console.log(
      `\nPassthrough (${plainBody.length}-byte Anthropic request; ${hasWrk() ? "wrk" : "Bun client"}; medians of ${rounds} interleaved rounds):`,
    );
    printTable(
      [
        "target",
        "seq p50 (ms)",
        "seq p99 (ms)",
        "added p50",
        "added p99",
        `req/s @${connections}`,
        "vs direct",
        "CPU/req (us)",
        "errors",
      ],
      names.map((name) => [
        name,
        round(med(seq[name]!.map((result) => result.p50_ms)), 3),
        round(med(seq[name]!.map((result) => result.p99_ms)), 3),
        name === "direct" ? "-" : added(name, "p50_ms"),
        name === "direct" ? "-" : added(name, "p99_ms"),
        rps(name),
        `${round((rps(name) / rps("direct")) * 100, 1)}%`,
        Number.isNaN(cpuUs(name)) ? "-" : cpuUs(name),
        failures(name),
      ]),
    );
    if (portkeyName) {
      console.log(
        `Portkey forwarded ${forwarded[portkeyName]} of its ${completed(portkeyName)} throughput requests to the fake upstream.`,
      );
    }

    console.log("\nCompression latency (compressText incl. hashing, in process):");
    printTable(
      ["kind", "size", "detected", "strategy", "out/in", "runs", "p50 (ms)", "p99 (ms)"],
      compression.map((figure) => [
        figure.kind,
        `${figure.bytes / 1000} KB`,
        figure.detected,
        figure.strategy ?? "-",
        figure.ratio,
        figure.runs,
        figure.p50_ms,
        figure.p99_ms,
      ]),
    );

    console.log("\nFigures against targets:");
    printTable(
      ["figure", "measured", "target", "verdict"],
      figures.map((f) => [f.figure, String(f.measured), f.target, f.verdict]),
    );

    const summary = {
      started_at: startedAt,
      machine: {
        cpus: navigator.hardwareConcurrency,
        bun: Bun.version,
        load_average_before: round(loadBefore, 2),
        load_average_after: round(loadavg()[0]!, 2),
        load_generator: hasWrk() ? "wrk" : "bun",
        quick,
      },
      figures,
      passthrough: Object.fromEntries(
        names.map((name) => [
          name,
          {
            seq_p50_ms: round(med(seq[name]!.map((result) => result.p50_ms)), 3),
            seq_p99_ms: round(med(seq[name]!.map((result) => result.p99_ms)), 3),
            added_p50_ms: name === "direct" ? 0 : added(name, "p50_ms"),
            added_p99_ms: name === "direct" ? 0 : added(name, "p99_ms"),
            rps: rps(name),
            rps_per_round: tput[name]!.map((result) => round(result.rps, 0)),
            cpu_us_per_request: Number.isNaN(cpuUs(name)) ? null : cpuUs(name),
            errors: failures(name),
            upstream_requests: forwarded[name],
            client_requests: completed(name),
          },
        ]),
      ),
      portkey: {
        version: PORTKEY_VERSION,
        verified: portkeyVerified,
        note: portkeyNote || null,
        multiple_per_round: roundMultiples.map((value) => round(value, 2)),
      },
      compression,
      memory_mb: {
        idle: idle,
        after_first_compression: tokenizerLoaded,
        first_compression_transforms: firstCompressed,
        streams_peak: peak,
        streams_steady: round(steadyRss, 1),
        streams: streamCount,
        streams_open_at_once: peakOpen,
        streams_ok: streamsResult.ok,
      },
      cold_start_ms: { runs: cold.map((ms) => round(ms, 1)), p50: round(med(cold), 1) },
    };
    console.log(JSON.stringify(summary));
    mkdirSync(join(root, "dist"), { recursive: true });
    writeFileSync(join(root, "dist", "perf.json"), `${JSON.stringify(summary, null, 2)}\n`);
    const missed = figures.filter((f) => f.verdict === "MISS").length;
    return opts.strict && missed > 0 ? 1 : 0;
  } finally {
    await stopAll(processes.splice(0));
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  }
})();
process.exit(exitCode);
