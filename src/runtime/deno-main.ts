/**
 * The Deno entry: serves the same app with Deno.serve. Run it with
 *   deno run --allow-net --allow-env --allow-read --allow-write --config deno.json \
 *     src/runtime/deno-main.ts [the flags of headroom proxy; see --help]
 * @module
 */

import pkg from "../../package.json" with { type: "json" };
import { createApp } from "../app/create-app.ts";
import type { Lifecycle } from "../app/deps.ts";
import { MemoryHiddenCallStore } from "../ccr/hidden-calls.ts";
import { asUsageError } from "../cli/cli-config.ts";
import { PROXY_HELP } from "../cli/help.ts";
import { parseProxyArgs } from "../cli/proxy-args.ts";
import { UsageError } from "../cli/usage-error.ts";
import { noteLegacyNames } from "../core/legacy-use.ts";
import { createLogger } from "../core/logger.ts";
import { exposureWarning, missingTokenRefusal } from "../core/loopback.ts";
import { RateLimiter } from "../core/rate-limiter.ts";
import { RuntimeSettings } from "../core/runtime-settings.ts";
import { ResponseCache } from "../pipeline/response-cache.ts";
import { PriceTable } from "../stats/prices.ts";
import { MemoryDecisionStore } from "../store/memory-decision-store.ts";
import { MemoryLedgerStore } from "../store/memory-ledger.ts";
import { MemoryOriginalStore } from "../store/memory-original-store.ts";
import { CompressPool, poolSize } from "./compress-pool.ts";
import { nativeSha256 } from "./native-sha256.ts";
import { zlibDecoder } from "./zlib-decoder.ts";

/** The few parts of the Deno namespace this entry uses (tsc has no Deno types). */
declare const Deno: {
  args: string[];
  env: { toObject(): Record<string, string> };
  serve(
    options: {
      hostname: string;
      port: number;
      onListen(addr: { hostname: string; port: number }): void;
    },
    handler: (
      request: Request,
      info: { remoteAddr: { hostname: string } },
    ) => Response | Promise<Response>,
  ): { finished: Promise<void>; shutdown(): Promise<void> };
  addSignalListener(signal: "SIGINT" | "SIGTERM", handler: () => void): void;
  exit(code: number): never;
  pid: number;
  readTextFileSync(path: URL): string;
  memoryUsage(): { rss: number; heapUsed: number };
  systemMemoryInfo(): { total: number };
};

/** The machine's memory, or undefined without --allow-sys (the documented command has none). */
function systemMemory(): number | undefined {
  try {
    return Deno.systemMemoryInfo().total;
  } catch {
    return undefined;
  }
}

// The same flags as `headroom proxy`, from the same table; a usage error exits 2 as the CLI does.
function startSettings(): RuntimeSettings {
  try {
    const flags = parseProxyArgs(Deno.args);
    if (flags.help) {
      console.log(PROXY_HELP.trimEnd());
      Deno.exit(0);
    }
    const env = Deno.env.toObject();
    const settings = asUsageError(() => new RuntimeSettings(flags, env, env.HOME ?? "/tmp"));
    const refusal = missingTokenRefusal(settings.current);
    if (refusal) throw new UsageError(refusal);
    return settings;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`headroom: ${error.message}`);
    Deno.exit(2);
  }
}

const settings = startSettings();
const config = settings.current;
const log = createLogger(
  () => settings.current.logLevel,
  (line) => console.error(line),
);
noteLegacyNames(settings.flags, settings.env, config, log, "by the Deno entry");
const lifecycle: Lifecycle = { state: "starting" };
// Deno runs the same worker module as Bun; if it cannot, the pool compresses in this thread.
const pool = new CompressPool({ size: poolSize(), onError: (message) => log.warn(message) });
const { app } = createApp({
  get config() {
    return settings.current;
  },
  settings,
  version: pkg.version,
  fetch: (input, init) => fetch(input, init),
  decodeBody: zlibDecoder,
  log,
  lifecycle,
  pid: Deno.pid,
  memoryUsage: () => ({ ...Deno.memoryUsage(), totalMemory: systemMemory() }),
  // bun:sqlite is Bun's: under Deno decisions live in memory for the process's lifetime.
  decisions: new MemoryDecisionStore(),
  originals: new MemoryOriginalStore(config.ccrTtlSeconds, config.ccrMaxBytes),
  hiddenCalls: new MemoryHiddenCallStore(),
  ledger: new MemoryLedgerStore(),
  prices: new PriceTable(),
  sha256: nativeSha256,
  compress: pool.run,
  countTokens: pool.countTokens,
  // Read beside the source: Deno's text imports are still behind an unstable flag.
  dashboardHtml: Deno.readTextFileSync(new URL("../dashboard/index.html", import.meta.url)),
  rateLimiter: new RateLimiter(),
  responseCache: config.cache
    ? new ResponseCache(config.cacheTtlSeconds, config.cacheMaxBytes)
    : undefined,
});
const server = Deno.serve(
  {
    hostname: config.host,
    port: config.port,
    onListen({ hostname, port }) {
      lifecycle.state = "ready";
      log.info("listening", {
        url: `http://${hostname}:${port}`,
        version: pkg.version,
        runtime: "deno",
      });
      const warning = exposureWarning(config.host, config.proxyToken);
      if (warning) log.warn(warning);
    },
  },
  (request, info) => app.fetch(request, { remoteAddress: info.remoteAddr.hostname }),
);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, () => {
    lifecycle.state = "stopping";
    server.shutdown().then(() => {
      pool.close();
      Deno.exit(0);
    });
  });
}
