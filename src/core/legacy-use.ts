/**
 * Which of the original Headroom's names a launch uses, and what each does here, read from the
 * table in legacy-settings.ts: the values they map onto headroom's settings, the lines the proxy
 * logs at start, what `headroom doctor` lists, and the refusals that stop the proxy.
 * @module
 */

import type { ProxyConfig, ProxyFlags } from "./config.ts";
import { LEGACY_NAMES, type LegacyName, legacyLabel } from "./legacy-settings.ts";
import type { Logger } from "./logger.ts";
import { SETTING_ROWS, type SettingValues } from "./settings.ts";

type Env = Readonly<Record<string, string | undefined>>;

/** One of the original's names found on the command line or in the environment. */
export interface LegacyUse {
  /** `--rpm` or `HEADROOM_RPM`, as typed. */
  readonly label: string;
  /** The value typed; true for a switch. */
  readonly value: string | true;
  readonly source: "flag" | "env";
  readonly name: LegacyName;
}

/** What a use does here, in one line. */
export interface LegacyOutcome {
  readonly does: "maps" | "noop" | "refuses";
  readonly text: string;
}

/** The original's names in `flags.legacy` and `env`, flags first, in table order. */
export function legacyUses(flags: ProxyFlags, env: Env): LegacyUse[] {
  const uses: LegacyUse[] = [];
  for (const name of LEGACY_NAMES) {
    const given = name.flag ? flags.legacy?.[name.flag] : undefined;
    if (given !== undefined && given !== false)
      uses.push({ label: legacyLabel(name), value: given, source: "flag", name });
  }
  for (const name of LEGACY_NAMES) {
    const value = name.env ? env[name.env] : undefined;
    if (name.env && value !== undefined && value !== "")
      uses.push({ label: name.env, value, source: "env", name });
  }
  return uses;
}

/** What `use` does here; refusals name the alternative. */
export function legacyOutcome(use: LegacyUse): LegacyOutcome {
  const { name, value } = use;
  if (name.values && typeof value === "string" && !name.values.includes(value.toLowerCase())) {
    return {
      does: "refuses",
      text: `${use.label} must be one of ${name.values.join(", ")} (got ${JSON.stringify(value)})`,
    };
  }
  const effect = name.effect;
  if ("maps" in effect) {
    const target = SETTING_ROWS.find(([key]) => key === effect.maps)?.[1].env;
    const typed = effect.sets ?? String(value);
    return { does: "maps", text: `${use.label} sets ${target}=${typed}: ${effect.note}` };
  }
  if ("noop" in effect)
    return { does: "noop", text: `${use.label} changes nothing: ${effect.noop}` };
  if (name.harmless && typeof value === "string" && name.harmless.values.includes(value))
    return { does: "noop", text: `${use.label} changes nothing: ${name.harmless.noop}` };
  return { does: "refuses", text: `${use.label} is not supported: ${effect.refuses}` };
}

/** The text a legacy name gives `setting`: its flag first, then its variable; undefined if none. */
export function legacyText(
  setting: keyof SettingValues,
  source: "flag" | "env",
  uses: readonly LegacyUse[],
): { text: string; label: string } | undefined {
  const use = uses.find((u) => u.source === source && mapsTo(u.name) === setting);
  if (!use) return undefined;
  const effect = use.name.effect;
  const text = "sets" in effect && effect.sets !== undefined ? effect.sets : String(use.value);
  return { text, label: use.label };
}

/** The setting `name` maps onto, if any. */
export function mapsTo(name: LegacyName): keyof SettingValues | undefined {
  return "maps" in name.effect ? name.effect.maps : undefined;
}

/**
 * Logs one line per name of the original Headroom this launch uses, saying what it does here, and
 * a warning when --log-file cannot be written (`whyNoLogFile`: stateless, or an entry without one).
 */
export function noteLegacyNames(
  flags: ProxyFlags,
  env: Env,
  config: ProxyConfig,
  log: Logger,
  whyNoLogFile: string | undefined,
): void {
  for (const use of legacyUses(flags, env)) {
    log.info(legacyOutcome(use).text, { original_setting: use.label });
  }
  if (config.logFile && whyNoLogFile)
    log.warn(`--log-file is not written ${whyNoLogFile}`, { log_file: config.logFile });
}
