/**
 * The shapes of tool outputs as the real agent CLIs send them back (docs/agent-shapes.md): re-runs
 * Claude Code and Codex against a fake model that asks for the scripted Read, Bash, Grep and
 * exec_command calls, and compares every tool_result / function_call_output with the committed
 * fixture, after normalising only what varies run to run (temporary paths, session and spill-file
 * ids, chunk ids, wall times). A client update that changes a shape fails here; re-capture with
 * `bun run scripts/capture-agent-shapes.ts` and update the document.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type EgressTrap, startEgressTrap } from "../helpers/agent-env.ts";
import {
  type CapturedShape,
  type CaptureRun,
  CLAUDE_CALLS,
  CLAUDE_VERSION,
  CODEX_CALLS,
  CODEX_VERSION,
  captureClaude,
  captureCodex,
  normaliseShape,
  SHAPES_DIR,
  sentText,
} from "../helpers/agent-shapes.ts";

const ROOT = join(import.meta.dir, "..", "..");

function fixture(name: string): CapturedShape {
  return JSON.parse(readFileSync(join(SHAPES_DIR, `${name}.json`), "utf8"));
}

function installedVersion(pkg: string): string {
  return JSON.parse(readFileSync(join(ROOT, "node_modules", pkg, "package.json"), "utf8")).version;
}

let trap: EgressTrap;
beforeAll(async () => {
  trap = await startEgressTrap();
});
afterAll(() => trap.stop());

test("the fixtures were captured with the installed client versions", () => {
  expect(installedVersion("@anthropic-ai/claude-code")).toBe(CLAUDE_VERSION);
  expect(installedVersion("@openai/codex")).toBe(CODEX_VERSION);
  for (const call of CLAUDE_CALLS) expect(fixture(call.name).version).toBe(CLAUDE_VERSION);
  for (const call of CODEX_CALLS) expect(fixture(call.name).version).toBe(CODEX_VERSION);
});

describe("Claude Code sends its tool outputs in the recorded shapes", () => {
  let run: CaptureRun;
  beforeAll(async () => {
    run = await captureClaude(trap);
  }, 180_000);

  test("the run completes without reaching beyond 127.0.0.1", () => {
    if (run.code !== 0) throw new Error(`claude exited ${run.code}:\n${run.stderr}`);
    expect(trap.attempts).toEqual([]);
  });

  for (const call of CLAUDE_CALLS)
    test(`${call.name}: ${call.tool} ${JSON.stringify(call.input)}`, () => {
      const shape = run.shapes.get(call.name);
      expect(shape).toBeDefined();
      expect(normaliseShape(shape!.sent)).toEqual(normaliseShape(fixture(call.name).sent));
    });

  test("Read numbers every line `N\\t` from the offset, unpadded, with no line cut", () => {
    const text = sentText(run.shapes.get("claude-read-long-line")!.sent);
    const lines = text.split("\n");
    expect(lines.map((line) => line.slice(0, line.indexOf("\t")))).toEqual(["3", "4", "5", "6"]);
    expect(lines[2]!.length).toBe("5\t".length + 5000);
  });

  test("a Bash output over 30,000 characters becomes a <persisted-output> preview", () => {
    const text = sentText(run.shapes.get("claude-bash-persisted")!.sent);
    expect(text).toStartWith("<persisted-output>\nOutput too large (");
    expect(text).toEndWith("\n...\n</persisted-output>");
  });
});

describe("Codex sends its exec_command outputs in the recorded shapes", () => {
  let run: CaptureRun;
  beforeAll(async () => {
    run = await captureCodex(trap);
  }, 180_000);

  test("the run completes without reaching beyond 127.0.0.1", () => {
    if (run.code !== 0) throw new Error(`codex exited ${run.code}:\n${run.stderr}`);
    expect(trap.attempts).toEqual([]);
  });

  for (const call of CODEX_CALLS)
    test(`${call.name}: ${call.tool} ${JSON.stringify(call.input)}`, () => {
      const shape = run.shapes.get(call.name);
      expect(shape).toBeDefined();
      expect(normaliseShape(shape!.sent)).toEqual(normaliseShape(fixture(call.name).sent));
    });

  test("every output starts with the exec header; a long one is cut in the middle", () => {
    for (const call of CODEX_CALLS)
      expect(sentText(run.shapes.get(call.name)!.sent)).toMatch(
        /^Chunk ID: [0-9a-f]+\nWall time: [0-9.]+ seconds\nProcess exited with code \d+\nOriginal token count: \d+\nOutput:\n/,
      );
    const cut = sentText(run.shapes.get("codex-exec-truncated")!.sent);
    expect(cut).toMatch(/\nOutput:\nWarning: truncated output \(original token count: \d+\)\n/);
    expect(cut).toMatch(/…\d+ tokens truncated…/);
  });
});
