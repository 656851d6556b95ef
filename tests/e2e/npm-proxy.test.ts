/**
 * `npm run proxy`, the README's first command: stopping npm stops the proxy it started. npm
 * passes SIGTERM only to its direct child, so the script must make the proxy that child.
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

test("SIGTERM to npm's own pid stops the proxy and frees its port", async () => {
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
    npm.proc.kill("SIGTERM");
    await npm.proc.exited;
    // The proxy drains for a moment after the signal; it must not outlive npm for long.
    const deadline = Date.now() + 10_000;
    while (!(await refused(npm.url)) && Date.now() < deadline) await Bun.sleep(50);
    expect(await refused(npm.url)).toBe(true);
  } finally {
    try {
      process.kill(proxyPid, "SIGKILL");
    } catch {
      // Gone, as it should be.
    }
  }
});
