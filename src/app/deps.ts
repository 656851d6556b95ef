/**
 * What the app needs from the outside world, injected so tests can drive it with `app.request()`
 * and a fake upstream, and so the app never reaches for globals.
 * @module
 */

import type { ConversationStore } from "../compress/conversation-store.ts";
import type { RuntimeSettings } from "../core/runtime-settings.ts";
import type { PipelineDeps } from "../pipeline/deps.ts";
import type { LedgerStore } from "../stats/ledger-store.ts";
import type { PriceTable } from "../stats/prices.ts";
import type { StatsService } from "../stats/stats-service.ts";
import type { TeamLedger } from "../stats/team-ledger.ts";

/** The process lifecycle as the probes report it. */
export interface Lifecycle {
  state: "starting" | "ready" | "stopping";
}

/** The process's memory as the runtime reports it, in bytes (for /debug/memory). */
export interface ProcessMemory {
  readonly rss: number;
  readonly heapUsed: number;
  /** The machine's memory, when the runtime says. */
  readonly totalMemory?: number | undefined;
}

/** Dependencies of {@link createApp}: the pipeline's, and what the other routes read. */
export interface AppDeps extends PipelineDeps {
  /** The live settings behind `config`, changed through /admin/runtime-env. */
  readonly settings: RuntimeSettings;
  readonly version: string;
  readonly lifecycle: Lifecycle;
  readonly pid: number;
  /** Reads the process's memory (a runtime API, so injected). */
  readonly memoryUsage: () => ProcessMemory;
  /** The ledger and the views over it. */
  readonly stats: StatsService;
  /** List prices for dollar figures. */
  readonly prices: PriceTable;
  /** The dashboard page served at /dashboard (the CLI embeds it; absent means no dashboard). */
  readonly dashboardHtml?: string | undefined;
  /** The team's roll-ups, when this is one replica of a team gateway (Redis). */
  readonly team?: TeamLedger | undefined;
  /** This replica's name among the team's: a label on every /metrics sample when set. */
  readonly replicaId?: string | undefined;
}

/**
 * What an entry gives {@link createApp}: the ledger store itself, from which the app builds its
 * stats service once the store is behind its guard.
 */
export type AppInputs = Omit<AppDeps, "stats"> & {
  readonly ledger: LedgerStore;
  /** Conversations' cache clocks (in memory when absent). */
  readonly conversations?: ConversationStore | undefined;
  /** Wall-clock epoch milliseconds for the cache clocks (Date.now when absent; tests inject theirs). */
  readonly wallClock?: (() => number) | undefined;
  /** Milliseconds ledger rows may wait to be written together (the CLI's SQLite: 50). */
  readonly ledgerWriteBehindMs?: number | undefined;
};
