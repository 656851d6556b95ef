/**
 * `headroom doctor`: checks the executable, the workspace, the port, what wrap changed and,
 * when asked, whether the upstreams answer; says how to fix each problem it finds.
 * @module
 */

import {
  accessSync,
  constants,
  existsSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { delimiter, join } from "node:path";
import { parseArgs } from "node:util";
import type { ProxyConfig } from "../../core/config.ts";
import { legacyOutcome, legacyUses } from "../../core/legacy-use.ts";
import { DATABASE_FILE } from "../../store/sqlite-db.ts";
import { cliConfig } from "../cli-config.ts";
import { UsageError } from "../usage-error.ts";
import { writeOut } from "../write-out.ts";
import { type PortOccupant, probePort } from "./ensure-proxy.ts";
import { readWrapState } from "./wrap-state.ts";

/** `headroom doctor --help`. */
const DOCTOR_HELP = `Usage: headroom doctor [--port PORT] [--workspace-dir DIR] [--upstreams] [--json]

Checks the headroom executable, the workspace's permissions, what listens on the port, the
changes headroom wrap made, and with --upstreams whether the provider APIs answer (those of
the headroom running on the port, else those this environment would start one with). Prints a
fix for every problem and exits 1 when something is wrong.
`;

/** One finding. */
export interface Check {
  readonly name: string;
  readonly status: "ok" | "warn" | "fail";
  readonly detail: string;
  readonly fix?: string;
}

function checkExecutable(version: string, env: Record<string, string | undefined>): Check[] {
  const compiled = typeof Bun !== "undefined" && Bun.main.startsWith("/$bunfs/");
  const self = compiled ? process.execPath : `${process.execPath} ${Bun.main}`;
  const checks: Check[] = [
    { name: "executable", status: "ok", detail: `headroom ${version} at ${self}` },
  ];
  const onPath = (env.PATH ?? "")
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, "headroom"))
    .find((file) => existsSync(file));
  if (!onPath) {
    checks.push({
      name: "PATH",
      status: "warn",
      detail: "no headroom on PATH",
      fix: 'add the install directory to PATH, e.g. export PATH="$HOME/.local/bin:$PATH"',
    });
  } else if (compiled && onPath !== process.execPath) {
    checks.push({
      name: "PATH",
      status: "warn",
      detail: `headroom on PATH is ${onPath}, not this one`,
      fix: "remove the other copy, or put this one's directory first in PATH",
    });
  } else {
    checks.push({ name: "PATH", status: "ok", detail: onPath });
  }
  return checks;
}

function checkWorkspace(config: ProxyConfig): Check[] {
  const dir = config.workspaceDir;
  if (!existsSync(dir)) {
    return [
      {
        name: "workspace",
        status: "ok",
        detail: `${dir} does not exist yet; headroom creates it (mode 700) on first run`,
      },
    ];
  }
  if (!statSync(dir).isDirectory()) {
    return [
      {
        name: "workspace",
        status: "fail",
        detail: `${dir} is not a directory`,
        fix: "move that file away, or choose another workspace with HEADROOM_WORKSPACE_DIR",
      },
    ];
  }
  const checks: Check[] = [];
  const mode = statSync(dir).mode & 0o777;
  checks.push(
    mode & 0o077
      ? {
          name: "workspace",
          status: "fail",
          detail: `${dir} is readable by others (mode ${mode.toString(8)}); it holds tool outputs and usage`,
          fix: `chmod 700 ${dir}`,
        }
      : { name: "workspace", status: "ok", detail: `${dir} (mode ${mode.toString(8)})` },
  );
  const database = join(dir, DATABASE_FILE);
  if (existsSync(database)) {
    const dbMode = statSync(database).mode & 0o777;
    if (dbMode & 0o077) {
      checks.push({
        name: "database",
        status: "fail",
        detail: `${database} is readable by others (mode ${dbMode.toString(8)})`,
        fix: `chmod 600 ${database}*`,
      });
    }
  }
  const probe = join(dir, `.doctor-${process.pid}`);
  try {
    accessSync(dir, constants.W_OK);
    writeFileSync(probe, "ok");
    rmSync(probe);
  } catch (error) {
    checks.push({
      name: "writable",
      status: "fail",
      detail: `cannot write in ${dir}: ${(error as Error).message}`,
      fix: `make ${dir} writable by you (chown "$USER" ${dir}), free disk space, or choose another with HEADROOM_WORKSPACE_DIR`,
    });
  }
  return checks;
}

function checkPort(config: ProxyConfig, version: string, found: PortOccupant): Check {
  const base = `http://127.0.0.1:${config.port}`;
  if (found === "free") {
    return {
      name: "port",
      status: "ok",
      detail: `nothing listens on ${config.port}; headroom proxy or headroom wrap will start there`,
    };
  }
  if ("foreign" in found) {
    return {
      name: "port",
      status: "fail",
      detail: `port ${config.port} is taken by something else: ${found.foreign}`,
      fix: "stop that program, or run headroom on another port with --port or HEADROOM_PORT",
    };
  }
  if (found.version !== version) {
    return {
      name: "port",
      status: "warn",
      detail: `headroom ${found.version} (pid ${found.pid ?? "?"}) runs on ${config.port}; this executable is ${version}`,
      fix: "restart that proxy when no session uses it, to run this version",
    };
  }
  return {
    name: "port",
    status: "ok",
    detail: `headroom ${found.version} (pid ${found.pid ?? "?"}) runs on ${base}`,
  };
}

function checkWrapState(config: ProxyConfig): Check {
  const { codex } = readWrapState(config.workspaceDir);
  if (!codex)
    return { name: "wrap", status: "ok", detail: "no persistent changes by headroom wrap" };
  const intact = existsSync(codex.file) && readFileSync(codex.file, "utf8").includes(codex.block);
  return intact
    ? {
        name: "wrap",
        status: "ok",
        detail: `codex: headroom provider in ${codex.file} (headroom unwrap codex removes it)`,
      }
    : {
        name: "wrap",
        status: "warn",
        detail: `codex: the headroom provider recorded for ${codex.file} is missing or was edited`,
        fix: "run headroom unwrap codex, then headroom wrap codex to add it again",
      };
}

/** The original Headroom's variables set here, and what each does for headroom proxy. */
function checkLegacyEnv(env: Record<string, string | undefined>): Check[] {
  return legacyUses({}, env).map((use) => {
    const outcome = legacyOutcome(use);
    if (outcome.does !== "refuses")
      return { name: "original", status: "ok", detail: `${outcome.does}: ${outcome.text}` };
    return {
      name: "original",
      status: "fail",
      detail: `headroom proxy stops on it: ${outcome.text}`,
      fix: `unset ${use.label}`,
    };
  });
}

/** The upstream URLs to check: the running proxy's when headroom answers on the port. */
function upstreamsToCheck(
  config: ProxyConfig,
  found: PortOccupant,
): { urls: Record<string, string>; running: boolean } {
  const shown = typeof found === "object" && !("foreign" in found) ? found.config : undefined;
  const openai = shown?.openai_api_url;
  const anthropic = shown?.anthropic_api_url;
  if (typeof openai === "string" && typeof anthropic === "string") {
    return { urls: { openai, anthropic }, running: true };
  }
  return {
    // The API upstreams only: the ChatGPT backend answers signed-in Codex sessions, not a probe.
    urls: { openai: config.upstreams.openai.url, anthropic: config.upstreams.anthropic.url },
    running: false,
  };
}

/** How to point headroom at another URL for `provider`: flags `headroom proxy` accepts. */
function upstreamFix(provider: string, running: boolean): string {
  const setting = `headroom proxy --${provider}-api-url URL (or ${provider.toUpperCase()}_TARGET_API_URL)`;
  return running
    ? `check the network and HTTPS_PROXY, or restart the proxy on this port with the right URL: ${setting}`
    : `check the network, HTTPS_PROXY, or the upstream URL: ${setting}`;
}

async function checkUpstreams(urls: Record<string, string>, running: boolean): Promise<Check[]> {
  const whose = running ? "the running proxy's upstream " : "";
  const checks: Check[] = [];
  for (const [provider, url] of Object.entries(urls)) {
    const started = Date.now();
    try {
      // No credentials are sent: any HTTP answer (401 included) shows the API is reachable.
      const res = await fetch(`${url}/v1/models`, { signal: AbortSignal.timeout(5000) });
      await res.body?.cancel();
      checks.push({
        name: provider,
        status: "ok",
        detail: `${whose}${url} answered HTTP ${res.status} in ${Date.now() - started} ms`,
      });
    } catch (error) {
      checks.push({
        name: provider,
        status: "fail",
        detail: `${whose}${url} is unreachable: ${(error as Error).message}`,
        fix: upstreamFix(provider, running),
      });
    }
  }
  return checks;
}

/** Runs `headroom doctor`; resolves with the exit code. */
export async function runDoctor(args: string[], version: string): Promise<number> {
  let values: {
    port?: string;
    "workspace-dir"?: string;
    upstreams?: boolean;
    json?: boolean;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      options: {
        port: { type: "string" },
        "workspace-dir": { type: "string" },
        upstreams: { type: "boolean" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) {
    await writeOut(DOCTOR_HELP);
    return 0;
  }
  const config = cliConfig({ port: values.port, "workspace-dir": values["workspace-dir"] });
  const found = await probePort(`http://127.0.0.1:${config.port}`);
  const upstreams = upstreamsToCheck(config, found);
  const checks = [
    ...checkExecutable(version, process.env),
    ...checkWorkspace(config),
    checkPort(config, version, found),
    checkWrapState(config),
    ...checkLegacyEnv(process.env),
    ...(values.upstreams ? await checkUpstreams(upstreams.urls, upstreams.running) : []),
  ];
  const failed = checks.some((check) => check.status === "fail");
  if (values.json) {
    await writeOut(`${JSON.stringify({ ok: !failed, checks }, null, 2)}\n`);
  } else {
    for (const check of checks) {
      await writeOut(`${check.status.padEnd(4)}  ${check.name.padEnd(10)}  ${check.detail}\n`);
      if (check.fix) await writeOut(`${" ".repeat(18)}fix: ${check.fix}\n`);
    }
    await writeOut(
      "to prove the proxy works end to end here, offline and with no API key: headroom selftest\n",
    );
    await writeOut(failed ? "headroom doctor found problems\n" : "all good\n");
  }
  return failed ? 1 : 0;
}
