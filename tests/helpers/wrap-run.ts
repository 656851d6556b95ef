/**
 * Runs a real agent CLI the way a user would: `headroom wrap AGENT -- ARGS` with the compiled
 * executable, which starts a proxy in the background on a free port and launches the agent
 * pointed at it. The caller stops that proxy with {@link WrappedRun.stop}.
 */

import { join } from "node:path";
import { type AgentRun, proxyEnv, runAgent, type Sandbox } from "./agent-env.ts";
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
