/**
 * The one place request figures are recorded and read: every finished data-plane request becomes
 * one ledger row (durable), and the same row feeds the session view (since start or the last
 * reset), the display session (activity without a 60-minute gap) and the recent-requests list.
 * The lifetime view is read from the ledger's totals, so rows the CLI layer writes count too.
 * @module
 */

import { Aggregate, rowCounters, rowSlices } from "./aggregate.ts";
import type { LedgerRow } from "./ledger-row.ts";
import type { LedgerStore, StoredRow } from "./ledger-store.ts";
import { IMPORTED_OUTCOME, type OriginalSavingsSummary } from "./original-savings.ts";
import { PipelineTally } from "./pipeline-tally.ts";

/** One compression of one tool output, for the live feed. */
export interface CompressionEvent {
  readonly ts: number;
  readonly requestId: string;
  readonly model: string | null;
  readonly provider: string | null;
  readonly tool: string | null;
  readonly strategy: string;
  readonly tokensBefore: number;
  readonly tokensAfter: number;
  readonly lossy: boolean;
  /** Only with --log-messages. */
  readonly original?: string;
  readonly compressed?: string;
}

/** A display session ends after this much inactivity (the dashboard's "current session"). */
const DISPLAY_GAP_MS = 60 * 60_000;
const RECENT = 50;
const FEED = 200;
const SAVINGS_HISTORY = 100;

/** Figures carried over from the original Headroom's proxy_savings.json and request log, once. */
export interface ImportedSavings extends OriginalSavingsSummary {
  /** The savings file read (null when only a request log was). */
  readonly path: string | null;
  readonly imported_at: string;
  /** The original's request log read with it, if any. */
  readonly request_log?: { readonly path: string; readonly entries: number };
}

/** Records ledger rows and serves the views over them. */
export class StatsService {
  session = new Aggregate();
  sessionStartedAt: number;
  display = new Aggregate();
  displayStartedAt = 0;
  readonly recent: StoredRow[] = [];
  readonly feed: CompressionEvent[] = [];
  /** This session's compression timing and Codex WebSocket figures. */
  pipeline = new PipelineTally();
  /** Fresh compressions per tool since the process started (the feedback loop's figures). */
  readonly toolCompressions = new Map<string, number>();
  /** [epoch ms, cumulative tokens saved] after each of this session's newest requests. */
  savingsHistory: [number, number][] = [];
  /** Set when this workspace's lifetime began with the original Headroom's figures. */
  importedFrom: ImportedSavings | undefined;
  /** Failures of the durable ledger seen here: headroom keeps serving and reports them. */
  #ownErrors = 0;
  lastStoreError: string | undefined;
  readonly #ledger: LedgerStore;
  #cliCursor = 0;
  #ownId = 0;

  constructor(
    ledger: LedgerStore,
    readonly now: () => number = Date.now,
  ) {
    this.#ledger = ledger;
    this.sessionStartedAt = now();
    let newest: StoredRow[] = [];
    try {
      newest = ledger.newest(50_000);
    } catch (error) {
      this.#failed(error);
    }
    this.#cliCursor = newest[0]?.id ?? 0;
    // The display session: the newest rows back to the first gap of an hour or more.
    const chronological = [...newest].reverse();
    let start = chronological.length;
    for (let i = chronological.length - 1; i >= 0; i--) {
      const next = chronological[i + 1]?.row.ts ?? now();
      if (next - chronological[i]!.row.ts > DISPLAY_GAP_MS) break;
      start = i;
    }
    for (const { row } of chronological.slice(start)) this.#addDisplay(row);
    // Rows carried over from the original Headroom are history, not requests to list.
    const own = newest.filter(({ row }) => row.outcome !== IMPORTED_OUTCOME);
    this.recent.push(...own.slice(0, RECENT).reverse());
  }

  /** The durable ledger (behind its guard when the app built this service). */
  get ledger(): LedgerStore {
    return this.#ledger;
  }

  /** Failed ledger operations: those a guarded ledger absorbed, and those that reached here. */
  get storeErrors(): number {
    return this.#ownErrors + (this.#ledger.report?.().errors ?? 0);
  }

  /** Records one row: durably, then in every in-memory view. */
  record(row: LedgerRow): void {
    let id = 0;
    try {
      id = this.#ledger.insert(row);
    } catch (error) {
      this.#failed(error);
    }
    this.#ownId = id || this.#ownId + 1;
    const counters = rowCounters(row);
    const slices = rowSlices(row);
    this.session.add(row, counters, slices);
    this.#addDisplay(row, counters, slices);
    if (row.layer === "proxy" && row.outcome !== "rejected") {
      this.savingsHistory.push([row.ts, this.session.all.tokens_saved]);
      if (this.savingsHistory.length > SAVINGS_HISTORY) this.savingsHistory.shift();
    }
    this.recent.push({ id: this.#ownId, row });
    if (this.recent.length > RECENT) this.recent.shift();
  }

  /** Adds compression events to the live feed. */
  recordCompressions(events: readonly CompressionEvent[]): void {
    this.feed.push(...events);
    for (const event of events) {
      const tool = event.tool ?? "unknown";
      const known = this.toolCompressions.has(tool) || this.toolCompressions.size < 200;
      const key = known ? tool : "other";
      this.toolCompressions.set(key, (this.toolCompressions.get(key) ?? 0) + 1);
    }
    if (this.feed.length > FEED) this.feed.splice(0, this.feed.length - FEED);
  }

  /** Picks up rows other processes (the CLI layer) wrote since the last look. */
  syncOtherWriters(): void {
    try {
      for (const { id, row } of this.#ledger.rowsAfter(this.#cliCursor, { layer: "cli" })) {
        this.#cliCursor = id;
        if (row.ts >= this.sessionStartedAt) this.session.add(row);
        this.#addDisplay(row);
      }
    } catch (error) {
      this.#failed(error);
    }
  }

  /** Starts a new session view; the ledger and the lifetime view are untouched. */
  reset(): void {
    this.session = new Aggregate();
    this.sessionStartedAt = this.now();
    this.savingsHistory = [];
    this.pipeline = new PipelineTally();
  }

  /** The lifetime view, from the durable totals (empty when the store cannot be read). */
  lifetime(): Aggregate {
    try {
      return this.#ledger.lifetime();
    } catch (error) {
      this.#failed(error);
      return new Aggregate();
    }
  }

  /** The display session, or an empty one once it has been idle for an hour. */
  displaySession(): { aggregate: Aggregate; startedAt: number } {
    if (this.display.all.last_ts === 0 || this.now() - this.display.all.last_ts > DISPLAY_GAP_MS) {
      return { aggregate: new Aggregate(), startedAt: 0 };
    }
    return { aggregate: this.display, startedAt: this.displayStartedAt };
  }

  #failed(error: unknown): void {
    this.#ownErrors++;
    this.lastStoreError = (error as Error)?.message ?? String(error);
  }

  #addDisplay(row: LedgerRow, counters = rowCounters(row), slices = rowSlices(row)): void {
    const last = this.display.all.last_ts;
    if (last === 0 || row.ts - last > DISPLAY_GAP_MS) {
      this.display = new Aggregate();
      this.displayStartedAt = row.ts;
    }
    this.display.add(row, counters, slices);
  }
}
