/**
 * Portkey's open-source AI gateway (npm @portkey-ai/gateway, a Hono app on @hono/node-server),
 * run locally under Node for a side-by-side comparison. It is installed on demand, at a pinned
 * version, into .cache/portkey: it is never a dependency of headroom. Requests reach it with
 * `x-portkey-provider` and `x-portkey-custom-host` pointing at the benchmark's fake upstream
 * (127.0.0.1 is on its default list of trusted custom hosts).
 */

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { freePort, type Served } from "./processes.ts";

/** The version measured. 1.15.2 is also the version of the independent overhead figures. */
export const PORTKEY_VERSION = "1.15.2";

const root = join(import.meta.dir, "..", "..");
const prefix = join(root, ".cache", "portkey");
const packageDir = join(prefix, "node_modules", "@portkey-ai", "gateway");

function installedVersion(): string | undefined {
  try {
    return JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")).version;
  } catch {
    return undefined;
  }
}

/** Installs the pinned gateway into .cache/portkey unless it is there already. */
export function ensurePortkey(): void {
  if (installedVersion() === PORTKEY_VERSION) return;
  console.error(`installing @portkey-ai/gateway@${PORTKEY_VERSION} into .cache/portkey ...`);
  const result = Bun.spawnSync(
    [
      "npm",
      "install",
      "--prefix",
      prefix,
      "--no-save",
      "--no-audit",
      "--no-fund",
      // Its postinstall runs patch-package for its own development; the built server needs none.
      "--ignore-scripts",
      `@portkey-ai/gateway@${PORTKEY_VERSION}`,
    ],
    { stdout: "inherit", stderr: "inherit" },
  );
  if (result.exitCode !== 0 || installedVersion() !== PORTKEY_VERSION) {
    throw new Error(`cannot install @portkey-ai/gateway@${PORTKEY_VERSION}`);
  }
}

/** The headers that send a request through Portkey to `upstream` as an Anthropic call. */
export function portkeyHeaders(upstream: string): Record<string, string> {
  return { "x-portkey-provider": "anthropic", "x-portkey-custom-host": `${upstream}/v1` };
}

/** Starts the gateway on a free loopback port and waits until it answers. */
export async function startPortkey(): Promise<Served> {
  ensurePortkey();
  const entry = join(packageDir, "build", "start-server.js");
  if (!existsSync(entry)) throw new Error(`no server entry at ${entry}`);
  const port = freePort();
  const proc = Bun.spawn(
    [
      "node",
      "--import",
      join(import.meta.dir, "portkey-loopback.mjs"),
      entry,
      `--port=${port}`,
      "--headless",
    ],
    { cwd: prefix, stdout: "ignore", stderr: "ignore", env: { ...process.env } },
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.status === 200 && (await res.text()).includes("AI Gateway")) break;
    } catch {
      // Not listening yet.
    }
    if (proc.exitCode !== null) throw new Error("Portkey's gateway exited at start");
    if (Date.now() > deadline) throw new Error("Portkey's gateway did not become ready");
    await Bun.sleep(20);
  }
  return { url, proc };
}
