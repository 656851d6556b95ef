/**
 * What the proxy does with an error nothing caught. The runtime's own report prints the raw
 * message and a source excerpt to stderr, where a credential an error message echoed would land
 * in the log; headroom reports it through its logger, which scrubs every string. An exception
 * nothing caught leaves the process in an unknown state, so it exits (a supervisor, or the next
 * `headroom wrap`, starts a fresh one); a rejection nothing awaited is reported and serving goes on.
 * @module
 */

import type { Logger } from "../core/logger.ts";

function fields(error: unknown): { error: string; stack?: string } {
  if (error instanceof Error) {
    return {
      error: `${error.name}: ${error.message}`,
      ...(error.stack ? { stack: error.stack } : {}),
    };
  }
  return { error: String(error) };
}

/** The two process-level handlers. */
export function crashReporters(log: Logger, exit: (code: number) => void) {
  return {
    uncaughtException(error: unknown): void {
      log.error("headroom stopped on an error nothing caught", fields(error));
      exit(1);
    },
    unhandledRejection(reason: unknown): void {
      log.error("a promise failed with nothing waiting for it; still serving", fields(reason));
    },
  };
}

/** Installs the handlers on this process. */
export function installCrashReporting(log: Logger): void {
  const reporters = crashReporters(log, (code) => process.exit(code));
  process.on("uncaughtException", reporters.uncaughtException);
  process.on("unhandledRejection", reporters.unhandledRejection);
}
