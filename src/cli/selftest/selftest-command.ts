/**
 * `headroom selftest`: proves this executable works end to end with no network and no token.
 * It starts the proxy in this process on a free loopback port, in front of a fake provider
 * that speaks the four APIs' wire formats, runs the checks in checks.ts and prints one line
 * each. Nothing is written outside a temporary workspace (removed afterwards) unless
 * --workspace-dir names one.
 * @module
 */

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createLogger } from "../../core/logger.ts";
import { RuntimeSettings } from "../../core/runtime-settings.ts";
import { asUsageError } from "../cli-config.ts";
import { rerunWithEnv } from "../rerun-with-env.ts";
import { type StartedProxy, startProxy } from "../start-proxy.ts";
import { UsageError } from "../usage-error.ts";
import { writeOut } from "../write-out.ts";
import { CHECKS, CheckFailed, NEEDLE, type SelftestContext } from "./checks.ts";
import { FakeProvider } from "./fake-provider.ts";

/** `headroom selftest --help`. */
const SELFTEST_HELP = `Usage: headroom selftest [--json] [--workspace-dir DIR]

Proves this executable works with no network and no provider key: starts the proxy on a free
loopback port in front of a built-in fake provider (Anthropic Messages, OpenAI chat and
Responses, Gemini) and checks byte-identical passthrough, a relayed stream, a tool output
compressed with its marker, the original retrieved by the model and through /v1/retrieve,
/stats and /metrics agreeing, the control plane refusing a foreign Host, and the workspace
files being private. Prints one line per check (--json: one JSON document) and exits 0 only
when every check passes, 1 otherwise.

The proxy's state goes to a temporary directory, removed afterwards; --workspace-dir DIR uses
and keeps DIR instead. Nothing reaches beyond 127.0.0.1, and your own settings
(HEADROOM_*, *_TARGET_API_URL) are not read.
`;

/** One check's outcome, as printed and in --json. */
interface Outcome {
  readonly name: string;
  readonly status: "ok" | "fail";
  readonly detail: string;
}

function parse(args: string[]): { json: boolean; workspaceDir?: string; help: boolean } {
  try {
    const { values } = parseArgs({
      args,
      strict: true,
      options: {
        json: { type: "boolean" },
        "workspace-dir": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
    return {
      json: values.json === true,
      help: values.help === true,
      ...(values["workspace-dir"] ? { workspaceDir: values["workspace-dir"] } : {}),
    };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Runs every check against a proxy started for the purpose; the proxy's warnings go to `logs`. */
async function runChecks(
  workspaceDir: string,
  version: string,
  logs: string[],
): Promise<Outcome[]> {
  const provider = new FakeProvider(NEEDLE);
  try {
    const settings = asUsageError(
      () =>
        new RuntimeSettings(
          {},
          {
            HEADROOM_HOST: "127.0.0.1",
            HEADROOM_PORT: "0",
            HEADROOM_WORKSPACE_DIR: workspaceDir,
            OPENAI_TARGET_API_URL: provider.url,
            ANTHROPIC_TARGET_API_URL: provider.url,
            GEMINI_TARGET_API_URL: provider.url,
            CHATGPT_TARGET_API_URL: provider.url,
            // The check is that compression works, not how fast this machine is: a busy CI
            // runner's first compression (workers starting) must not be skipped for time.
            HEADROOM_COMPRESSION_BUDGET_MS: "20000",
          },
          workspaceDir,
        ),
    );
    const log = createLogger(
      () => "warn",
      (line) => logs.push(line),
    );
    let proxy: StartedProxy;
    try {
      proxy = startProxy(settings, version, log);
    } catch (error) {
      // A workspace that cannot be created or opened, say: nothing else can be checked.
      const detail = `the proxy did not start: ${(error as Error).message}`;
      return [{ name: "start", status: "fail", detail }];
    }
    try {
      const context: SelftestContext = {
        proxyUrl: `http://127.0.0.1:${proxy.server.port}`,
        provider,
        workspaceDir,
        sent: 0,
        compressed: new Map(),
      };
      const outcomes: Outcome[] = [];
      for (const check of CHECKS) {
        try {
          outcomes.push({ name: check.name, status: "ok", detail: await check.run(context) });
        } catch (error) {
          const detail =
            error instanceof CheckFailed ? error.message : `error: ${(error as Error).message}`;
          outcomes.push({ name: check.name, status: "fail", detail });
        }
      }
      return outcomes;
    } finally {
      await proxy.stop(1000);
    }
  } finally {
    provider.stop();
  }
}

const NO_CACHE = "BUN_RUNTIME_TRANSPILER_CACHE_PATH";

// The variables that send Bun's fetch through a proxy server, loopback addresses included.
const PROXY_VARIABLES = ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"];

/** Runs `headroom selftest`; resolves with the exit code. */
export async function runSelftest(args: string[], version: string): Promise<number> {
  const options = parse(args);
  if (options.help) {
    await writeOut(SELFTEST_HELP);
    return 0;
  }
  // Every call the selftest makes is between 127.0.0.1 and itself: a CI runner's proxy server
  // would otherwise receive them (Bun's fetch reads these variables on each call).
  for (const name of PROXY_VARIABLES) {
    delete process.env[name];
    delete process.env[name.toLowerCase()];
  }
  // Bun caches the compression workers' transpiled code under ~/.bun, and reads where only
  // when a process starts: run again without that cache, as nothing outside the workspace is
  // to be written.
  if (typeof Bun !== "undefined" && process.env[NO_CACHE] !== "0")
    return rerunWithEnv({ [NO_CACHE]: "0" });
  const started = Date.now();
  const temporary = options.workspaceDir
    ? undefined
    : mkdtempSync(join(tmpdir(), "headroom-selftest-"));
  const workspaceDir = options.workspaceDir ?? (temporary as string);
  const logs: string[] = [];
  let outcomes: Outcome[];
  try {
    outcomes = await runChecks(workspaceDir, version, logs);
  } finally {
    if (temporary) rmSync(temporary, { recursive: true, force: true });
  }
  const failed = outcomes.filter((outcome) => outcome.status === "fail").length;
  const seconds = (Date.now() - started) / 1000;
  if (options.json) {
    await writeOut(
      `${JSON.stringify({ ok: failed === 0, version, seconds, checks: outcomes }, null, 2)}\n`,
    );
  } else {
    for (const { name, status, detail } of outcomes)
      await writeOut(`${status.padEnd(4)}  ${name.padEnd(13)}  ${detail}\n`);
    await writeOut(
      failed === 0
        ? `headroom ${version} selftest passed: ${outcomes.length} checks in ${seconds.toFixed(1)} s\n`
        : `headroom ${version} selftest FAILED: ${failed} of ${outcomes.length} checks\n`,
    );
  }
  // What the proxy itself warned about is the first clue to a failure.
  if (failed > 0) for (const line of logs) process.stderr.write(`${line}\n`);
  return failed === 0 ? 0 : 1;
}
