/**
 * The configuration the CLI commands other than `proxy` read (the port, the workspace): resolved
 * like the proxy's, with an unusable value reported as a usage error that names what was typed.
 * @module
 */

import { homedir } from "node:os";
import { ConfigError, type ProxyConfig, type ProxyFlags, resolveConfig } from "../core/config.ts";
import { UsageError } from "./usage-error.ts";

/** Turns a {@link ConfigError} thrown by `resolve` into a {@link UsageError} (exit 2). */
export function asUsageError<T>(resolve: () => T): T {
  try {
    return resolve();
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
}

/** The configuration from these flags, this process's environment and the home directory. */
export function cliConfig(flags: ProxyFlags): ProxyConfig {
  return asUsageError(() => resolveConfig(flags, process.env, homedir()));
}
