/**
 * The health of one store as headroom sees it: "ok", or "degraded" from the first failure of an
 * episode until the store works again. A failing lane (reads or writes) is retried after a
 * growing backoff rather than on every request: bun:sqlite is synchronous, so each attempt on a
 * locked database waits out the busy timeout on the event loop and stalls every other request.
 * Between retries operations fail fast. One warning per episode, one info line on recovery.
 * @module
 */

import type { Logger } from "../core/logger.ts";
import { errorCode, type StoreOp, type StoreReport } from "../core/store-health.ts";

export { errorCode, type StoreOp, type StoreReport };

/** Options of {@link StoreStatus} (tests pass a clock and short backoffs). */
export interface StoreStatusOptions {
  readonly now?: () => number;
  readonly retryMs?: number;
  readonly maxRetryMs?: number;
}

interface Lane {
  failing: boolean;
  retryAt: number;
  backoffMs: number;
}

function errorMessage(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return (typeof message === "string" ? message : String(error)).slice(0, 300);
}

/** Thrown instead of calling a store that is backing off after a failure. */
export class StoreUnavailableError extends Error {
  override readonly name = "StoreUnavailableError";
  constructor(
    readonly store: string,
    readonly code: string,
  ) {
    super(`the ${store} store is failing (${code}); not retried yet`);
  }
}

/** The health and retry state of one store. */
export class StoreStatus {
  errors = 0;
  skipped = 0;
  episodes = 0;
  #since: number | undefined;
  #last: { code: string; message: string; op: StoreOp; at: number } | undefined;
  #log: Logger | undefined;
  readonly #lanes: Record<StoreOp, Lane>;
  readonly #now: () => number;
  readonly #retryMs: number;
  readonly #maxRetryMs: number;

  constructor(
    readonly name: string,
    options: StoreStatusOptions = {},
  ) {
    this.#now = options.now ?? Date.now;
    this.#retryMs = options.retryMs ?? 1_000;
    this.#maxRetryMs = options.maxRetryMs ?? 30_000;
    const lane = (): Lane => ({ failing: false, retryAt: 0, backoffMs: this.#retryMs });
    this.#lanes = { read: lane(), write: lane() };
  }

  /** Where episodes are announced (the app's logger; the first one given wins). */
  logTo(log: Logger): void {
    this.#log ??= log;
  }

  get degraded(): boolean {
    return this.#since !== undefined;
  }

  /** The code of the last failure ("ERROR" when there was none). */
  get lastCode(): string {
    return this.#last?.code ?? "ERROR";
  }

  /** True when an operation of `op` should be attempted now: always, unless it is backing off. */
  allows(op: StoreOp): boolean {
    const lane = this.#lanes[op];
    return !lane.failing || this.#now() >= lane.retryAt;
  }

  /** Counts an operation not attempted because its lane is backing off. */
  skip(_op: StoreOp): void {
    this.skipped++;
  }

  /** Records a failure of `op`, starting an episode (and its one warning) when all was well. */
  failed(op: StoreOp, error: unknown): void {
    const now = this.#now();
    const lane = this.#lanes[op];
    this.errors++;
    this.#last = { code: errorCode(error), message: errorMessage(error), op, at: now };
    lane.retryAt = now + lane.backoffMs;
    lane.backoffMs = lane.failing ? Math.min(lane.backoffMs * 2, this.#maxRetryMs) : lane.backoffMs;
    lane.failing = true;
    if (this.#since !== undefined) return;
    this.#since = now;
    this.episodes++;
    this.#log?.warn(
      `the ${this.name} store is failing; headroom keeps serving without it and retries in the background`,
      { store: this.name, op, code: this.#last.code, error: this.#last.message },
    );
  }

  /** Records a success of `op`; the episode ends once no lane is failing. */
  succeeded(op: StoreOp): void {
    const lane = this.#lanes[op];
    if (!lane.failing) return;
    lane.failing = false;
    lane.backoffMs = this.#retryMs;
    if (this.#lanes.read.failing || this.#lanes.write.failing || this.#since === undefined) return;
    const seconds = Math.round((this.#now() - this.#since) / 100) / 10;
    this.#since = undefined;
    this.#log?.info(`the ${this.name} store works again`, {
      store: this.name,
      degraded_seconds: seconds,
      errors: this.errors,
    });
  }

  report(): StoreReport {
    const iso = (ms: number) => new Date(ms).toISOString();
    return {
      status: this.degraded ? "degraded" : "ok",
      since: this.#since === undefined ? null : iso(this.#since),
      failing: (["read", "write"] as const).filter((op) => this.#lanes[op].failing),
      last_error: this.#last ? { ...this.#last, at: iso(this.#last.at) } : null,
      errors: this.errors,
      skipped: this.skipped,
      episodes: this.episodes,
    };
  }
}

/** Purges `store` when it can purge (SQLite) and `status` takes writes; how many rows went. */
export function purgeThrough(status: StoreStatus, store: object): number {
  const purge = (store as { purge?: () => number }).purge;
  if (!purge || !status.allows("write")) return 0;
  try {
    const removed = purge.call(store);
    status.succeeded("write");
    return removed;
  } catch (error) {
    status.failed("write", error);
    return 0;
  }
}
