/**
 * `headroom proxy`: resolve the configuration, serve the app, and shut down gracefully.
 * @module
 */

import { appendFileSync } from "node:fs";
import { homedir } from "node:os";
import type { ProxyConfig } from "../core/config.ts";
import { noteLegacyNames } from "../core/legacy-use.ts";
import { createLogger, type Logger } from "../core/logger.ts";
import { exposureWarning } from "../core/loopback.ts";
import { RuntimeSettings } from "../core/runtime-settings.ts";
import { batchedWriter } from "../runtime/batched-writer.ts";
import { asUsageError } from "./cli-config.ts";
import { installCrashReporting } from "./crash-reporting.ts";
import { PROXY_HELP } from "./help.ts";
import { needsMaxRequestsRerun, rerunWithMaxRequests } from "./max-http-requests.ts";
import { parseProxyArgs } from "./proxy-args.ts";
import { ListenError, type StartedProxy, startProxy } from "./start-proxy.ts";
import { writeOut } from "./write-out.ts";

function warnIfExposed(config: ProxyConfig, log: Logger): void {
  const warning = exposureWarning(config.host, config.proxyToken);
  if (warning) log.warn(warning);
}

/** The log lines' sink: stderr, and the --log-file when one is given and disk writes are allowed. */
function logSink(config: ProxyConfig): (text: string) => void {
  const file = config.stateless ? undefined : config.logFile;
  if (!file) return (text) => process.stderr.write(text);
  return (text) => {
    process.stderr.write(text);
    try {
      appendFileSync(file, text);
    } catch {
      // A full disk or a removed directory must not stop the proxy; stderr still has the line.
    }
  };
}

function waitForShutdownSignal(): Promise<string> {
  return new Promise((resolve) => {
    for (const signal of ["SIGINT", "SIGTERM"] as const)
      process.once(signal, () => resolve(signal));
  });
}

/** Runs the proxy until SIGINT/SIGTERM; resolves with the exit code. */
export async function runProxy(args: string[], version: string): Promise<number> {
  const flags = parseProxyArgs(args);
  if (flags.help) {
    await writeOut(PROXY_HELP);
    return 0;
  }
  const settings = asUsageError(() => new RuntimeSettings(flags, process.env, homedir()));
  if (needsMaxRequestsRerun(process.env)) return rerunWithMaxRequests();
  // The settings fixed at start (listen address, workspace); the rest is read live from `settings`.
  const config = settings.current;

  const logLines = batchedWriter(logSink(config));
  process.on("exit", () => logLines.flush());
  const log = createLogger(
    () => settings.current.logLevel,
    (line) => logLines.write(line),
  );
  installCrashReporting(log);
  noteLegacyNames(
    flags,
    process.env,
    config,
    log,
    config.stateless ? "with --stateless" : undefined,
  );
  // Everything headroom writes is for its owner's eyes only (the log file included).
  process.umask(0o077);
  const shutdown = waitForShutdownSignal();
  let proxy: StartedProxy;
  try {
    proxy = startProxy(settings, version, log);
  } catch (error) {
    if (!(error instanceof ListenError)) throw error;
    process.stderr.write(`headroom: ${error.message}\n`);
    return 1;
  }
  const { server } = proxy;
  log.info("listening", {
    url: `http://${server.hostname.includes(":") ? `[${server.hostname}]` : server.hostname}:${server.port}`,
    version,
    pid: process.pid,
  });
  warnIfExposed(config, log);

  const signal = await shutdown;
  log.info("shutting down", { signal, grace_ms: config.shutdownGraceMs });
  await proxy.stop(config.shutdownGraceMs);
  log.info("stopped");
  logLines.flush();
  return 0;
}
