/**
 * `headroom retrieve HASH`: prints the original behind a marker. Asks the running proxy first
 * (it also serves --stateless memory stores), then reads the workspace database directly.
 * @module
 */

import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { isOriginalHash } from "../compress/marker.ts";
import { DATABASE_FILE, openWorkspaceDatabase } from "../store/sqlite-db.ts";
import { SqliteOriginalStore } from "../store/sqlite-original-store.ts";
import { cliConfig } from "./cli-config.ts";
import { UsageError } from "./usage-error.ts";
import { writeOut } from "./write-out.ts";

/** `headroom retrieve --help`. */
const RETRIEVE_HELP = `Usage: headroom retrieve HASH [--port PORT] [--workspace-dir DIR]

Prints the original content behind a headroom marker (the 24 hex digits after hash=).
Asks the proxy on 127.0.0.1:PORT (HEADROOM_PORT, default 8787), else reads the workspace.
`;

/** Runs `headroom retrieve`; resolves with the exit code. */
export async function runRetrieve(args: string[]): Promise<number> {
  let parsed: {
    values: { port?: string; "workspace-dir"?: string; help?: boolean };
    positionals: string[];
  };
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        port: { type: "string" },
        "workspace-dir": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (parsed.values.help) {
    await writeOut(RETRIEVE_HELP);
    return 0;
  }
  const hash = parsed.positionals[0]?.trim().toLowerCase();
  if (!hash || parsed.positionals.length > 1 || !isOriginalHash(hash)) {
    throw new UsageError("retrieve takes one HASH: the 24 hex digits after hash= in a marker");
  }
  const config = cliConfig({
    port: parsed.values.port,
    "workspace-dir": parsed.values["workspace-dir"],
  });
  try {
    const res = await fetch(`http://127.0.0.1:${config.port}/v1/retrieve/${hash}`, {
      signal: AbortSignal.timeout(2000),
    });
    const body = (await res.json()) as { original_content?: string; error?: { message?: string } };
    if (res.ok && typeof body.original_content === "string") {
      await writeOut(body.original_content);
      return 0;
    }
    if (res.status === 404 && body.error?.message) {
      process.stderr.write(`headroom: ${body.error.message}\n`);
      return 1;
    }
  } catch {
    // No proxy on that port: read the workspace database below.
  }
  if (!existsSync(join(config.workspaceDir, DATABASE_FILE))) {
    process.stderr.write(
      `headroom: no proxy answers on port ${config.port} and ${config.workspaceDir} has no store\n`,
    );
    return 1;
  }
  const db = openWorkspaceDatabase(config.workspaceDir);
  try {
    const entry = new SqliteOriginalStore(db, config.ccrTtlSeconds, config.ccrMaxBytes).get(hash);
    if ("content" in entry) {
      await writeOut(entry.content);
      return 0;
    }
    process.stderr.write(
      `headroom: ${entry.status === "expired" ? `the original for ${hash} has expired` : `no original is stored for ${hash}`}\n`,
    );
    return 1;
  } finally {
    db.close();
  }
}
