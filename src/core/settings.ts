/**
 * Every setting of `headroom proxy` in one table: its flag, environment variable, default, kind of
 * value, whether it is live (changed at once through /admin/runtime-env) or needs a restart, and
 * its help. Configuration resolution, the live keys, `headroom proxy --help`, both entries' flag
 * parsing and the README's Configuration table all come from (or are tested against) this table.
 * @module
 */

import type { ProxyConfig, ProxyFlags } from "./config.ts";
import {
  baseUrl,
  decimal,
  directory,
  integer,
  nameList,
  oneOf,
  onOff,
  optionalText,
  seconds,
  text,
  type ValueKind,
} from "./setting-kinds.ts";

/** The configuration as the table holds it: the upstreams are plain URLs here. */
export type SettingValues = Omit<ProxyConfig, "upstreams"> & {
  readonly openaiApiUrl: string;
  readonly anthropicApiUrl: string;
  readonly geminiApiUrl: string;
  readonly chatgptApiUrl: string;
};

/** A flag that takes a value, shown as `--name ARG`. */
export interface ValueFlag {
  readonly name: Exclude<keyof ProxyFlags, "legacy">;
  readonly arg: string;
  /** A one-letter form, e.g. `-p` (the original Headroom's). */
  readonly short?: string;
}

/** A flag without a value: giving it means the setting's text `sets`. */
export interface SwitchFlag {
  readonly name: Exclude<keyof ProxyFlags, "legacy">;
  readonly sets: string;
}

interface SettingBase<T> {
  readonly env: string;
  readonly flag?: ValueFlag | SwitchFlag;
  readonly kind: ValueKind<T>;
  /** True when /admin/runtime-env applies it to the running proxy; false when it needs a restart. */
  readonly live: boolean;
  readonly help: string;
}

/**
 * One setting. `default` is text as a user would type it, read by the same kind as flags and the
 * environment; absent only for settings that may stay unset.
 */
export type Setting<T> = SettingBase<T> &
  (undefined extends T ? { readonly default?: string } : { readonly default: string });

/** A setting of any value type, as the generic code (resolution, help, parsing) sees it. */
export type AnySetting = SettingBase<unknown> & { readonly default?: string };

const LOG_LEVELS = ["debug", "info", "warn", "error", "silent"] as const;
const EFFORTS = ["minimal", "low", "medium"] as const;
const GIB = 2 ** 30;

/** The table, in the order help and the README list it: flags first. */
const SETTINGS: { readonly [K in keyof SettingValues]: Setting<SettingValues[K]> } = {
  host: {
    env: "HEADROOM_HOST",
    flag: { name: "host", arg: "HOST" },
    kind: text,
    default: "127.0.0.1",
    live: false,
    help: "address to listen on",
  },
  port: {
    env: "HEADROOM_PORT",
    flag: { name: "port", arg: "PORT", short: "p" },
    kind: integer(0, 65535),
    default: "8787",
    live: false,
    help: "port to listen on (0 = any free port)",
  },
  openaiApiUrl: {
    env: "OPENAI_TARGET_API_URL",
    flag: { name: "openai-api-url", arg: "URL" },
    kind: baseUrl,
    default: "https://api.openai.com",
    live: false,
    help: "OpenAI upstream (a trailing /v1 is tolerated)",
  },
  anthropicApiUrl: {
    env: "ANTHROPIC_TARGET_API_URL",
    flag: { name: "anthropic-api-url", arg: "URL" },
    kind: baseUrl,
    default: "https://api.anthropic.com",
    live: false,
    help: "Anthropic upstream",
  },
  geminiApiUrl: {
    env: "GEMINI_TARGET_API_URL",
    flag: { name: "gemini-api-url", arg: "URL" },
    kind: baseUrl,
    default: "https://generativelanguage.googleapis.com",
    live: false,
    help: "Gemini API upstream (its paths start with /v1beta)",
  },
  chatgptApiUrl: {
    env: "CHATGPT_TARGET_API_URL",
    flag: { name: "chatgpt-api-url", arg: "URL" },
    kind: baseUrl,
    default: "https://chatgpt.com/backend-api/codex",
    live: false,
    help: "ChatGPT backend for Codex signed in with ChatGPT (its /responses and /models)",
  },
  optimize: {
    env: "HEADROOM_OPTIMIZE",
    flag: { name: "no-optimize", sets: "off" },
    kind: onOff,
    default: "on",
    live: false,
    help: "compress and shape requests; off forwards every request untouched",
  },
  workspaceDir: {
    env: "HEADROOM_WORKSPACE_DIR",
    flag: { name: "workspace-dir", arg: "DIR" },
    kind: directory,
    default: "~/.headroom",
    live: false,
    help: "where headroom keeps its data (created 0700)",
  },
  stateless: {
    env: "HEADROOM_STATELESS",
    flag: { name: "stateless", sets: "on" },
    kind: onOff,
    default: "off",
    live: false,
    help: "write nothing to disk",
  },
  redisUrl: {
    env: "HEADROOM_REDIS_URL",
    flag: { name: "redis-url", arg: "URL" },
    kind: optionalText,
    live: false,
    help: "keep decisions, originals and hidden calls in this Redis, shared by every replica",
  },
  replicaId: {
    env: "HEADROOM_REPLICA_ID",
    kind: optionalText,
    live: false,
    help: "with Redis, this replica's name in /metrics and /stats (default: the host name)",
  },
  tenantHeader: {
    env: "HEADROOM_TENANT_HEADER",
    kind: optionalText,
    live: false,
    help: "with Redis, the header naming a request's tenant (default: a hash of its credential)",
  },
  upstreamTimeoutMs: {
    env: "HEADROOM_REQUEST_TIMEOUT",
    flag: { name: "request-timeout-seconds", arg: "N" },
    kind: seconds(0.001, 86_400),
    default: "300",
    live: true,
    help: "longest upstream silence, in seconds, before giving up",
  },
  retryMaxAttempts: {
    env: "HEADROOM_RETRY_MAX_ATTEMPTS",
    flag: { name: "retry-max-attempts", arg: "N" },
    kind: integer(1, 10),
    default: "3",
    live: true,
    help: "upstream attempts for connect errors and 429/529, counting the first",
  },
  logLevel: {
    env: "HEADROOM_LOG_LEVEL",
    flag: { name: "log-level", arg: "LEVEL" },
    kind: oneOf(LOG_LEVELS),
    default: "info",
    live: true,
    help: "debug, info, warn, error or silent",
  },
  logFile: {
    env: "HEADROOM_LOG_FILE",
    flag: { name: "log-file", arg: "FILE" },
    kind: optionalText,
    live: false,
    help: "also append the log lines to FILE (not with --stateless); the original Headroom's request log found there is imported once",
  },
  cache: {
    env: "HEADROOM_CACHE",
    flag: { name: "cache", sets: "on" },
    kind: onOff,
    default: "off",
    live: false,
    help: "answer identical requests from the response cache",
  },
  logMessages: {
    env: "HEADROOM_LOG_MESSAGES",
    flag: { name: "log-messages", sets: "on" },
    kind: onOff,
    default: "off",
    live: true,
    help: "the live feed (/transformations/feed) carries tool-output text (never credentials)",
  },
  proxyToken: {
    env: "HEADROOM_PROXY_TOKEN",
    kind: optionalText,
    live: false,
    help: "token non-loopback callers must send in x-headroom-proxy-token (probes exempt; /metrics also takes it as a bearer)",
  },
  requireProxyToken: {
    env: "HEADROOM_REQUIRE_PROXY_TOKEN",
    kind: onOff,
    default: "off",
    live: false,
    help: "refuse to start without HEADROOM_PROXY_TOKEN (the container image turns this on)",
  },
  remoteBaseUrl: {
    env: "HEADROOM_REMOTE_BASE_URL",
    kind: onOff,
    default: "off",
    live: false,
    help: "lets non-loopback callers redirect a request with x-headroom-base-url",
  },
  maxBodyBytes: {
    env: "HEADROOM_MAX_BODY_BYTES",
    kind: integer(1024, 1024 * GIB),
    default: String(100 * 1024 * 1024),
    live: true,
    help: "largest request body accepted",
  },
  shutdownGraceMs: {
    env: "HEADROOM_SHUTDOWN_TIMEOUT_SECONDS",
    kind: seconds(0, 3600),
    default: "30",
    live: false,
    help: "seconds in-flight requests may run after SIGINT/SIGTERM",
  },
  retryBaseDelayMs: {
    env: "HEADROOM_RETRY_BASE_DELAY_MS",
    kind: decimal(0, 60_000),
    default: "500",
    live: true,
    help: "first retry's backoff in milliseconds (doubles per attempt)",
  },
  retryMaxDelayMs: {
    env: "HEADROOM_RETRY_MAX_DELAY_MS",
    kind: decimal(0, 600_000),
    default: "30000",
    live: true,
    help: "longest wait before a retry; a longer Retry-After goes to the client",
  },
  compression: {
    env: "HEADROOM_COMPRESSION",
    kind: onOff,
    default: "on",
    live: true,
    help: "compress tool outputs",
  },
  lossy: {
    env: "HEADROOM_LOSSY",
    kind: onOff,
    default: "on",
    live: true,
    help: "let compressors drop content behind a retrievable marker",
  },
  compactOnExpiry: {
    env: "HEADROOM_COMPACT_ON_EXPIRY",
    kind: onOff,
    default: "on",
    live: true,
    help: "compress a conversation's whole history again once the provider's prompt cache of it has expired",
  },
  providerCacheTtlSeconds: {
    env: "HEADROOM_PROVIDER_CACHE_TTL_SECONDS",
    kind: decimal(0, 7 * 86_400),
    default: "0",
    live: true,
    help: "the provider prompt-cache lifetime compaction assumes (0: each provider's own, from the request)",
  },
  compressionBudgetMs: {
    env: "HEADROOM_COMPRESSION_BUDGET_MS",
    kind: decimal(0, 60_000),
    default: "1000",
    live: true,
    help: "wall-clock wait in milliseconds for one request's new compressions",
  },
  minTokens: {
    env: "HEADROOM_MIN_TOKENS",
    kind: decimal(0, 10_000_000),
    default: "200",
    live: true,
    help: "tool outputs estimated below this many tokens are left alone",
  },
  minSavedTokens: {
    env: "HEADROOM_MIN_SAVED_TOKENS",
    kind: decimal(0, 10_000_000),
    default: "50",
    live: true,
    help: "a rewrite must save at least this many tokens",
  },
  minSavingsRatio: {
    env: "HEADROOM_MIN_SAVINGS_RATIO",
    kind: decimal(0, 1),
    default: "0.1",
    live: true,
    help: "a rewrite must also save at least this share of the output",
  },
  excludeTools: {
    env: "HEADROOM_EXCLUDE_TOOLS",
    kind: nameList,
    default: "",
    live: true,
    help: "comma-separated tool names whose outputs are never compressed",
  },
  ccrTtlSeconds: {
    env: "HEADROOM_CCR_TTL_SECONDS",
    kind: decimal(1, 365 * 86_400),
    default: "86400",
    live: false,
    help: "how long originals of lossy compressions stay retrievable",
  },
  ccrMaxBytes: {
    env: "HEADROOM_CCR_MAX_BYTES",
    kind: integer(1024, 1024 * GIB),
    default: String(512 * 1024 * 1024),
    live: false,
    help: "byte cap of the originals store (oldest out first)",
  },
  ccrMaxRounds: {
    env: "HEADROOM_CCR_MAX_ROUNDS",
    kind: integer(0, 10),
    default: "3",
    live: true,
    help: "most rounds spent answering the model's retrieve calls in one request",
  },
  cacheTtlSeconds: {
    env: "HEADROOM_CACHE_TTL_SECONDS",
    kind: decimal(1, 30 * 86_400),
    default: "3600",
    live: false,
    help: "how long the response cache replays an answer",
  },
  cacheMaxBytes: {
    env: "HEADROOM_CACHE_MAX_BYTES",
    kind: integer(1024, 1024 * GIB),
    default: String(256 * 1024 * 1024),
    live: false,
    help: "byte cap of the response cache",
  },
  rateLimitRpm: {
    env: "HEADROOM_RATE_LIMIT_RPM",
    kind: decimal(0, 1_000_000),
    default: "0",
    live: true,
    help: "requests per minute allowed per client (0 = no limit)",
  },
  outputShaper: {
    env: "HEADROOM_OUTPUT_SHAPER",
    kind: onOff,
    default: "off",
    live: true,
    help: "output shaping: a terseness instruction and lower effort on tool turns",
  },
  outputHoldout: {
    env: "HEADROOM_OUTPUT_HOLDOUT",
    kind: decimal(0, 0.5),
    default: "0",
    live: true,
    help: "share of shaping-eligible requests left unshaped to measure what shaping saves",
  },
  verbosityLevel: {
    env: "HEADROOM_VERBOSITY_LEVEL",
    kind: integer(1, 3),
    default: "2",
    live: true,
    help: "how terse the shaper asks the model to be: 1 gentle, 2 concise, 3 terse",
  },
  effortRouter: {
    env: "HEADROOM_EFFORT_ROUTER",
    kind: onOff,
    default: "on",
    live: true,
    help: "with the shaper, lower the reasoning effort on turns that only resume after tools",
  },
  mechanicalEffort: {
    env: "HEADROOM_MECHANICAL_EFFORT",
    kind: oneOf(EFFORTS),
    default: "low",
    live: true,
    help: "the effort used on such turns: minimal, low or medium",
  },
  ledgerRetentionDays: {
    env: "HEADROOM_LEDGER_RETENTION_DAYS",
    kind: decimal(1, 36_500),
    default: "90",
    live: false,
    help: "days of raw ledger rows kept (totals are kept regardless)",
  },
  ledgerMaxRows: {
    env: "HEADROOM_LEDGER_MAX_ROWS",
    kind: integer(1000, 1e9),
    default: "1000000",
    live: false,
    help: "most raw ledger rows kept",
  },
  originalSavingsPath: {
    env: "HEADROOM_SAVINGS_PATH",
    kind: optionalText,
    live: false,
    help: "the original Headroom's proxy_savings.json, imported once on first start (default: in the workspace)",
  },
};

/** The table's rows with their names, in table order. */
export const SETTING_ROWS: readonly (readonly [keyof SettingValues, AnySetting])[] = Object.entries(
  SETTINGS,
) as [keyof SettingValues, AnySetting][];

/** Whether a flag takes a value (`--port N`) or is a switch (`--stateless`). */
export function isSwitch(flag: ValueFlag | SwitchFlag): flag is SwitchFlag {
  return "sets" in flag;
}

/** One option as node:util's parseArgs takes it. */
export interface FlagOption {
  readonly type: "string" | "boolean";
  readonly short?: string;
}

/** The parseArgs options for every flag in the table, plus -h/--help. */
export function proxyFlagOptions(): Record<string, FlagOption> {
  const options: Record<string, FlagOption> = {};
  for (const [, setting] of SETTING_ROWS) {
    const flag = setting.flag;
    if (!flag) continue;
    if (isSwitch(flag)) options[flag.name] = { type: "boolean" };
    else options[flag.name] = { type: "string", ...(flag.short ? { short: flag.short } : {}) };
  }
  options.help = { type: "boolean", short: "h" };
  return options;
}

/** A default as help and the README show it. */
export function shownDefault(setting: AnySetting): string {
  if (setting.default === undefined) return "unset";
  return setting.default === "" ? "none" : setting.default;
}
