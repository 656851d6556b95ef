/**
 * Checks scripts/corpus/agent-shapes.ts against captured Claude Code and Codex tool results:
 * each fixture's raw output is rebuilt (the file it Read, or its command run again in the
 * fixtures' files/ directory) and shaped, and must equal what the CLI sent, byte for byte.
 * Exits 1 on any difference.
 *
 *   bun run scripts/corpus/check-agent-shapes.ts [FIXTURES_DIR]   (default tests/fixtures/agent-shapes)
 */

import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  CLAUDE_BASH_MAX_CHARS,
  claudeBashResult,
  claudePersistedResult,
  claudeReadResult,
  codexExecResult,
} from "./agent-shapes.ts";

interface Fixture {
  readonly tool: string;
  readonly input: Record<string, unknown>;
  readonly sent: { content?: string; output?: string };
}

const dir = process.argv[2] ?? "tests/fixtures/agent-shapes";
const files = join(dir, "files");

/** Runs a fixture's command where it was captured: stdout and stderr merged, and the exit code. */
function run(command: string): { output: string; code: number } {
  const result = spawnSync("bash", ["-c", `(${command}) 2>&1`], { cwd: files, encoding: "utf8" });
  return { output: result.stdout, code: result.status ?? 1 };
}

/** What our shaping gives for the fixture, or undefined for tools the corpus does not model. */
function rebuild(fixture: Fixture, sent: string): string | undefined {
  const input = fixture.input;
  switch (fixture.tool) {
    case "Read": {
      const path = String(input.file_path).replace("$WORK/", "");
      const file = readFileSync(join(files, path), "utf8");
      return claudeReadResult(file, Number(input.offset ?? 1), Number(input.limit ?? Infinity));
    }
    case "Bash": {
      const { output, code } = run(String(input.command));
      const saved = /Full output saved to: (\S+)/.exec(sent)?.[1];
      return saved !== undefined && output.length > CLAUDE_BASH_MAX_CHARS
        ? claudePersistedResult(output, code, saved)
        : claudeBashResult(output, code);
    }
    case "exec_command": {
      const { output, code } = run(String(input.cmd));
      const chunkId = /^Chunk ID: (\S+)/.exec(sent)?.[1] ?? "";
      const wallSeconds = Number(/^Wall time: ([\d.]+)/m.exec(sent)?.[1] ?? 0);
      return codexExecResult(output, code, { chunkId, wallSeconds });
    }
    default:
      return undefined;
  }
}

let failures = 0;
for (const name of readdirSync(dir)
  .filter((n) => n.endsWith(".json"))
  .sort()) {
  const fixture = JSON.parse(readFileSync(join(dir, name), "utf8")) as Fixture;
  const sent = fixture.sent.content ?? fixture.sent.output ?? "";
  const ours = rebuild(fixture, sent);
  if (ours === undefined) {
    console.log(`skip  ${name} (${fixture.tool} is not an agent shape the corpus uses)`);
  } else if (ours === sent) {
    console.log(`same  ${name}`);
  } else {
    failures++;
    let at = 0;
    while (at < ours.length && ours[at] === sent[at]) at++;
    console.log(`DIFF  ${name} at char ${at} of ${sent.length} (ours ${ours.length})`);
    console.log(`  sent: ${JSON.stringify(sent.slice(Math.max(0, at - 40), at + 60))}`);
    console.log(`  ours: ${JSON.stringify(ours.slice(Math.max(0, at - 40), at + 60))}`);
  }
}
process.exit(failures === 0 ? 0 : 1);
