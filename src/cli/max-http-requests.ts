/**
 * Bun caps concurrent outbound fetches at 256 unless BUN_CONFIG_MAX_HTTP_REQUESTS is set when
 * the process starts (setting it later has no effect), which would queue the 257th concurrent
 * LLM stream. `headroom proxy` therefore runs itself again once with the variable set: in place
 * through execve(2) where the platform has it, else as a child.
 * @module
 */

import { selfCommand } from "./self-command.ts";

/** The outbound concurrency headroom asks for. */
const MAX_HTTP_REQUESTS = "4096";

/** True when this process runs under Bun without the variable, so a re-run is needed. */
export function needsMaxRequestsRerun(env: Record<string, string | undefined>): boolean {
  return typeof Bun !== "undefined" && env.BUN_CONFIG_MAX_HTTP_REQUESTS === undefined;
}

/**
 * Runs the same command again with the variable set. Where execve(2) exists this process is
 * replaced and the call never returns: one process, one PID (what a supervisor or `headroom wrap`
 * started is the proxy itself), one runtime's memory, stdio and signals untouched. Elsewhere
 * (Windows), or if execve fails, a child runs it, termination signals are forwarded, and this
 * resolves with the child's exit code.
 */
export async function rerunWithMaxRequests(): Promise<number> {
  const command = selfCommand(process.argv.slice(2));
  const env = { ...process.env, BUN_CONFIG_MAX_HTTP_REQUESTS: MAX_HTTP_REQUESTS };
  if (process.platform !== "win32" && typeof process.execve === "function") {
    try {
      process.execve(command[0]!, command, env);
    } catch {
      // The process continues unchanged when execve fails: run a child instead.
    }
  }
  const child = Bun.spawn(command, { env, stdio: ["inherit", "inherit", "inherit"] });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => child.kill(signal));
  }
  const code = await child.exited;
  // A child killed by a signal reports no exit code; use the shell's 128 + n convention.
  const byName: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
  return child.signalCode ? 128 + (byName[String(child.signalCode)] ?? 0) : code;
}
