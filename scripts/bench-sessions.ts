/**
 * The session benchmark: what headroom saves on whole agent sessions once prompt caching is
 * billed. Sessions start from the real first request of Claude Code and of Codex (captured by
 * scripts/bench-sessions/capture.ts) and grow by tool calls whose outputs come from the corpus
 * (tests/corpus/samples), in the exact shapes each client sends. Every request goes straight to
 * a pricing fake upstream and, side by side, through the compiled proxy to another, which bill
 * Anthropic's breakpoint caching and OpenAI's automatic prefix caching. Prints per client: net
 * input cost direct vs proxied, prompt-cache rewrites the proxy caused, whole-request tokens
 * saved and facts kept, beside the targets; then a markdown table, and writes
 * dist/bench-sessions.json.
 *
 *   bun run scripts/bench-sessions.ts [--split report|tune|all] [--sessions 4] [--length 15]
 *                                     [--corpus DIR] [--no-build] [--budget-ms 2000]
 *                                     [--binary PATH] [--by-sample] [--strict]
 *
 * `--binary` measures another build of headroom (e.g. an older commit's dist/headroom) instead of
 * building this checkout's. `--by-sample` also prints the prompt tokens each sample's tool calls
 * added to their sessions, direct and proxied. `--strict` exits 1 when a client misses a target.
 *
 * Tokens are o200k counts for both providers (an estimate for Claude). Nothing listens beyond
 * 127.0.0.1.
 */

import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadEncoding } from "../src/compress/tokens.ts";
import { startHeadroom, stopAll } from "./bench/processes.ts";
import { printTable, round } from "./bench/stats.ts";
import { startPricingUpstream } from "./bench-sessions/pricing-upstream.ts";
import { type ClientFigures, runClient } from "./bench-sessions/run.ts";
import { type Client, planSessions } from "./bench-sessions/sessions.ts";
import { compileHeadroom } from "./compile.ts";
import { loadSamples, SAMPLES_DIR } from "./corpus/corpus.ts";

const root = join(import.meta.dir, "..");
process.chdir(root);

const { values: opts } = parseArgs({
  options: {
    split: { type: "string", default: "report" },
    sessions: { type: "string", default: "4" },
    length: { type: "string", default: "15" },
    corpus: { type: "string", default: SAMPLES_DIR },
    "no-build": { type: "boolean" },
    "budget-ms": { type: "string", default: "2000" },
    binary: { type: "string" },
    "by-sample": { type: "boolean" },
    strict: { type: "boolean" },
  },
});
const progress = (text: string) => process.stderr.write(`bench-sessions: ${text}\n`);

/** The targets, per client. */
const TARGETS: Record<Client, { savedPct: number }> = {
  "claude-code": { savedPct: 55 },
  codex: { savedPct: 30 },
};

const samples = loadSamples(opts.corpus).filter(
  (sample) => opts.split === "all" || sample.split === opts.split,
);
if (samples.length === 0) throw new Error(`no samples of split ${opts.split} in ${opts.corpus}`);
const sessionCount = Number(opts.sessions);
const length = Math.min(Number(opts.length), samples.length);

if (!opts["no-build"] && !opts.binary) {
  progress("building dist/headroom");
  await compileHeadroom("./dist/headroom");
}
const temp = mkdtempSync(join(tmpdir(), "headroom-bench-sessions-"));
// A private copy: a rebuild of dist/headroom during the run must not change what is measured.
const binary = join(temp, "headroom");
copyFileSync(opts.binary ?? join(root, "dist", "headroom"), binary);
await loadEncoding("o200k_base");

const direct = startPricingUpstream();
const proxied = startPricingUpstream();
const headroom = await startHeadroom(proxied.url, ["--workspace-dir", join(temp, "workspace")], {
  stateless: false,
  binary,
  env: {
    ...process.env,
    // Savings, not speed, are measured here: a loaded machine must not skip compression.
    HEADROOM_COMPRESSION_BUDGET_MS: opts["budget-ms"],
  },
});
const retrieve = async (hash: string): Promise<string | undefined> => {
  const response = await fetch(`${headroom.url}/v1/retrieve/${hash}`);
  if (!response.ok) return undefined;
  const body = (await response.json()) as { original_content?: string };
  return body.original_content;
};

const figures: ClientFigures[] = [];
try {
  for (const client of ["claude-code", "codex"] as const) {
    const plans = planSessions(client, samples, sessionCount, length);
    progress(`${client}: ${plans.length} sessions of ${length} outputs`);
    figures.push(
      await runClient(
        client,
        plans,
        { direct, proxied, proxyUrl: headroom.url },
        retrieve,
        progress,
      ),
    );
  }
} finally {
  await stopAll([headroom]);
  direct.stop();
  proxied.stop();
  rmSync(temp, { recursive: true, force: true });
}

const pct = (saved: number, of: number) => (of === 0 ? 0 : round((100 * saved) / of, 1));
const summary = figures.map((f) => {
  const savedPct = pct(f.unitsDirect - f.unitsProxied, f.unitsDirect);
  const target = TARGETS[f.client];
  return {
    client: f.client,
    sessions: f.sessions,
    requests: f.requests,
    input_units_direct: Math.round(f.unitsDirect),
    input_units_proxied: Math.round(f.unitsProxied),
    input_cost_saved_pct: savedPct,
    input_cost_target_pct: target.savedPct,
    cache_read_tokens: { direct: f.cacheReadDirect, proxied: f.cacheReadProxied },
    cache_write_tokens: { direct: f.cacheWriteDirect, proxied: f.cacheWriteProxied },
    cache_rewrites: f.rewrites,
    cache_rewrites_at: f.rewriteAt,
    tokens_direct: f.tokensDirect,
    tokens_proxied: f.tokensProxied,
    tokens_saved_pct: pct(f.tokensDirect - f.tokensProxied, f.tokensDirect),
    final_context_tokens: { direct: f.finalTokensDirect, proxied: f.finalTokensProxied },
    facts_delivered: f.factsDelivered,
    facts_visible: f.factsVisible,
    facts_retrievable: f.factsRetrievable,
    facts_lost: f.factsLost.length,
    facts_lost_list: f.factsLost,
    facts_not_delivered_by_client: f.factsNotDelivered,
    pass: savedPct >= target.savedPct && f.rewrites === 0 && f.factsLost.length === 0,
    by_sample: Object.fromEntries(f.bySample),
    per_request: f.perRequest,
  };
});

const label: Record<Client, string> = { "claude-code": "Claude Code", codex: "Codex" };
const mark = (ok: boolean) => (ok ? "PASS" : "MISS");
process.stdout.write(
  `\nSessions: ${sessionCount} per client × ${length} tool outputs from the "${opts.split}" split (${samples.length} samples).\n` +
    "Input cost in input-token units: uncached 1×, cache reads 0.1×, cache writes 1.25× (Anthropic).\n" +
    "Tokens are o200k counts for both providers (an estimate for Claude).\n\n",
);
printTable(
  [
    "client",
    "requests",
    "input cost direct",
    "proxied",
    "saved",
    "target",
    "rewrites",
    "tokens saved",
    "facts kept",
    "lost",
    "verdict",
  ],
  summary.map((s) => [
    label[s.client],
    s.requests,
    s.input_units_direct,
    s.input_units_proxied,
    `${s.input_cost_saved_pct}%`,
    `≥${s.input_cost_target_pct}%`,
    s.cache_rewrites,
    `${s.tokens_saved_pct}%`,
    `${s.facts_visible}+${s.facts_retrievable}/${s.facts_delivered}`,
    s.facts_lost,
    mark(s.pass),
  ]),
);
for (const s of summary) {
  for (const where of s.cache_rewrites_at)
    process.stdout.write(`  ${s.client} rewrite: ${where}\n`);
  for (const fact of s.facts_lost_list) process.stdout.write(`  ${s.client} lost: ${fact}\n`);
}

if (opts["by-sample"])
  for (const f of figures) {
    process.stdout.write(`\n${label[f.client]}: prompt tokens added per sample\n`);
    printTable(
      ["sample", "direct", "proxied", "saved"],
      [...f.bySample]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, added]) => [
          name,
          added.direct,
          added.proxied,
          `${pct(added.direct - added.proxied, added.direct)}%`,
        ]),
    );
  }

process.stdout.write(
  "\n| Client | Requests | Input cost direct → proxied (units) | Saved (target) | Cache rewrites (target 0) | Whole-request tokens saved | Facts kept: visible + retrievable / delivered (lost) |\n" +
    "|---|---:|---:|---:|---:|---:|---:|\n",
);
for (const s of summary)
  process.stdout.write(
    `| ${label[s.client]} | ${s.requests} | ${s.input_units_direct.toLocaleString("en-US")} → ${s.input_units_proxied.toLocaleString("en-US")} | ${s.input_cost_saved_pct}% (≥${s.input_cost_target_pct}%) | ${s.cache_rewrites} | ${s.tokens_saved_pct}% | ${s.facts_visible} + ${s.facts_retrievable} / ${s.facts_delivered} (${s.facts_lost}) |\n`,
  );

mkdirSync(join(root, "dist"), { recursive: true });
writeFileSync(
  join(root, "dist", "bench-sessions.json"),
  `${JSON.stringify(
    {
      started_at: new Date().toISOString(),
      split: opts.split,
      samples: samples.length,
      sessions_per_client: sessionCount,
      outputs_per_session: length,
      compression_budget_ms: Number(opts["budget-ms"]),
      tokenizer: "o200k_base (an estimate for Claude)",
      clients: summary,
    },
    null,
    2,
  )}\n`,
);
process.stdout.write("\nwrote dist/bench-sessions.json\n");
if (opts.strict && summary.some((s) => !s.pass)) process.exit(1);
