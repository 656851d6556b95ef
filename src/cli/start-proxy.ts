/**
 * Builds and serves the proxy as `headroom proxy` runs it: the workspace and its stores, the
 * compression workers, the app, the listening socket. `headroom selftest` starts the same stack,
 * so what it checks is what users run.
 * @module
 */

import { mkdirSync } from "node:fs";
import { totalmem } from "node:os";
import { createApp } from "../app/create-app.ts";
import type { AppInputs, Lifecycle } from "../app/deps.ts";
import { dashboardHtml } from "../assets.ts";
import type { Logger } from "../core/logger.ts";
import { RateLimiter } from "../core/rate-limiter.ts";
import type { RuntimeSettings } from "../core/runtime-settings.ts";
import { ResponseCache } from "../pipeline/response-cache.ts";
import { type RunningServer, serveWithBun } from "../runtime/bun-server.ts";
import { CompressPool, poolSize } from "../runtime/compress-pool.ts";
import { loadPrices } from "../runtime/load-prices.ts";
import { nativeSha256 } from "../runtime/native-sha256.ts";
import { zlibDecoder } from "../runtime/zlib-decoder.ts";
import { importOriginalSavings } from "./import-original-savings.ts";
import { openStores, startUpkeep } from "./open-stores.ts";

/** The proxy could not open its socket (the port is taken, the address is not this machine's). */
export class ListenError extends Error {}

/** A proxy that is listening. */
export interface StartedProxy {
  readonly server: RunningServer;
  /** Stops listening (in-flight requests get `graceMs`), then closes the workers and stores. */
  stop(graceMs: number): Promise<void>;
}

/** Opens the stores, starts the workers and serves the app; throws {@link ListenError} when it cannot listen. */
export function startProxy(settings: RuntimeSettings, version: string, log: Logger): StartedProxy {
  // The settings fixed at start (listen address, workspace); the rest is read live from `settings`.
  const config = settings.current;
  // Everything headroom writes is for its owner's eyes only.
  process.umask(0o077);
  if (!config.stateless) mkdirSync(config.workspaceDir, { recursive: true, mode: 0o700 });
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
    team: stores.team,
    replicaId: stores.replicaId,
    rateLimiter: new RateLimiter(),
    responseCache: config.cache
      ? new ResponseCache(config.cacheTtlSeconds, config.cacheMaxBytes)
      : undefined,
  };
  const imported = importOriginalSavings(config, stores.ledger, log, deps.prices);
  const { app, refuse, upkeep, stats } = createApp(deps);
  stats.importedFrom = imported;
  const stopUpkeep = startUpkeep(
    {
      purge: upkeep.purge,
      flush: () => {
        upkeep.flush();
        void stores.team?.flush();
      },
    },
    log,
  );
  const close = () => {
    pool.close();
    stopUpkeep();
    stores.close();
  };
  let server: RunningServer;
  try {
    server = serveWithBun(app, config.host, config.port, { refuse });
  } catch (error) {
    close();
    throw new ListenError(
      `cannot listen on ${config.host}:${config.port}: ${(error as Error).message}`,
    );
  }
  lifecycle.state = "ready";
  return {
    server,
    async stop(graceMs) {
      lifecycle.state = "stopping";
      await server.stop(graceMs);
      close();
    },
  };
}
