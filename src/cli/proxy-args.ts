/**
 * `headroom proxy` flag parsing, shared by the Bun CLI and the Deno entry: the flags are the
 * settings table's, so both entries accept the same ones.
 * @module
 */

import { parseArgs } from "node:util";
import type { ProxyFlags } from "../core/config.ts";
import { proxyFlagOptions } from "../core/settings.ts";
import { UsageError } from "./usage-error.ts";

const OPTIONS = proxyFlagOptions();

/** Parses `headroom proxy` arguments; throws {@link UsageError} on anything unknown. */
export function parseProxyArgs(args: string[]): ProxyFlags & { help?: boolean } {
  try {
    const { values } = parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: false });
    return values as ProxyFlags & { help?: boolean };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
