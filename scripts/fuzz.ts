/**
 * The long-running fuzzer: runs every fuzz target (tests/fuzz/lib) round-robin for N minutes,
 * prints iterations per target, and writes each distinct failure, minimized, to
 * dist/fuzz-failures/ as JSON that `--replay` re-checks. The suite (tests/fuzz) runs the same
 * properties on a short fixed seed set.
 *
 *   bun run scripts/fuzz.ts [--minutes 5] [--seed N] [--target substring] [--replay file.json]
 */

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadEncoding } from "../src/compress/tokens.ts";
import { type Failure, minimize, probe, runSeed, type Target } from "../tests/fuzz/lib/harness.ts";
import { Rng } from "../tests/fuzz/lib/rng.ts";
import { ALL_TARGETS } from "../tests/fuzz/lib/targets.ts";
import { textStats } from "../tests/fuzz/lib/targets-compress.ts";
import { requestStats } from "../tests/fuzz/lib/targets-request.ts";

const { values } = parseArgs({
  options: {
    minutes: { type: "string", default: "5" },
    seed: { type: "string" },
    target: { type: "string" },
    replay: { type: "string" },
    "slow-ms": { type: "string", default: "2000" },
  },
});

const OUT_DIR = join(import.meta.dir, "..", "dist", "fuzz-failures");
const targets = ALL_TARGETS.filter((t) => !values.target || t.name.includes(values.target));
if (targets.length === 0) {
  console.error(
    `no target matches ${values.target}; targets: ${ALL_TARGETS.map((t) => t.name).join(", ")}`,
  );
  process.exit(2);
}

await loadEncoding("o200k_base");

if (values.replay) {
  const saved = JSON.parse(readFileSync(values.replay, "utf8")) as Failure;
  const target = ALL_TARGETS.find((t) => t.name === saved.target) as Target<unknown> | undefined;
  if (!target) throw new Error(`unknown target ${saved.target}`);
  const t0 = performance.now();
  const result = probe(target, saved.input);
  const ms = (performance.now() - t0).toFixed(0);
  console.log(result ? `still fails (${ms} ms): ${result.message}` : `passes now (${ms} ms)`);
  process.exit(result ? 1 : 0);
}

/** A stable per-target offset, so targets do not all walk the same seeds. */
function nameHash(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return h >>> 0;
}

const baseSeed =
  values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
const totalMs = Number(values.minutes) * 60_000;
const slowMs = Number(values["slow-ms"]);
const SLOW_FLOOR_MS = 300;
const SLOW_MS_PER_MB = 5_000;
const sliceMs = 2_000;
console.log(`fuzzing ${targets.length} targets for ${values.minutes} min from seed ${baseSeed}`);

interface TargetState {
  target: Target<unknown>;
  next: number;
  iterations: number;
  failures: number;
  slow: number;
  busyMs: number;
}
const states: TargetState[] = targets.map((target) => ({
  target: target as Target<unknown>,
  next: (baseSeed + nameHash(target.name)) >>> 0,
  iterations: 0,
  failures: 0,
  slow: 0,
  busyMs: 0,
}));
const seen = new Set<string>();
const CURRENT = join(OUT_DIR, "current.txt");
mkdirSync(OUT_DIR, { recursive: true });

function record(state: TargetState, failure: Failure, kind: "failure" | "slow", elapsed?: number) {
  // One reproducer per broken property; errors are told apart by their message.
  const error = /^(exception|swallowed|generator)/.test(failure.property)
    ? failure.message.split("\n")[0]
    : "";
  const key = `${failure.target}|${failure.property}|${error}`;
  if (seen.has(key)) return;
  seen.add(key);
  const minimized =
    kind === "failure"
      ? minimize(state.target, failure.input, failure.property, 20_000)
      : failure.input;
  const file = join(
    OUT_DIR,
    `${failure.target.replace(/[^a-z0-9-]/gi, "_")}-${failure.property.replace(/[^a-z0-9-]/gi, "_")}-${failure.seed}.json`,
  );
  writeFileSync(
    file,
    `${JSON.stringify({ ...failure, kind, elapsedMs: elapsed, input: minimized, ...(minimized === failure.input ? {} : { originalInput: failure.input }) }, null, 1)}\n`,
  );
  console.log(`\n${kind.toUpperCase()} ${failure.target} seed=${failure.seed} ${failure.property}`);
  console.log(`  ${failure.message.split("\n").slice(0, 4).join("\n  ")}`);
  console.log(`  reproducer: ${file}`);
}

const started = performance.now();
let lastReport = started;
while (performance.now() - started < totalMs) {
  for (const state of states) {
    const sliceEnd = performance.now() + sliceMs;
    while (performance.now() < sliceEnd) {
      const seed = state.next++ >>> 0;
      // Written before each run: if one input hangs, this names it (the loop cannot report).
      writeFileSync(CURRENT, `${state.target.name} ${seed}\n`);
      const t0 = performance.now();
      let failure: Failure | undefined;
      try {
        failure = runSeed(state.target, seed);
      } catch (error) {
        // A generator bug: report it like any failure, with no input to replay.
        failure = {
          target: state.target.name,
          seed,
          property: "generator",
          message: String((error as Error)?.stack ?? error),
          input: null,
        };
      }
      const elapsed = performance.now() - t0;
      state.busyMs += elapsed;
      state.iterations++;
      if (failure) {
        state.failures++;
        record(state, failure, "failure");
      } else if (elapsed > SLOW_FLOOR_MS) {
        // Slow: past the absolute limit, or slower than 0.2 MB/s of input (a quadratic on a
        // 50 KB input shows here long before it reaches seconds). Slow here may be slow only
        // after what ran before (state in a dependency): --replay shows it on its own.
        const input = state.target.generate(new Rng(seed));
        const megabytes = JSON.stringify(input).length / 1e6;
        if (elapsed < slowMs && elapsed < megabytes * SLOW_MS_PER_MB) continue;
        state.slow++;
        record(
          state,
          {
            target: state.target.name,
            seed,
            property: "slow",
            message: `${elapsed.toFixed(0)} ms`,
            input,
          },
          "slow",
          elapsed,
        );
      }
    }
    if (performance.now() - started >= totalMs) break;
  }
  if (performance.now() - lastReport > 60_000) {
    lastReport = performance.now();
    const mins = ((lastReport - started) / 60_000).toFixed(1);
    console.log(`[${mins} min] ${states.map((s) => `${s.target.name}=${s.iterations}`).join(" ")}`);
  }
}

console.log("\ntarget                     iterations  failures  slow   ms/iter");
for (const s of states) {
  console.log(
    `${s.target.name.padEnd(26)} ${String(s.iterations).padStart(10)} ${String(s.failures).padStart(9)} ${String(s.slow).padStart(5)} ${(s.busyMs / Math.max(1, s.iterations)).toFixed(2).padStart(9)}`,
  );
}
console.log(
  `\ncompressed outputs: ${textStats.outputs}; with more o200k tokens than their input: ${textStats.moreTokens} (worst ratio ${textStats.worstTokenRatio.toFixed(3)})`,
);
if (textStats.moreTokens > 0) {
  console.log(`  by strategy: ${[...textStats.byStrategy].map(([k, v]) => `${k}=${v}`).join(" ")}`);
  writeFileSync(
    join(OUT_DIR, "worst-token-ratio.json"),
    `${JSON.stringify(textStats.worst, null, 1)}\n`,
  );
}
console.log(
  `router edits: ${requestStats.edits}; with no real saving under permissive thresholds (min saved < 20 tokens or ratio < 0.1): ${requestStats.noRealSaving}`,
);
console.log(`distinct findings: ${seen.size}${seen.size ? ` (see ${OUT_DIR})` : ""}`);
process.exit(seen.size > 0 ? 1 : 0);
