/**
 * The session benchmark with idle gaps: what compacting the history when the provider's cache has
 * expired saves over first-sight compression alone. Sessions in the real Claude Code and Codex
 * shapes (scripts/bench-sessions/sessions.ts) pause a few times for longer than the fake
 * provider's cache lifetime (`--ttl-seconds`; its caches expire that long after their last use
 * and bill writes and reads as providers do). Every request goes direct and through two compiled
 * proxies, one with HEADROOM_COMPACT_ON_EXPIRY on and one with it off, each told the same
 * lifetime (HEADROOM_PROVIDER_CACHE_TTL_SECONDS). Prints per client: net input cost direct, with
 * first-sight compression only and with compaction; the prompt-cache rewrites either caused while
 * the cache was warm (target 0); and the prefixes compaction changed after a gap.
 *
 *   bun run scripts/bench-sessions-idle.ts [--sessions 2] [--length 40] [--gaps 3]
 *                                          [--ttl-seconds 4] [--join-at 0] [--no-build]
 *
 * `--join-at N` sends each session's first N requests through headroom bypassed, as if it had
 * joined the session late: their outputs are history it never decided. Nothing listens beyond
 * 127.0.0.1. Writes dist/bench-sessions-idle.json.
 */

import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadEncoding } from "../src/compress/tokens.ts";
import { type Served, startHeadroom, stopAll } from "./bench/processes.ts";
import { printTable, round } from "./bench/stats.ts";
import { type PricingUpstream, startPricingUpstream } from "./bench-sessions/pricing-upstream.ts";
import { type ClientFigures, runClient } from "./bench-sessions/run.ts";
import { type Client, planSessions, withIdleGaps } from "./bench-sessions/sessions.ts";
import { compileHeadroom } from "./compile.ts";
import { loadSamples, SAMPLES_DIR } from "./corpus/corpus.ts";

const root = join(import.meta.dir, "..");
process.chdir(root);

const { values: opts } = parseArgs({
  options: {
    sessions: { type: "string", default: "2" },
    length: { type: "string", default: "40" },
    gaps: { type: "string", default: "3" },
    "ttl-seconds": { type: "string", default: "4" },
    "join-at": { type: "string", default: "0" },
    "no-build": { type: "boolean" },
  },
});
const progress = (text: string) => process.stderr.write(`bench-sessions-idle: ${text}\n`);
const TARGET_PCT = 25;

const samples = loadSamples(SAMPLES_DIR);
const ttlMs = Number(opts["ttl-seconds"]) * 1000;
// Past the lifetime and the proxy's 10% margin, with room for a loaded machine.
const idleMs = Math.ceil(ttlMs * 1.5);
const pacing = { idleMs, joinAt: Number(opts["join-at"]) };

if (!opts["no-build"]) {
  progress("building dist/headroom");
  await compileHeadroom("./dist/headroom");
}
const temp = mkdtempSync(join(tmpdir(), "headroom-bench-idle-"));
const binary = join(temp, "headroom");
copyFileSync(join(root, "dist", "headroom"), binary);
await loadEncoding("o200k_base");

/** One side of the comparison: a direct lane and a proxied lane, each its own account. */
interface Side {
  readonly direct: PricingUpstream;
  readonly proxied: PricingUpstream;
  readonly headroom: Served;
}

async function side(name: string, compact: boolean): Promise<Side> {
  const direct = startPricingUpstream({ cacheTtlMs: ttlMs });
  const proxied = startPricingUpstream({ cacheTtlMs: ttlMs });
  const headroom = await startHeadroom(
    proxied.url,
    ["--workspace-dir", join(temp, `workspace-${name}`)],
    {
      stateless: false,
      binary,
      env: {
        ...process.env,
        HEADROOM_COMPRESSION_BUDGET_MS: "5000",
        HEADROOM_COMPACT_ON_EXPIRY: compact ? "1" : "0",
        HEADROOM_PROVIDER_CACHE_TTL_SECONDS: String(ttlMs / 1000),
      },
    },
  );
  return { direct, proxied, headroom };
}

const retrieveFrom = (side: Side) => async (hash: string) => {
  const response = await fetch(`${side.headroom.url}/v1/retrieve/${hash}`);
  if (!response.ok) return undefined;
  return ((await response.json()) as { original_content?: string }).original_content;
};

const sides = {
  firstSight: await side("first-sight", false),
  compaction: await side("compaction", true),
};
const results: {
  client: Client;
  firstSight: ClientFigures;
  compaction: ClientFigures;
  stats: unknown;
}[] = [];
try {
  for (const client of ["claude-code", "codex"] as const) {
    const plans = planSessions(client, samples, Number(opts.sessions), Number(opts.length)).map(
      (plan) => withIdleGaps(plan, Number(opts.gaps)),
    );
    progress(`${client}: ${plans.length} sessions, ${opts.gaps} idle gaps of ${idleMs} ms each`);
    const run = (s: Side, label: string) =>
      runClient(
        client,
        plans,
        { direct: s.direct, proxied: s.proxied, proxyUrl: s.headroom.url },
        retrieveFrom(s),
        (text) => progress(`${label}: ${text}`),
        pacing,
      );
    const [firstSight, compaction] = await Promise.all([
      run(sides.firstSight, "first-sight"),
      run(sides.compaction, "compaction"),
    ]);
    const stats = await (await fetch(`${sides.compaction.headroom.url}/stats`)).json();
    results.push({
      client,
      firstSight,
      compaction,
      stats: (stats as { compaction: unknown }).compaction,
    });
  }
} finally {
  await stopAll([sides.firstSight.headroom, sides.compaction.headroom]);
  for (const s of Object.values(sides)) {
    s.direct.stop();
    s.proxied.stop();
  }
  rmSync(temp, { recursive: true, force: true });
}

const pct = (saved: number, of: number) => (of === 0 ? 0 : round((100 * saved) / of, 1));
const summary = results.map(({ client, firstSight, compaction, stats }) => ({
  client,
  requests: compaction.requests,
  input_units_direct: Math.round(compaction.unitsDirect),
  input_units_first_sight: Math.round(firstSight.unitsProxied),
  input_units_compaction: Math.round(compaction.unitsProxied),
  compaction_saved_pct: pct(
    firstSight.unitsProxied - compaction.unitsProxied,
    firstSight.unitsProxied,
  ),
  target_pct: TARGET_PCT,
  rewrites_while_warm: { first_sight: firstSight.rewrites, compaction: compaction.rewrites },
  rewrites_while_warm_at: compaction.rewriteAt,
  prefixes_changed_after_idle: compaction.rewritesAfterIdle,
  cache_write_tokens: {
    first_sight: firstSight.cacheWriteProxied,
    compaction: compaction.cacheWriteProxied,
  },
  final_context_tokens: {
    direct: compaction.finalTokensDirect,
    first_sight: firstSight.finalTokensProxied,
    compaction: compaction.finalTokensProxied,
  },
  facts_lost: compaction.factsLost.length,
  compaction_stats: stats,
}));

process.stdout.write(
  `\n${opts.sessions} sessions per client × ${opts.length} tool outputs, ${opts.gaps} idle gaps each; cache lifetime ${ttlMs / 1000} s; headroom joins at request ${pacing.joinAt}.\n` +
    "Input cost in input-token units: uncached 1×, cache reads 0.1×, cache writes 1.25× (Anthropic).\n\n",
);
printTable(
  [
    "client",
    "requests",
    "direct",
    "first-sight only",
    "with compaction",
    "saved",
    "target",
    "warm rewrites",
    "compacted after gap",
    "facts lost",
  ],
  summary.map((s) => [
    s.client,
    s.requests,
    s.input_units_direct,
    s.input_units_first_sight,
    s.input_units_compaction,
    `${s.compaction_saved_pct}%`,
    `≥${s.target_pct}%`,
    `${s.rewrites_while_warm.first_sight} / ${s.rewrites_while_warm.compaction}`,
    s.prefixes_changed_after_idle,
    s.facts_lost,
  ]),
);
for (const s of summary)
  for (const at of s.rewrites_while_warm_at)
    process.stdout.write(`  ${s.client} warm rewrite: ${at}\n`);
mkdirSync(join(root, "dist"), { recursive: true });
writeFileSync(
  join(root, "dist", "bench-sessions-idle.json"),
  `${JSON.stringify({ started_at: new Date().toISOString(), ttl_seconds: ttlMs / 1000, idle_ms: idleMs, join_at: pacing.joinAt, clients: summary }, null, 2)}\n`,
);
process.stdout.write("\nwrote dist/bench-sessions-idle.json\n");
