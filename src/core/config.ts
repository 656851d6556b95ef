/**
 * The proxy's configuration, resolved from flags, then the environment, then defaults. Pure: the
 * caller passes the parsed flags and an environment record, so tests need no process state.
 * @module
 */

import { normalizeBaseUrl } from "./upstream-url.ts";

/** Where a setting's value came from. */
export type SettingSource = "flag" | "env" | "default";

/** An upstream base URL and its origin. */
export interface UpstreamSetting {
  readonly url: string;
  readonly source: SettingSource;
}

/** Log verbosity, most verbose first. */
export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

/** Everything `headroom proxy` needs to run. */
export interface ProxyConfig {
  readonly host: string;
  readonly port: number;
  readonly upstreams: { readonly openai: UpstreamSetting; readonly anthropic: UpstreamSetting };
  /** False with --no-optimize: every request passes untouched. */
  readonly optimize: boolean;
  readonly workspaceDir: string;
  /** True with --stateless: nothing is written to disk. */
  readonly stateless: boolean;
  readonly maxBodyBytes: number;
  /** Longest silence allowed from the upstream (before headers, or between stream chunks). */
  readonly upstreamTimeoutMs: number;
  /** Attempts per upstream call, counting the first. */
  readonly retryMaxAttempts: number;
  readonly retryBaseDelayMs: number;
  /** The longest wait headroom accepts before a retry; a longer Retry-After goes to the client. */
  readonly retryMaxDelayMs: number;
  /** Required from non-loopback callers when set. */
  readonly proxyToken: string | undefined;
  /** Whether callers on other machines may redirect a request with x-headroom-base-url. */
  readonly remoteBaseUrl: boolean;
  readonly logLevel: LogLevel;
  /** How long in-flight requests may run after SIGINT/SIGTERM before the process exits. */
  readonly shutdownGraceMs: number;
  /** Compression of tool outputs on or off (`--no-optimize` turns everything off). */
  readonly compression: boolean;
  /** Whether compressors may drop content behind a retrievable marker. */
  readonly lossy: boolean;
  /** Wall-clock wait for compressing one request's new tool outputs (see the README). */
  readonly compressionBudgetMs: number;
  /** Tool outputs estimated below this many tokens are left alone. */
  readonly minTokens: number;
  /** A rewrite must save at least this many tokens... */
  readonly minSavedTokens: number;
  /** ...and at least this share of the output. */
  readonly minSavingsRatio: number;
  /** Tools whose outputs are never compressed. */
  readonly excludeTools: readonly string[];
  /** How long originals of lossy compressions stay retrievable. */
  readonly ccrTtlSeconds: number;
  /** Byte cap of the original store (oldest out first). */
  readonly ccrMaxBytes: number;
  /** Most continuation rounds spent answering the model's retrieve calls in one request. */
  readonly ccrMaxRounds: number;
  /** With --log-messages the live feed carries the tool outputs' text (never credentials). */
  readonly logMessages: boolean;
  /** Output shaping (opt-in): a terseness instruction and, per provider, lower effort on tool turns. */
  readonly outputShaper: boolean;
  /** Share of shaped-eligible requests left unshaped to measure what shaping saves (0 to 0.5). */
  readonly outputHoldout: number;
  /** How terse the instruction asks the model to be: 1 gentle, 2 concise, 3 terse. */
  readonly verbosityLevel: number;
  /** Lower the reasoning effort on turns that only resume after tool results. */
  readonly effortRouter: boolean;
  /** The effort used on such turns. */
  readonly mechanicalEffort: "minimal" | "low" | "medium";
  /** Requests per minute allowed per client (0 = no rate limiting). */
  readonly rateLimitRpm: number;
  /** The response cache (--cache): exact-match replays of identical requests. */
  readonly cache: boolean;
  readonly cacheTtlSeconds: number;
  readonly cacheMaxBytes: number;
  /** Days and rows of raw ledger rows kept (totals and roll-ups are kept regardless). */
  readonly ledgerRetentionDays: number;
  readonly ledgerMaxRows: number;
}

/** Flags as parsed from the command line; absent means not given. */
export interface ProxyFlags {
  host?: string | undefined;
  port?: string | undefined;
  "openai-api-url"?: string | undefined;
  "anthropic-api-url"?: string | undefined;
  "no-optimize"?: boolean | undefined;
  "workspace-dir"?: string | undefined;
  stateless?: boolean | undefined;
  "log-level"?: string | undefined;
  "request-timeout-seconds"?: string | undefined;
  "retry-max-attempts"?: string | undefined;
  "log-messages"?: boolean | undefined;
  cache?: boolean | undefined;
}

/** A configuration value that cannot be used; the CLI exits 2 with its message. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

type Env = Readonly<Record<string, string | undefined>>;

const TRUE_WORDS = new Set(["1", "true", "yes", "on"]);
const FALSE_WORDS = new Set(["0", "false", "no", "off", ""]);

/** Reads a boolean environment value, accepting 1/true/yes/on and 0/false/no/off. */
export function parseBool(name: string, value: string): boolean {
  const word = value.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  throw new ConfigError(`Cannot read ${name}="${value}": expected true or false`);
}

function parseNumber(name: string, value: string, min: number, max: number): number {
  const n = Number(value.trim());
  if (value.trim() === "" || !Number.isFinite(n) || n < min || n > max) {
    throw new ConfigError(
      `Cannot read ${name}="${value}": expected a number from ${min} to ${max}`,
    );
  }
  return n;
}

function pick(
  flag: string | undefined,
  env: Env,
  envNames: readonly string[],
): { value: string; source: SettingSource; name: string } | undefined {
  if (flag !== undefined) return { value: flag, source: "flag", name: "flag" };
  for (const name of envNames) {
    const value = env[name];
    if (value !== undefined && value !== "") return { value, source: "env", name };
  }
  return undefined;
}

function upstream(
  flag: string | undefined,
  flagName: string,
  env: Env,
  envName: string,
  fallback: string,
): UpstreamSetting {
  const chosen = pick(flag, env, [envName]);
  if (!chosen) return { url: fallback, source: "default" };
  try {
    return { url: normalizeBaseUrl(chosen.value), source: chosen.source };
  } catch (error) {
    const label = chosen.source === "flag" ? `--${flagName}` : envName;
    throw new ConfigError(`${label}: ${(error as Error).message}`);
  }
}

function numberSetting(
  flag: string | undefined,
  env: Env,
  envName: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const chosen = pick(flag, env, [envName]);
  return chosen
    ? parseNumber(chosen.source === "flag" ? "flag" : envName, chosen.value, min, max)
    : fallback;
}

function effortSetting(value: string | undefined): "minimal" | "low" | "medium" {
  if (value === undefined || value === "") return "low";
  const effort = value.trim().toLowerCase();
  if (effort === "minimal" || effort === "low" || effort === "medium") return effort;
  throw new ConfigError(
    `Cannot read HEADROOM_MECHANICAL_EFFORT="${value}": expected minimal, low or medium`,
  );
}

/** Resolves the configuration: flag beats environment beats default. */
export function resolveConfig(flags: ProxyFlags, env: Env, homeDir: string): ProxyConfig {
  const logLevel = pick(flags["log-level"], env, ["HEADROOM_LOG_LEVEL"])?.value ?? "info";
  if (!["debug", "info", "warn", "error", "silent"].includes(logLevel)) {
    throw new ConfigError(
      `Cannot use log level "${logLevel}": expected debug, info, warn, error or silent`,
    );
  }
  const optimizeEnv = env.HEADROOM_OPTIMIZE;
  const statelessEnv = env.HEADROOM_STATELESS;
  return {
    host: pick(flags.host, env, ["HEADROOM_HOST"])?.value ?? "127.0.0.1",
    port: numberSetting(flags.port, env, "HEADROOM_PORT", 8787, 0, 65535),
    upstreams: {
      openai: upstream(
        flags["openai-api-url"],
        "openai-api-url",
        env,
        "OPENAI_TARGET_API_URL",
        "https://api.openai.com",
      ),
      anthropic: upstream(
        flags["anthropic-api-url"],
        "anthropic-api-url",
        env,
        "ANTHROPIC_TARGET_API_URL",
        "https://api.anthropic.com",
      ),
    },
    optimize: flags["no-optimize"]
      ? false
      : optimizeEnv
        ? parseBool("HEADROOM_OPTIMIZE", optimizeEnv)
        : true,
    workspaceDir:
      pick(flags["workspace-dir"], env, ["HEADROOM_WORKSPACE_DIR"])?.value ??
      `${homeDir}/.headroom`,
    stateless:
      flags.stateless === true ||
      (statelessEnv ? parseBool("HEADROOM_STATELESS", statelessEnv) : false),
    maxBodyBytes: numberSetting(
      undefined,
      env,
      "HEADROOM_MAX_BODY_BYTES",
      100 * 1024 * 1024,
      1024,
      2 ** 40,
    ),
    upstreamTimeoutMs:
      numberSetting(
        flags["request-timeout-seconds"],
        env,
        "HEADROOM_REQUEST_TIMEOUT",
        300,
        0.001,
        86400,
      ) * 1000,
    retryMaxAttempts: numberSetting(
      flags["retry-max-attempts"],
      env,
      "HEADROOM_RETRY_MAX_ATTEMPTS",
      3,
      1,
      10,
    ),
    retryBaseDelayMs: numberSetting(undefined, env, "HEADROOM_RETRY_BASE_DELAY_MS", 500, 0, 60000),
    retryMaxDelayMs: numberSetting(undefined, env, "HEADROOM_RETRY_MAX_DELAY_MS", 30000, 0, 600000),
    proxyToken: env.HEADROOM_PROXY_TOKEN || undefined,
    remoteBaseUrl: env.HEADROOM_REMOTE_BASE_URL
      ? parseBool("HEADROOM_REMOTE_BASE_URL", env.HEADROOM_REMOTE_BASE_URL)
      : false,
    logLevel: logLevel as LogLevel,
    shutdownGraceMs:
      numberSetting(undefined, env, "HEADROOM_SHUTDOWN_TIMEOUT_SECONDS", 30, 0, 3600) * 1000,
    compression: env.HEADROOM_COMPRESSION
      ? parseBool("HEADROOM_COMPRESSION", env.HEADROOM_COMPRESSION)
      : true,
    lossy: env.HEADROOM_LOSSY ? parseBool("HEADROOM_LOSSY", env.HEADROOM_LOSSY) : true,
    compressionBudgetMs: numberSetting(
      undefined,
      env,
      "HEADROOM_COMPRESSION_BUDGET_MS",
      1000,
      0,
      60_000,
    ),
    minTokens: numberSetting(undefined, env, "HEADROOM_MIN_TOKENS", 200, 0, 10_000_000),
    minSavedTokens: numberSetting(undefined, env, "HEADROOM_MIN_SAVED_TOKENS", 50, 0, 10_000_000),
    minSavingsRatio: numberSetting(undefined, env, "HEADROOM_MIN_SAVINGS_RATIO", 0.1, 0, 1),
    ccrTtlSeconds: numberSetting(
      undefined,
      env,
      "HEADROOM_CCR_TTL_SECONDS",
      86_400,
      1,
      365 * 86_400,
    ),
    ccrMaxBytes: numberSetting(
      undefined,
      env,
      "HEADROOM_CCR_MAX_BYTES",
      512 * 1024 * 1024,
      1024,
      2 ** 40,
    ),
    ccrMaxRounds: numberSetting(undefined, env, "HEADROOM_CCR_MAX_ROUNDS", 3, 0, 10),
    logMessages:
      flags["log-messages"] === true ||
      (env.HEADROOM_LOG_MESSAGES
        ? parseBool("HEADROOM_LOG_MESSAGES", env.HEADROOM_LOG_MESSAGES)
        : false),
    outputShaper: env.HEADROOM_OUTPUT_SHAPER
      ? parseBool("HEADROOM_OUTPUT_SHAPER", env.HEADROOM_OUTPUT_SHAPER)
      : false,
    outputHoldout: numberSetting(undefined, env, "HEADROOM_OUTPUT_HOLDOUT", 0, 0, 0.5),
    verbosityLevel: numberSetting(undefined, env, "HEADROOM_VERBOSITY_LEVEL", 2, 1, 3),
    effortRouter: env.HEADROOM_EFFORT_ROUTER
      ? parseBool("HEADROOM_EFFORT_ROUTER", env.HEADROOM_EFFORT_ROUTER)
      : true,
    mechanicalEffort: effortSetting(env.HEADROOM_MECHANICAL_EFFORT),
    rateLimitRpm: numberSetting(undefined, env, "HEADROOM_RATE_LIMIT_RPM", 0, 0, 1_000_000),
    cache:
      flags.cache === true ||
      (env.HEADROOM_CACHE ? parseBool("HEADROOM_CACHE", env.HEADROOM_CACHE) : false),
    cacheTtlSeconds: numberSetting(
      undefined,
      env,
      "HEADROOM_CACHE_TTL_SECONDS",
      3600,
      1,
      30 * 86_400,
    ),
    cacheMaxBytes: numberSetting(
      undefined,
      env,
      "HEADROOM_CACHE_MAX_BYTES",
      256 * 1024 * 1024,
      1024,
      2 ** 40,
    ),
    ledgerRetentionDays: numberSetting(
      undefined,
      env,
      "HEADROOM_LEDGER_RETENTION_DAYS",
      90,
      1,
      36_500,
    ),
    ledgerMaxRows: numberSetting(undefined, env, "HEADROOM_LEDGER_MAX_ROWS", 1_000_000, 1000, 1e9),
    excludeTools: (env.HEADROOM_EXCLUDE_TOOLS ?? "")
      .split(",")
      .map((name) => name.trim())
      .filter((name) => name !== ""),
  };
}
