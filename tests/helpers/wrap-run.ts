/**
 * Runs a real agent CLI the way a user would: `headroom wrap AGENT -- ARGS` with the compiled
 * executable, which starts a proxy in the background on a free port and launches the agent
 * pointed at it. The caller stops that proxy with {@link WrappedRun.stop}.
 */

import { type AgentRun, runAgent } from "./agent-env.ts";
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
