/**
 * How a store reports its health, as every store interface may expose it (the guarded stores and
 * the durable hidden-call store do): the app reads /health, /stats and /metrics figures through
 * this, never through a concrete store class.
 * @module
 */

/** The kind of operation a store failed at. */
export type StoreOp = "read" | "write";

/** What /health and /stats show about one store. */
export interface StoreReport {
  readonly status: "ok" | "degraded";
  /** When the current episode began (ISO), null while ok. */
  readonly since: string | null;
  /** The lanes currently failing. */
  readonly failing: readonly StoreOp[];
  /** The most recent failure, kept after recovery so an earlier episode can still be read. */
  readonly last_error: {
    readonly code: string;
    readonly message: string;
    readonly op: StoreOp;
    readonly at: string;
  } | null;
  /** Operations that failed, and those not attempted while backing off. */
  readonly errors: number;
  readonly skipped: number;
  /** Failure episodes since start. */
  readonly episodes: number;
}

/** The error code a store failure carries: SQLite's ("SQLITE_BUSY") or the system's ("ENOSPC"). */
export function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && code !== "") return code;
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === "string" && name !== "Error" && name !== "" ? name : "ERROR";
}
