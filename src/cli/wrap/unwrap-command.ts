/**
 * `headroom unwrap AGENT`: undoes the persistent changes `headroom wrap AGENT` made, exactly and
 * only those (recorded in the workspace when they were made).
 * @module
 */

import { parseArgs } from "node:util";
import { cliConfig } from "../cli-config.ts";
import { UsageError } from "../usage-error.ts";
import { writeOut } from "../write-out.ts";
import { removeProviderBlock } from "./codex-config.ts";
import { readWrapState, writeWrapState } from "./wrap-state.ts";

/** `headroom unwrap --help`. */
const UNWRAP_HELP = `Usage: headroom unwrap AGENT [--workspace-dir DIR]

Undoes the persistent changes headroom wrap AGENT made: for codex, the "headroom" provider
block in Codex's config.toml (byte for byte; a file headroom created is removed). The other
agents are pointed at headroom through their environment only, so there is nothing to undo.
A running proxy is left alone.
`;

/** Runs `headroom unwrap`; resolves with the exit code. */
export async function runUnwrap(args: string[]): Promise<number> {
  let parsed: { values: { "workspace-dir"?: string; help?: boolean }; positionals: string[] };
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: { "workspace-dir": { type: "string" }, help: { type: "boolean", short: "h" } },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (parsed.values.help) {
    await writeOut(UNWRAP_HELP);
    return 0;
  }
  const [agent, ...extra] = parsed.positionals;
  if (!agent || extra.length > 0)
    throw new UsageError("unwrap takes one agent, e.g. headroom unwrap codex");
  const { workspaceDir } = cliConfig({ "workspace-dir": parsed.values["workspace-dir"] });
  const state = readWrapState(workspaceDir);
  if (agent !== "codex") {
    await writeOut(`headroom wrap ${agent} changes nothing on disk; nothing to undo\n`);
    return 0;
  }
  if (!state.codex) {
    await writeOut("no changes by headroom wrap codex are recorded; nothing to undo\n");
    return 0;
  }
  const removal = removeProviderBlock(state.codex);
  delete state.codex;
  writeWrapState(workspaceDir, state);
  await writeOut(`${removal.message}\n`);
  return removal.done ? 0 : 1;
}
