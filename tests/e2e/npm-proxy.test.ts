/**
 * `npm run proxy`, the README's first command: stopping npm stops the proxy it started. npm
 * passes SIGTERM only to its direct child, so the script makes the proxy that child; an npm
 * killed outright passes nothing on, so the proxy also watches for its parent going.
 */

import { expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServerProcess } from "../helpers/binary.ts";

const ROOT = join(import.meta.dir, "..", "..");

/** True once nothing accepts connections at `url` any more. */
async function refused(url: string): Promise<boolean> {
  try {
    await fetch(`${url}/livez`, { signal: AbortSignal.timeout(1000) });
    return false;
  } catch (error) {
    const code = (error as { code?: string }).code;
    return code === "ECONNREFUSED" || code === "ConnectionRefused";
  }
}

/** Starts `npm run proxy` on a free port, sends npm `signal`, and says whether the port was freed. */
async function portFreedAfterNpmGets(signal: NodeJS.Signals): Promise<boolean> {
  const workspace = mkdtempSync(join(tmpdir(), "headroom-npm-proxy-"));
  const npm = await startServerProcess(
    ["npm", "run", "--silent", "proxy", "--", "--port", "0"],
    { HEADROOM_WORKSPACE_DIR: workspace },
    ROOT,
  );
  const proxyPid: number = JSON.parse(
    npm.lines.find((line) => line.includes('"msg":"listening"'))!,
  ).pid;
  try {
    expect((await fetch(`${npm.url}/livez`)).status).toBe(200);
    npm.proc.kill(signal);
    await npm.proc.exited;
    // The proxy drains for a moment after the signal; it must not outlive npm for long.
    const deadline = Date.now() + 10_000;
    while (!(await refused(npm.url)) && Date.now() < deadline) await Bun.sleep(50);
    return await refused(npm.url);
  } finally {
    try {
      process.kill(proxyPid, "SIGKILL");
    } catch {
      // Gone, as it should be.
    }
  }
}

test("SIGTERM to npm's own pid stops the proxy and frees its port", async () => {
  expect(await portFreedAfterNpmGets("SIGTERM")).toBe(true);
});

test("an npm killed outright (SIGKILL, nothing passed on) still takes the proxy with it", async () => {
  expect(await portFreedAfterNpmGets("SIGKILL")).toBe(true);
});
