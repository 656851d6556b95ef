/**
 * What compacting a long history costs in latency: a Claude Code session of about 150k tokens
 * (corpus outputs in its real shape) that headroom joined late (its first request bypassed, so
 * every output is history it never decided) goes through the compiled proxy to an upstream that
 * answers at once. After an idle gap past the cache lifetime the next request compacts the whole
 * history; the one after replays it. Prints the client-side latency of each, median of `--runs`.
 *
 *   bun run scripts/bench-compaction.ts [--runs 5] [--tokens 150000] [--no-build]
 *
 * Nothing listens beyond 127.0.0.1.
 */

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { countWithEncoding, loadEncoding } from "../src/compress/tokens.ts";
import { startHeadroom, stopAll } from "./bench/processes.ts";
import { planSessions } from "./bench-sessions/sessions.ts";
import { compileHeadroom } from "./compile.ts";
import { loadSamples, SAMPLES_DIR } from "./corpus/corpus.ts";

const root = join(import.meta.dir, "..");
process.chdir(root);
const { values: opts } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    tokens: { type: "string", default: "150000" },
    "no-build": { type: "boolean" },
  },
});
if (!opts["no-build"]) await compileHeadroom("./dist/headroom");
await loadEncoding("o200k_base");

// The shortest Claude Code session of the corpus whose last request reaches the token target.
const samples = loadSamples(SAMPLES_DIR);
let body = "";
let tokens = 0;
for (let length = 10; length <= samples.length && tokens < Number(opts.tokens); length += 2) {
  const plan = planSessions("claude-code", samples, 1, length)[0]!;
  body = plan.steps.at(-1)!.body;
  tokens = countWithEncoding(body, "o200k_base");
}

const upstream = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  fetch: async (request) => {
    await request.arrayBuffer();
    return Response.json({
      id: "msg_bench",
      type: "message",
      role: "assistant",
      model: "claude-sonnet-4-5",
      content: [{ type: "text", text: "ok" }],
      stop_reason: "end_turn",
      stop_sequence: null,
      usage: {
        input_tokens: 10,
        cache_read_input_tokens: tokens,
        cache_creation_input_tokens: 0,
        output_tokens: 1,
      },
    });
  },
});
const temp = mkdtempSync(join(tmpdir(), "headroom-bench-compaction-"));
const headroom = await startHeadroom(
  `http://127.0.0.1:${upstream.port}`,
  ["--workspace-dir", join(temp, "ws")],
  {
    stateless: false,
    env: {
      ...process.env,
      HEADROOM_PROVIDER_CACHE_TTL_SECONDS: "1",
      HEADROOM_COMPRESSION_BUDGET_MS: "1000",
    },
  },
);

async function timed(text: string, headers: Record<string, string> = {}): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${headroom.url}/v1/messages`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-api-key": "sk-ant-bench",
      "anthropic-version": "2023-06-01",
      ...headers,
    },
    body: text,
  });
  await response.arrayBuffer();
  return performance.now() - started;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const figures = { bypassed: [] as number[], compacting: [] as number[], replaying: [] as number[] };
try {
  for (let run = 0; run < Number(opts.runs); run++) {
    // A new conversation each run: its opening message differs.
    const text = body.replace(
      '"messages":[',
      `"messages":[{"role":"user","content":"run ${run}"},{"role":"assistant","content":"ok"},`,
    );
    figures.bypassed.push(await timed(text, { "x-headroom-bypass": "true" }));
    await Bun.sleep(1_500);
    figures.compacting.push(await timed(text));
    figures.replaying.push(await timed(text));
  }
  const stats = (await (await fetch(`${headroom.url}/stats`)).json()) as { compaction: unknown };
  process.stdout.write(
    `history: ${tokens} o200k tokens (${Math.round(body.length / 1024)} KiB)\n` +
      `median client latency over ${opts.runs} runs (ms): bypassed ${median(figures.bypassed).toFixed(1)}, ` +
      `compacting ${median(figures.compacting).toFixed(1)}, replaying ${median(figures.replaying).toFixed(1)}\n` +
      `all (ms): ${JSON.stringify(figures, (_k, v) => (typeof v === "number" ? Math.round(v) : v))}\n` +
      `compaction: ${JSON.stringify(stats.compaction)}\n`,
  );
} finally {
  await stopAll([headroom]);
  upstream.stop(true);
  rmSync(temp, { recursive: true, force: true });
}
