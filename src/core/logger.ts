/**
 * Structured logging: one JSON object per line. Callers pass only fields they built themselves,
 * never request headers, so credentials cannot reach a log.
 * @module
 */

import type { LogLevel } from "./config.ts";

/** Fields of one log line. */
export type LogFields = Record<string, string | number | boolean | undefined | null>;

/** A leveled structured logger. */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

/** Creates a logger writing lines at or above `level` through `write`. */
export function createLogger(level: () => LogLevel, write: (line: string) => void): Logger {
  function emit(at: LogLevel, msg: string, fields?: LogFields): void {
    if (RANK[at] < RANK[level()]) return;
    write(JSON.stringify({ ts: new Date().toISOString(), level: at, msg, ...fields }));
  }
  return {
    debug: (msg, fields) => emit("debug", msg, fields),
    info: (msg, fields) => emit("info", msg, fields),
    warn: (msg, fields) => emit("warn", msg, fields),
    error: (msg, fields) => emit("error", msg, fields),
  };
}
