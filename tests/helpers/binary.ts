/**
 * Runs the compiled executable (dist/headroom) the way a user does.
 */

import { existsSync } from "node:fs";
import { join } from "node:path";

/** The compiled executable; `npm test` builds it before the suite runs. */
export const BINARY = join(import.meta.dir, "..", "..", "dist", "headroom");

/** The repository root: where the Deno entry runs from (it reads deno.json there). */
export const REPO_ROOT = join(import.meta.dir, "..", "..");

/** The command that runs the Deno entry from the repository root, before its own arguments. */
export const DENO_ENTRY = [
  join(REPO_ROOT, "node_modules", ".bin", "deno"),
  "run",
  "--allow-net",
  "--allow-env",
  "--allow-read",
  "--config",
  "deno.json",
  "src/runtime/deno-main.ts",
];

/** Keeps Deno quiet: no update check, no colour in its messages. */
export const DENO_ENV = { DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" };

/** A running `headroom proxy` process. */
export interface RunningBinary {
  url: string;
  proc: ReturnType<typeof Bun.spawn>;
  /** Every stderr line so far. */
  lines: string[];
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number>;
}

/** Spawns `headroom proxy --port 0 ...args` and waits until it logs the address it listens on. */
export function startBinary(
  args: string[] = [],
  env: Record<string, string> = {},
  cwd?: string,
): Promise<RunningBinary> {
  if (!existsSync(BINARY)) throw new Error(`${BINARY} is missing: run "npm run build" first`);
  return startServerProcess([BINARY, "proxy", "--port", "0", ...args], env, cwd);
}

/** Spawns a command that logs a "listening" line with its URL, and waits for that line. */
export async function startServerProcess(
  command: string[],
  env: Record<string, string> = {},
  cwd?: string,
): Promise<RunningBinary> {
  const proc = Bun.spawn(command, {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
    stdout: "pipe",
    stderr: "pipe",
    ...(cwd ? { cwd } : {}),
  });
  const lines: string[] = [];
  let url = "";
  const reader = (proc.stderr as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let pending = "";
  const ready = (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      pending += decoder.decode(value, { stream: true });
      let newline = pending.indexOf("\n");
      while (newline >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        lines.push(line);
        if (!url && line.includes('"msg":"listening"')) url = JSON.parse(line).url;
        newline = pending.indexOf("\n");
      }
    }
  })();
  const deadline = Date.now() + 15_000;
  while (!url) {
    if (Date.now() > deadline || proc.exitCode !== null) {
      throw new Error(`headroom did not start: ${lines.join("\n")}`);
    }
    await Bun.sleep(10);
  }
  return {
    url,
    proc,
    lines,
    async stop(signal = "SIGTERM") {
      proc.kill(signal);
      const code = await proc.exited;
      await ready;
      return code;
    },
  };
}
