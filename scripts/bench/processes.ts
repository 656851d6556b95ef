/**
 * Starting and stopping the processes a benchmark measures.
 */

import { existsSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dir, "..", "..");

/** A child process that printed the URL it serves. */
export interface Served {
  url: string;
  proc: ReturnType<typeof Bun.spawn>;
}

/** Runs a script that prints its URL as its first stdout line. */
export async function startScript(script: string, args: string[] = []): Promise<Served> {
  const proc = Bun.spawn([process.execPath, join(import.meta.dir, script), ...args], {
    stdout: "pipe",
    stderr: "inherit",
    env: { ...process.env, BUN_CONFIG_MAX_HTTP_REQUESTS: "4096" },
  });
  const reader = (proc.stdout as ReadableStream<Uint8Array>).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`${script} exited before printing its URL`);
    text += new TextDecoder().decode(value);
  }
  return { url: text.trim().split("\n")[0]!, proc };
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): number {
  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
  const port = server.port!;
  server.stop(true);
  return port;
}

/** Polls `url` until it answers 200. */
export async function waitReady(url: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`${url} did not become ready`);
    await Bun.sleep(5);
  }
}

/** How {@link startHeadroom} runs the proxy. */
export interface HeadroomOptions {
  /** `--stateless` (memory stores; the default here). Pass `--workspace-dir` in the arguments otherwise. */
  readonly stateless?: boolean;
  /** The environment (default: this process's). */
  readonly env?: Record<string, string | undefined>;
  /** Where the proxy's log lines go (default: read and discarded). */
  readonly logFile?: string;
  /** The executable to run (default: dist/headroom when built, else the sources). */
  readonly binary?: string;
}

/** Runs `headroom proxy` (the compiled binary when built, else from source) in front of `upstream`. */
export async function startHeadroom(
  upstream: string,
  extraArgs: string[] = [],
  options: HeadroomOptions = {},
): Promise<Served> {
  const binary = options.binary ?? join(root, "dist", "headroom");
  const command = existsSync(binary)
    ? [binary]
    : [process.execPath, join(root, "src", "cli", "main.ts")];
  const port = freePort();
  const proc = Bun.spawn(
    [
      ...command,
      "proxy",
      "--port",
      String(port),
      ...(options.stateless === false ? [] : ["--stateless"]),
      "--anthropic-api-url",
      upstream,
      "--openai-api-url",
      upstream,
      ...extraArgs,
    ],
    {
      stdout: "ignore",
      stderr: options.logFile ? Bun.file(options.logFile) : "pipe",
      env: { ...(options.env ?? process.env) },
    },
  );
  if (!options.logFile) {
    // Drain the per-request log lines so the proxy never blocks on a full pipe, keeping none.
    const reader = (proc.stderr as ReadableStream<Uint8Array>).getReader();
    void (async () => {
      while (!(await reader.read()).done);
    })();
  }
  const url = `http://127.0.0.1:${port}`;
  await waitReady(`${url}/readyz`);
  return { url, proc };
}

/** Stops every process. */
export async function stopAll(processes: Served[]): Promise<void> {
  for (const served of processes) served.proc.kill("SIGTERM");
  await Promise.all(processes.map((served) => served.proc.exited));
}
