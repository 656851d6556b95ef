/**
 * `headroom proxy`: resolve the configuration, serve the app, and shut down gracefully.
 * @module
 */

import { appendFileSync, mkdirSync } from "node:fs";
import { homedir, totalmem } from "node:os";
import { createApp } from "../app/create-app.ts";
import type { AppInputs, Lifecycle } from "../app/deps.ts";
import { dashboardHtml } from "../assets.ts";
import type { ProxyConfig } from "../core/config.ts";
import { noteLegacyNames } from "../core/legacy-use.ts";
import { createLogger, type Logger } from "../core/logger.ts";
import { exposureWarning } from "../core/loopback.ts";
import { RateLimiter } from "../core/rate-limiter.ts";
import { RuntimeSettings } from "../core/runtime-settings.ts";
import { ResponseCache } from "../pipeline/response-cache.ts";
import { batchedWriter } from "../runtime/batched-writer.ts";
import { serveWithBun } from "../runtime/bun-server.ts";
import { CompressPool, poolSize } from "../runtime/compress-pool.ts";
import { loadPrices } from "../runtime/load-prices.ts";
import { nativeSha256 } from "../runtime/native-sha256.ts";
import { zlibDecoder } from "../runtime/zlib-decoder.ts";
import { asUsageError } from "./cli-config.ts";
import { installCrashReporting } from "./crash-reporting.ts";
import { PROXY_HELP } from "./help.ts";
import { importOriginalSavings } from "./import-original-savings.ts";
import { needsMaxRequestsRerun, rerunWithMaxRequests } from "./max-http-requests.ts";
import { openStores, startUpkeep } from "./open-stores.ts";
import { parseProxyArgs } from "./proxy-args.ts";
import { writeOut } from "./write-out.ts";

function ensureWorkspace(config: ProxyConfig): void {
  if (config.stateless) return;
  mkdirSync(config.workspaceDir, { recursive: true, mode: 0o700 });
}

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
  // Everything headroom writes is for its owner's eyes only.
  process.umask(0o077);
  ensureWorkspace(config);
  const stores = openStores(config);
  const lifecycle: Lifecycle = { state: "starting" };
  const pool = new CompressPool({ size: poolSize(), onError: (message) => log.warn(message) });
  const deps: AppInputs = {
    get config() {
      return settings.current;
    },
    settings,
    version,
    fetch: (input, init) => fetch(input, init),
    decodeBody: zlibDecoder,
    log,
    lifecycle,
    pid: process.pid,
    memoryUsage: () => ({ ...process.memoryUsage(), totalMemory: totalmem() }),
    decisions: stores.decisions,
    originals: stores.originals,
    hiddenCalls: stores.hiddenCalls,
    conversations: stores.conversations,
    ledger: stores.ledger,
    ledgerWriteBehindMs: stores.ledgerWriteBehindMs,
    prices: loadPrices(config.workspaceDir, log),
    sha256: nativeSha256,
    compress: pool.run,
    countTokens: pool.countTokens,
    dashboardHtml,
    rateLimiter: new RateLimiter(),
    responseCache: config.cache
      ? new ResponseCache(config.cacheTtlSeconds, config.cacheMaxBytes)
      : undefined,
  };
  const imported = importOriginalSavings(config, stores.ledger, log);
  const { app, refuse, upkeep, stats } = createApp(deps);
  stats.importedFrom = imported;
  const stopUpkeep = startUpkeep(upkeep, log);
  const shutdown = waitForShutdownSignal();
  let server: ReturnType<typeof serveWithBun>;
  try {
    server = serveWithBun(app, config.host, config.port, { refuse });
  } catch (error) {
    process.stderr.write(
      `headroom: cannot listen on ${config.host}:${config.port}: ${(error as Error).message}\n`,
    );
    return 1;
  }
  lifecycle.state = "ready";
  log.info("listening", {
    url: `http://${server.hostname.includes(":") ? `[${server.hostname}]` : server.hostname}:${server.port}`,
    version,
    pid: process.pid,
  });
  warnIfExposed(config, log);

  const signal = await shutdown;
  lifecycle.state = "stopping";
  log.info("shutting down", { signal, grace_ms: config.shutdownGraceMs });
  await server.stop(config.shutdownGraceMs);
  pool.close();
  stopUpkeep();
  stores.close();
  log.info("stopped");
  logLines.flush();
  return 0;
}
