/**
 * `headroom proxy` flag parsing, shared by the Bun CLI and the Deno entry: the flags are the
 * settings table's, so both entries accept the same ones, plus the original Headroom's
 * (legacy-settings.ts), which are collected apart for the configuration to map, note or refuse.
 * @module
 */

import { parseArgs } from "node:util";
import type { ProxyFlags } from "../core/config.ts";
import { LEGACY_NAMES } from "../core/legacy-settings.ts";
import { type FlagOption, proxyFlagOptions } from "../core/settings.ts";
import { UsageError } from "./usage-error.ts";

const LEGACY_OPTIONS: Record<string, FlagOption> = Object.fromEntries(
  LEGACY_NAMES.flatMap((name) =>
    name.flag ? [[name.flag, { type: name.arg ? "string" : "boolean" }] as const] : [],
  ),
);

const OPTIONS = { ...LEGACY_OPTIONS, ...proxyFlagOptions() };

/** Parses `headroom proxy` arguments; throws {@link UsageError} on anything unknown. */
export function parseProxyArgs(args: string[]): ProxyFlags & { help?: boolean } {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const flags: Record<string, unknown> = {};
  const legacy: Record<string, string | boolean | undefined> = {};
  for (const [name, value] of Object.entries(values)) {
    if (name in LEGACY_OPTIONS) legacy[name] = value;
    else flags[name] = value;
  }
  if (Object.keys(legacy).length > 0) flags.legacy = legacy;
  return flags as ProxyFlags & { help?: boolean };
}
