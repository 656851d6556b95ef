/**
 * Re-captures tests/fixtures/agent-shapes/*.json: runs Claude Code and Codex against a fake model
 * that asks for the scripted tool calls (tests/helpers/agent-shapes.ts) and writes, per call, what
 * the client sent back. Run after a client update, review the diff, and update
 * docs/agent-shapes.md with what changed.
 *
 *   bun run scripts/capture-agent-shapes.ts
 */

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startEgressTrap } from "../tests/helpers/agent-env.ts";
import {
  CLAUDE_CALLS,
  CODEX_CALLS,
  captureClaude,
  captureCodex,
  SHAPES_DIR,
} from "../tests/helpers/agent-shapes.ts";

const trap = await startEgressTrap();
try {
  const runs = [
    { run: await captureClaude(trap), calls: CLAUDE_CALLS },
    { run: await captureCodex(trap), calls: CODEX_CALLS },
  ];
  for (const { run, calls } of runs) {
    if (run.code !== 0) throw new Error(`agent exited ${run.code}:\n${run.stderr}`);
    for (const call of calls) {
      const shape = run.shapes.get(call.name);
      if (!shape) throw new Error(`no output captured for ${call.name}`);
      writeFileSync(join(SHAPES_DIR, `${call.name}.json`), `${JSON.stringify(shape, null, 2)}\n`);
      console.log(`${call.name}.json`);
    }
  }
  if (trap.attempts.length) throw new Error(`egress attempted: ${trap.attempts.join(", ")}`);
} finally {
  trap.stop();
}
