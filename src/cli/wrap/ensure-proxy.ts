/**
 * Finds a healthy headroom on the port and reuses it, or starts one in the background that
 * outlives this command, since other sessions may share it. A running proxy is never killed or
 * restarted: what it would need a restart for is reported instead.
 * @module
 */

import { spawn } from "node:child_process";
import {
  closeSync,
  existsSync,
  fchmodSync,
  mkdirSync,
  openSync,
  renameSync,
  statSync,
} from "node:fs";
import { join } from "node:path";
import { selfCommand } from "../self-command.ts";

/** The proxy a wrapped agent will use. */
export interface EnsuredProxy {
  readonly base: string;
  readonly started: boolean;
  /** Things the user should know (an older version reused, a setting that waits for a restart). */
  readonly notes: string[];
}

/** What /health says, as far as wrap reads it. */
export interface HealthView {
  readonly version: string;
  readonly pid?: number;
  readonly config?: Record<string, unknown>;
}

/** What answers on a port: headroom, nothing, or some other program. */
export type PortOccupant = HealthView | "free" | { readonly foreign: string };

// The proxy log is kept to two files of at most this size: wrap never lets it grow without end.
const LOG_ROTATE_BYTES = 10 * 1024 * 1024;

/** Asks the port's /health who is there. */
export async function probePort(base: string): Promise<PortOccupant> {
  let res: Response;
  try {
    res = await fetch(`${base}/health`, { signal: AbortSignal.timeout(2000) });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "ConnectionRefused" || code === "ECONNREFUSED") return "free";
    return { foreign: `no answer from ${base}/health (${(error as Error).message})` };
  }
  const body = (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  if (body && typeof body.version === "string" && typeof body.upstreams === "object") {
    return body as unknown as HealthView;
  }
  return { foreign: `${base}/health did not answer like headroom (HTTP ${res.status})` };
}

async function waitReady(base: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(1000) });
      if (res.status === 200) return true;
    } catch {
      // Not listening yet.
    }
    await Bun.sleep(50);
  }
  return false;
}

/** Upstream settings in the caller's environment that differ from what the proxy runs with. */
function upstreamDifferences(
  health: HealthView,
  env: Record<string, string | undefined>,
): string[] {
  const notes: string[] = [];
  for (const [name, key] of [
    ["OPENAI_TARGET_API_URL", "openai_api_url"],
    ["ANTHROPIC_TARGET_API_URL", "anthropic_api_url"],
    ["GEMINI_TARGET_API_URL", "gemini_api_url"],
  ] as const) {
    const wanted = env[name]?.replace(/\/+$/, "").replace(/\/v1(beta)?$/, "");
    const running = health.config?.[key];
    if (wanted && running !== undefined && running !== wanted) {
      notes.push(
        `${name}=${wanted} differs from the running proxy's ${String(running)}; it applies when that proxy next starts`,
      );
    }
  }
  return notes;
}

function openLog(workspaceDir: string): { fd: number; path: string } {
  const dir = join(workspaceDir, "logs");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, "proxy.log");
  if (existsSync(path) && statSync(path).size > LOG_ROTATE_BYTES) renameSync(path, `${path}.1`);
  const fd = openSync(path, "a", 0o600);
  // A log left by an older or the original Headroom may be world-readable: ours is not.
  fchmodSync(fd, 0o600);
  return { fd, path };
}

/** Reuses the headroom on `port`, or starts one in the background logging to the workspace. */
export async function ensureProxy(options: {
  readonly port: number;
  readonly version: string;
  readonly workspaceDir: string;
  readonly env: Record<string, string | undefined>;
}): Promise<EnsuredProxy> {
  const base = `http://127.0.0.1:${options.port}`;
  const found = await probePort(base);
  if (typeof found === "object" && "foreign" in found) {
    throw new Error(
      `port ${options.port} is taken by something that is not headroom: ${found.foreign}. Pick another port with --port or HEADROOM_PORT.`,
    );
  }
  if (found !== "free") {
    const notes = upstreamDifferences(found, options.env);
    if (found.version !== options.version) {
      notes.unshift(
        `using the running headroom ${found.version} (this executable is ${options.version}); restart that proxy yourself to upgrade it`,
      );
    }
    return { base, started: false, notes };
  }
  const log = openLog(options.workspaceDir);
  const [command, ...args] = selfCommand(["proxy", "--port", String(options.port)]);
  // Detached in its own session: closing this terminal or this agent must not stop it.
  const child = spawn(command!, args, {
    detached: true,
    stdio: ["ignore", log.fd, log.fd],
    env: { ...options.env, HEADROOM_WORKSPACE_DIR: options.workspaceDir } as NodeJS.ProcessEnv,
  });
  child.unref();
  closeSync(log.fd);
  if (!(await waitReady(base, 15_000))) {
    throw new Error(`the proxy did not become ready on port ${options.port}; see ${log.path}`);
  }
  return {
    base,
    started: true,
    notes: [`started headroom in the background on ${base} (log: ${log.path})`],
  };
}

/** Sends the caller's HEADROOM_* settings to the proxy; returns what the user should know. */
export async function syncSettings(
  base: string,
  env: Record<string, string | undefined>,
  keys: readonly string[],
): Promise<string[]> {
  const changes: Record<string, string> = {};
  for (const key of keys) {
    const value = env[key];
    if (value !== undefined && value !== "") changes[key] = value;
  }
  if (Object.keys(changes).length === 0) return [];
  try {
    const res = await fetch(`${base}/admin/runtime-env`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(changes),
      signal: AbortSignal.timeout(2000),
    });
    const body = (await res.json()) as {
      applied?: Record<string, string | null>;
      restart_required?: string[];
      rejected?: Record<string, string>;
    };
    const notes: string[] = [];
    const applied = Object.keys(body.applied ?? {});
    if (applied.length > 0) {
      notes.push(`applied to the shared proxy (every session it serves): ${applied.join(", ")}`);
    }
    if (body.restart_required?.length) {
      notes.push(
        `${body.restart_required.join(", ")} differ from the shared proxy's and need a restart; they apply when it next starts (it keeps serving other sessions)`,
      );
    }
    for (const [key, reason] of Object.entries(body.rejected ?? {})) {
      notes.push(`${key} was not applied: ${reason}`);
    }
    return notes;
  } catch (error) {
    return [`could not send your HEADROOM_* settings to the proxy: ${(error as Error).message}`];
  }
}
