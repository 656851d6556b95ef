/**
 * Runs a real agent CLI the way a user would: `headroom wrap AGENT -- ARGS` with the compiled
 * executable, which starts a proxy in the background on a free port and launches the agent
 * pointed at it. The caller stops that proxy with {@link WrappedRun.stop}.
 */

import { expect } from "bun:test";
import { join } from "node:path";
import {
  type AgentRun,
  type EgressTrap,
  FOUND,
  proxyEnv,
  runAgent,
  type Sandbox,
} from "./agent-env.ts";
import { BINARY } from "./binary.ts";
import { json } from "./http.ts";

export interface WrappedRun {
  run: AgentRun;
  /** The background proxy's base URL. */
  url: string;
  stop(): void;
}

/** A port nothing listens on right now. */
function freePort(): number {
  const probe = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
  const port = probe.port!;
  probe.stop(true);
  return port;
}

export async function runWrapped(
  agent: string,
  agentArgs: string[],
  options: { cwd: string; env: Record<string, string> },
): Promise<WrappedRun> {
  const port = freePort();
  const run = await runAgent([BINARY, "wrap", "--port", String(port), agent, "--", ...agentArgs], {
    ...options,
    timeoutMs: 150_000,
  });
  const url = `http://127.0.0.1:${port}`;
  let pid: number | undefined;
  try {
    pid = (await json(fetch(`${url}/health`))).pid;
  } catch {
    // wrap refused before starting a proxy.
  }
  return {
    run,
    url,
    stop: () => {
      if (pid) process.kill(pid, "SIGTERM");
    },
  };
}

/**
 * `headroom wrap AGENT -- ARGS` in `sandbox` as a user starts it: the agent's own environment
 * `agentEnv` (no base URL: wrap sets it), headroom's settings for `upstreamUrl` and the sandbox's
 * workspace, and the agent's `executable` first on PATH so wrap finds it.
 */
export function wrapInSandbox(
  agent: string,
  executable: string,
  agentArgs: string[],
  sandbox: Sandbox,
  agentEnv: Record<string, string>,
  upstreamUrl: string,
): Promise<WrappedRun> {
  return runWrapped(agent, agentArgs, {
    cwd: sandbox.work,
    env: {
      ...agentEnv,
      ...proxyEnv(upstreamUrl, sandbox.workspace),
      PATH: `${join(executable, "..")}:${agentEnv.PATH}`,
    },
  });
}

/** Expects wrap and its agent to exit 0 with the fake model's answer, nothing tried to leave. */
export function expectWrappedAnswer({ run }: WrappedRun, trap: EgressTrap): void {
  if (run.code !== 0) throw new Error(`wrap exited ${run.code}:\n${run.stderr}\n${run.stdout}`);
  expect(run.stdout).toContain(FOUND);
  expect(trap.attempts).toEqual([]);
}
