/**
 * Bun caps concurrent outbound fetches at 256 unless BUN_CONFIG_MAX_HTTP_REQUESTS is set when
 * the process starts (setting it later has no effect), which would queue the 257th concurrent
 * LLM stream. `headroom proxy` therefore runs itself again once with the variable set: in place
 * through execve(2) where the platform has it, else as a child.
 * @module
 */

import { rerunWithEnv } from "./rerun-with-env.ts";

/** The outbound concurrency headroom asks for. */
const MAX_HTTP_REQUESTS = "4096";

/** True when this process runs under Bun without the variable, so a re-run is needed. */
export function needsMaxRequestsRerun(env: Record<string, string | undefined>): boolean {
  return typeof Bun !== "undefined" && env.BUN_CONFIG_MAX_HTTP_REQUESTS === undefined;
}

/** Runs the same command again with the variable set (see {@link rerunWithEnv}). */
export function rerunWithMaxRequests(): Promise<number> {
  return rerunWithEnv({ BUN_CONFIG_MAX_HTTP_REQUESTS: MAX_HTTP_REQUESTS });
}
