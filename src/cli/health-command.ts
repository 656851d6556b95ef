/**
 * `headroom health`: asks the proxy on this machine whether it is ready to serve (/readyz) and
 * says so in its exit code, so a container image without a shell or curl can still declare a
 * health check.
 * @module
 */

import { parseArgs } from "node:util";
import { cliConfig } from "./cli-config.ts";
import { UsageError } from "./usage-error.ts";
import { writeOut } from "./write-out.ts";

const HEALTH_HELP = `Usage: headroom health [--port PORT]

Exits 0 when the proxy on 127.0.0.1:PORT (HEADROOM_PORT, default 8787) answers /readyz with 200,
1 otherwise (not listening, starting, shutting down, or no answer within 3 s).
`;

/** Runs `headroom health`; resolves with the exit code. */
export async function runHealth(args: string[]): Promise<number> {
  let values: { port?: string; help?: boolean };
  try {
    values = parseArgs({
      args,
      strict: true,
      options: { port: { type: "string" }, help: { type: "boolean", short: "h" } },
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) {
    await writeOut(HEALTH_HELP);
    return 0;
  }
  const { port } = cliConfig({ port: values.port });
  const url = `http://127.0.0.1:${port}/readyz`;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
    const body = await res.text();
    await writeOut(`${res.status} ${body}\n`);
    return res.status === 200 ? 0 : 1;
  } catch (error) {
    process.stderr.write(`headroom: ${url}: ${(error as Error).message}\n`);
    return 1;
  }
}
