/**
 * Settings that change while the proxy runs: HEADROOM_* overrides posted to /admin/runtime-env
 * beat the environment and the flags until removed, and the effective configuration is
 * re-resolved from them. Known keys that need a restart are reported, never half-applied.
 * @module
 */

import { ConfigError, type ProxyConfig, type ProxyFlags, resolveConfig } from "./config.ts";
import { LEGACY_NAMES } from "./legacy-settings.ts";
import { legacyOutcome, legacyUses, mapsTo } from "./legacy-use.ts";
import { SETTING_ROWS } from "./settings.ts";

/** Keys applied to the running proxy at once: the table's live settings. */
export const LIVE_KEYS: readonly string[] = SETTING_ROWS.filter(([, s]) => s.live).map(
  ([, s]) => s.env,
);

/**
 * Known keys that only take effect when the proxy starts. The upstream URLs' variables are not
 * HEADROOM_* names, so /admin/runtime-env never accepts them and wrap never sends them.
 */
export const RESTART_KEYS: readonly string[] = SETTING_ROWS.filter(
  ([, s]) => !s.live && s.env.startsWith("HEADROOM_"),
).map(([, s]) => s.env);

// The flag each live key competes with: an override must beat it too.
const FLAG_OF: ReadonlyMap<string, keyof ProxyFlags> = new Map(
  SETTING_ROWS.flatMap(([, s]) => (s.live && s.flag ? [[s.env, s.flag.name] as const] : [])),
);

// The original Headroom's flags that map onto each live key: an override must beat them too.
const LEGACY_FLAGS_OF: ReadonlyMap<string, readonly string[]> = new Map(
  SETTING_ROWS.filter(([, s]) => s.live).map(([name, s]) => [
    s.env,
    LEGACY_NAMES.filter((legacy) => legacy.flag && mapsTo(legacy) === name).map((l) => l.flag!),
  ]),
);

/** The answer to one batch of changes. */
export interface RuntimeChange {
  readonly applied: Record<string, string | null>;
  readonly rejected: Record<string, string>;
  readonly restartRequired: string[];
  /** Restart-only settings sent with the value the proxy already runs with. */
  readonly unchanged: string[];
}

/** Where a live setting's value comes from. */
export interface SettingState {
  readonly value: string | null;
  readonly source: "override" | "flag" | "env" | "default";
}

type Env = Readonly<Record<string, string | undefined>>;

/** The proxy's configuration with its live overrides. */
export class RuntimeSettings {
  readonly #overrides = new Map<string, string>();
  #current: ProxyConfig;

  constructor(
    readonly flags: ProxyFlags,
    readonly env: Env,
    readonly homeDir: string,
  ) {
    for (const use of legacyUses(flags, env)) {
      const outcome = legacyOutcome(use);
      if (outcome.does === "refuses") throw new ConfigError(outcome.text);
    }
    this.#current = resolveConfig(flags, env, homeDir);
  }

  /** The effective configuration now. */
  get current(): ProxyConfig {
    return this.#current;
  }

  #resolve(overrides: ReadonlyMap<string, string>): ProxyConfig {
    const flags: ProxyFlags = { ...this.flags };
    const legacy = { ...flags.legacy };
    for (const key of overrides.keys()) {
      const flag = FLAG_OF.get(key);
      if (flag) delete flags[flag];
      for (const flagged of LEGACY_FLAGS_OF.get(key) ?? []) delete legacy[flagged];
    }
    flags.legacy = legacy;
    return resolveConfig(flags, { ...this.env, ...Object.fromEntries(overrides) }, this.homeDir);
  }

  /** Applies a batch: strings set overrides, null removes them; the last write wins. */
  apply(changes: Record<string, unknown>): RuntimeChange {
    const applied: Record<string, string | null> = {};
    const rejected: Record<string, string> = {};
    const restartRequired: string[] = [];
    const unchanged: string[] = [];
    for (const [key, value] of Object.entries(changes)) {
      if (RESTART_KEYS.includes(key)) {
        // `headroom wrap` sends the user's whole environment: only real differences need a restart.
        if (this.#runsWith(key, value)) unchanged.push(key);
        else restartRequired.push(key);
        continue;
      }
      if (!LIVE_KEYS.includes(key)) {
        rejected[key] = key.startsWith("HEADROOM_")
          ? "unknown setting"
          : "only HEADROOM_* settings can be changed";
        continue;
      }
      if (value !== null && typeof value !== "string") {
        rejected[key] = "values must be strings, or null to remove the override";
        continue;
      }
      const next = new Map(this.#overrides);
      if (value === null) next.delete(key);
      else next.set(key, value);
      try {
        this.#current = this.#resolve(next);
      } catch (error) {
        rejected[key] = error instanceof ConfigError ? error.message : String(error);
        continue;
      }
      if (value === null) this.#overrides.delete(key);
      else this.#overrides.set(key, value);
      applied[key] = value;
    }
    return { applied, rejected, restartRequired, unchanged };
  }

  /** Whether setting restart-only `key` to `value` would give the configuration running now. */
  #runsWith(key: string, value: unknown): boolean {
    if (typeof value !== "string") return false;
    try {
      const env = { ...this.env, ...Object.fromEntries(this.#overrides), [key]: value };
      const wouldBe = resolveConfig(this.flags, env, this.homeDir);
      return JSON.stringify(wouldBe) === JSON.stringify(this.#current);
    } catch {
      return false;
    }
  }

  /** Every live setting's current value and where it comes from. */
  describe(): Record<string, SettingState> {
    const out: Record<string, SettingState> = {};
    for (const key of LIVE_KEYS) {
      const override = this.#overrides.get(key);
      const flag = FLAG_OF.get(key);
      const flagValue = flag ? this.flags[flag] : undefined;
      if (override !== undefined) out[key] = { value: override, source: "override" };
      else if (flagValue !== undefined) out[key] = { value: String(flagValue), source: "flag" };
      else if (this.env[key] !== undefined && this.env[key] !== "")
        out[key] = { value: this.env[key]!, source: "env" };
      else out[key] = { value: null, source: "default" };
    }
    return out;
  }

  /** The overrides in force. */
  overrides(): Record<string, string> {
    return Object.fromEntries(this.#overrides);
  }
}
