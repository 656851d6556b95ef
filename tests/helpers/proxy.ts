/**
 * Builds the real app for tests: in-process via `app.request()` with an injected fetch, or served
 * on a real socket in front of a fake upstream.
 */

import { createHash } from "node:crypto";
import { createApp } from "../../src/app/create-app.ts";
import type { AppDeps, AppInputs, Lifecycle } from "../../src/app/deps.ts";
import { type HiddenCallStore, MemoryHiddenCallStore } from "../../src/ccr/hidden-calls.ts";
import type { OriginalStore } from "../../src/ccr/original-store.ts";
import type { ConversationStore } from "../../src/compress/conversation-store.ts";
import type { DecisionStore } from "../../src/compress/decisions.ts";
import { type ProxyConfig, type ProxyFlags, resolveConfig } from "../../src/core/config.ts";
import type { Exchange } from "../../src/core/exchange.ts";
import { createLogger } from "../../src/core/logger.ts";
import { RateLimiter } from "../../src/core/rate-limiter.ts";
import { RuntimeSettings } from "../../src/core/runtime-settings.ts";
import type { ConnEnv } from "../../src/pipeline/client-request.ts";
import { ResponseCache } from "../../src/pipeline/response-cache.ts";
import {
  type RunningServer,
  type ServeOptions,
  serveWithBun,
} from "../../src/runtime/bun-server.ts";
import { zlibDecoder } from "../../src/runtime/zlib-decoder.ts";
import type { LedgerStore } from "../../src/stats/ledger-store.ts";
import { PriceTable } from "../../src/stats/prices.ts";
import type { StatsService } from "../../src/stats/stats-service.ts";
import { MemoryDecisionStore } from "../../src/store/memory-decision-store.ts";
import { MemoryLedgerStore } from "../../src/store/memory-ledger.ts";
import { MemoryOriginalStore } from "../../src/store/memory-original-store.ts";

/** A configuration as `headroom proxy` would resolve it from these flags and environment. */
export function testConfig(env: Record<string, string> = {}, flags: ProxyFlags = {}): ProxyConfig {
  return resolveConfig(
    flags,
    { HEADROOM_RETRY_BASE_DELAY_MS: "1", ...env },
    process.env.HOME ?? "/tmp",
  );
}

/** Options of {@link buildApp}. */
export interface BuildOptions {
  /** Upstream base URL for every provider (defaults to an unreachable .invalid host). */
  upstream?: string;
  env?: Record<string, string>;
  flags?: ProxyFlags;
  fetch?: AppDeps["fetch"];
  sleep?: AppDeps["sleep"];
  /** Runs the compressions (a CompressPool's run); in the test's thread when absent. */
  compress?: AppDeps["compress"];
  /** Counts exact tokens (a CompressPool's countTokens); in the test's thread when absent. */
  countTokens?: AppDeps["countTokens"];
  decisions?: DecisionStore;
  /** Hashes text (node:crypto's SHA-256 when absent). */
  sha256?: AppDeps["sha256"];
  originals?: OriginalStore;
  /** The ledger the app builds its stats on (in memory when absent). */
  ledger?: LedgerStore;
  hiddenCalls?: HiddenCallStore;
  /** Conversations' cache clocks (in memory when absent). */
  conversations?: ConversationStore;
  /** The cache clocks' wall clock, epoch milliseconds (Date.now when absent). */
  wallClock?: () => number;
  dashboardHtml?: string;
  /** A team's roll-ups and this replica's name (a team gateway on Redis). */
  team?: AppDeps["team"];
  replicaId?: string;
}

/** The app plus everything it reported. */
export interface BuiltApp {
  app: ReturnType<typeof createApp>["app"];
  /** Records and answers a request refused before routing (what the server calls). */
  refuse: ReturnType<typeof createApp>["refuse"];
  deps: AppInputs;
  /** The ledger's views the app built (what /stats reads). */
  stats: StatsService;
  exchanges: Exchange[];
  logs: Record<string, unknown>[];
  lifecycle: Lifecycle;
  /** Calls the app as a client on 127.0.0.1 would (pass `env` to pose as another peer). */
  request(path: string, init?: RequestInit, env?: ConnEnv): Promise<Response>;
}

/** Builds the app with an injected fetch; nothing listens. */
export function buildApp(options: BuildOptions = {}): BuiltApp {
  const upstream = options.upstream ?? "http://upstream.invalid";
  const settings = new RuntimeSettings(
    options.flags ?? {},
    {
      HEADROOM_RETRY_BASE_DELAY_MS: "1",
      OPENAI_TARGET_API_URL: upstream,
      ANTHROPIC_TARGET_API_URL: upstream,
      GEMINI_TARGET_API_URL: upstream,
      CHATGPT_TARGET_API_URL: upstream,
      ...options.env,
    },
    process.env.HOME ?? "/tmp",
  );
  const exchanges: Exchange[] = [];
  const logs: Record<string, unknown>[] = [];
  const lifecycle: Lifecycle = { state: "ready" };
  const deps: AppInputs = {
    get config() {
      return settings.current;
    },
    settings,
    version: "0.0.0-test",
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    decodeBody: zlibDecoder,
    log: createLogger(
      () => "debug",
      (line) => logs.push(JSON.parse(line)),
    ),
    lifecycle,
    pid: 4242,
    memoryUsage: () => process.memoryUsage(),
    decisions: options.decisions ?? new MemoryDecisionStore(),
    originals: options.originals ?? new MemoryOriginalStore(),
    hiddenCalls: options.hiddenCalls ?? new MemoryHiddenCallStore(),
    ledger: options.ledger ?? new MemoryLedgerStore(),
    conversations: options.conversations,
    wallClock: options.wallClock,
    prices: new PriceTable(),
    sha256: options.sha256 ?? ((text) => createHash("sha256").update(text).digest("hex")),
    rateLimiter: new RateLimiter(),
    responseCache: settings.current.cache
      ? new ResponseCache(settings.current.cacheTtlSeconds, settings.current.cacheMaxBytes)
      : undefined,
    onExchange: [(exchange) => exchanges.push(exchange)],
    dashboardHtml: options.dashboardHtml,
    team: options.team,
    replicaId: options.replicaId,
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(options.compress ? { compress: options.compress } : {}),
    ...(options.countTokens ? { countTokens: options.countTokens } : {}),
  };
  const { app, refuse, stats } = createApp(deps);
  return {
    app,
    refuse,
    stats,
    deps,
    exchanges,
    logs,
    lifecycle,
    request: (path, init, env = { remoteAddress: "127.0.0.1" }) =>
      Promise.resolve(app.request(path, init, env)),
  };
}

/** The app served on a real socket. */
export interface ServedApp extends BuiltApp {
  url: string;
  server: RunningServer;
  stop(): Promise<void>;
}

/** Serves the app on 127.0.0.1 with a free port. */
export function serveApp(options: BuildOptions & ServeOptions = {}): ServedApp {
  const built = buildApp(options);
  const server = serveWithBun(built.app, "127.0.0.1", 0, { refuse: built.refuse, ...options });
  return {
    ...built,
    url: `http://127.0.0.1:${server.port}`,
    server,
    stop: () => server.stop(0),
  };
}

/** Polls `condition` every 10 ms until it holds, failing after `timeoutMs` (generous by default). */
export async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("waitFor: condition not met in time");
    await Bun.sleep(10);
  }
}
