/**
 * Runs this same headroom command again with more environment variables, for the runtime
 * settings Bun reads only when a process starts.
 * @module
 */

import { selfCommand } from "./self-command.ts";

/**
 * Runs the same command again with `extra` added to the environment. Where execve(2) exists
 * this process is replaced and the call never returns: one process, one PID (what a supervisor
 * or `headroom wrap` started is the proxy itself), one runtime's memory, stdio and signals
 * untouched. Elsewhere (Windows), or if execve fails, a child runs it, termination signals are
 * forwarded, and this resolves with the child's exit code.
 */
export async function rerunWithEnv(extra: Record<string, string>): Promise<number> {
  const command = selfCommand(process.argv.slice(2));
  const env = { ...process.env, ...extra };
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
