/**
 * Compares scripts/corpus/agent-shapes.ts with captured Claude Code and Codex tool results: each
 * fixture's raw output is rebuilt (the file it Read, or its command run again in the fixtures'
 * files/ directory) and shaped, and should equal what the CLI sent, byte for byte.
 * @module
 */

import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  CLAUDE_BASH_MAX_CHARS,
  claudeBashResult,
  claudeDelivery,
  claudePersistedResult,
  claudeReadResult,
  codexExecResult,
} from "./agent-shapes.ts";

/** One captured tool call (tests/fixtures/agent-shapes/*.json). */
export interface Fixture {
  readonly tool: string;
  readonly input: Record<string, unknown>;
  readonly sent: { content?: string; output?: string };
}

/** Runs a fixture's command where it was captured: stdout and stderr merged, and the exit code. */
function run(files: string, command: string): { output: string; code: number } {
  const result = spawnSync("bash", ["-c", `(${command}) 2>&1`], { cwd: files, encoding: "utf8" });
  return { output: result.stdout, code: result.status ?? 1 };
}

/**
 * The model's Read of the file Claude Code spilled a Bash output to (`$SAVED`): the output comes
 * from the Bash capture of the same case, `claude-read-saved-X` pairing with
 * `claude-bash-persisted-X`.
 */
function readOfSpill(files: string, name: string): string | undefined {
  const partner = join(files, "..", name.replace("claude-read-saved-", "claude-bash-persisted-"));
  if (partner.endsWith(name)) return undefined;
  let bash: Fixture;
  try {
    bash = JSON.parse(readFileSync(partner, "utf8")) as Fixture;
  } catch {
    return undefined;
  }
  const { output, code } = run(files, String(bash.input.command));
  return claudeDelivery(output, code).join("\n");
}

/** What our shaping gives for the fixture, or undefined for tools the corpus does not model. */
function rebuild(files: string, name: string, fixture: Fixture, sent: string): string | undefined {
  const input = fixture.input;
  switch (fixture.tool) {
    case "Read": {
      if (input.file_path === "$SAVED") return readOfSpill(files, name);
      const path = String(input.file_path).replace("$WORK/", "");
      const file = readFileSync(join(files, path), "utf8");
      return claudeReadResult(file, Number(input.offset ?? 1), Number(input.limit ?? Infinity));
    }
    case "Bash": {
      const { output, code } = run(files, String(input.command));
      const saved = /Full output saved to: (\S+)/.exec(sent)?.[1];
      return saved !== undefined && output.length > CLAUDE_BASH_MAX_CHARS
        ? claudePersistedResult(output, code, saved)
        : claudeBashResult(output, code);
    }
    case "exec_command": {
      const { output, code } = run(files, String(input.cmd));
      const chunkId = /^Chunk ID: (\S+)/.exec(sent)?.[1] ?? "";
      const wallSeconds = Number(/^Wall time: ([\d.]+)/m.exec(sent)?.[1] ?? 0);
      return codexExecResult(output, code, { chunkId, wallSeconds });
    }
    default:
      return undefined;
  }
}

/** How one fixture compared: `skip` for tools the corpus does not model (Grep). */
export interface FixtureComparison {
  readonly name: string;
  readonly tool: string;
  readonly status: "same" | "diff" | "skip";
  readonly sent: string;
  readonly ours: string | undefined;
}

/** Compares every fixture in `dir` (with its files in `dir/files`), in file-name order. */
export function compareFixtures(dir: string): FixtureComparison[] {
  const files = join(dir, "files");
  return readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => {
      const fixture = JSON.parse(readFileSync(join(dir, name), "utf8")) as Fixture;
      const sent = fixture.sent.content ?? fixture.sent.output ?? "";
      const ours = rebuild(files, name, fixture, sent);
      const status = ours === undefined ? "skip" : ours === sent ? "same" : "diff";
      return { name, tool: fixture.tool, status, sent, ours };
    });
}
