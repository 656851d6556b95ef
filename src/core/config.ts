/**
 * The proxy's configuration, resolved from flags, then the environment, then defaults, as the
 * settings table (settings.ts) describes them. Pure: the caller passes the parsed flags and an
 * environment record, so tests need no process state.
 * @module
 */

import { type LegacyUse, legacyText, legacyUses } from "./legacy-use.ts";
import { type AnySetting, isSwitch, SETTING_ROWS, type SettingValues } from "./settings.ts";

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
  /** Base URLs per upstream; `chatgpt` serves Codex signed in with ChatGPT (core/routes.ts). */
  readonly upstreams: {
    readonly openai: UpstreamSetting;
    readonly anthropic: UpstreamSetting;
    readonly gemini: UpstreamSetting;
    readonly chatgpt: UpstreamSetting;
  };
  /** False with --no-optimize: every request passes untouched. */
  readonly optimize: boolean;
  readonly workspaceDir: string;
  /** True with --stateless: nothing is written to disk. */
  readonly stateless: boolean;
  /** Redis shared by the replicas of a team gateway (redis:// or rediss://), when set. */
  readonly redisUrl: string | undefined;
  /** This replica's name among a team's (with Redis; the host name when unset). */
  readonly replicaId: string | undefined;
  /** The header that names a tenant on the shared stores; unset: the caller's credential. */
  readonly tenantHeader: string | undefined;
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
  /** Refuse to start without a proxy token (the container image turns this on). */
  readonly requireProxyToken: boolean;
  readonly logLevel: LogLevel;
  /** How long in-flight requests may run after SIGINT/SIGTERM before the process exits. */
  readonly shutdownGraceMs: number;
  /** Compression of tool outputs on or off (`--no-optimize` turns everything off). */
  readonly compression: boolean;
  /** Whether compressors may drop content behind a retrievable marker. */
  readonly lossy: boolean;
  /** Compact a conversation's history once its provider cache has expired. */
  readonly compactOnExpiry: boolean;
  /** The provider cache lifetime compaction assumes, in seconds (0: the provider's own). */
  readonly providerCacheTtlSeconds: number;
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
  /** The original Headroom's savings file to import on first start; unset: in the workspace. */
  readonly originalSavingsPath: string | undefined;
  /** A file the log lines are also appended to (--log-file); never written when stateless. */
  readonly logFile: string | undefined;
}

/** Flags as parsed from the command line; absent means not given. */
export interface ProxyFlags {
  host?: string | undefined;
  port?: string | undefined;
  "openai-api-url"?: string | undefined;
  "anthropic-api-url"?: string | undefined;
  "gemini-api-url"?: string | undefined;
  "chatgpt-api-url"?: string | undefined;
  "no-optimize"?: boolean | undefined;
  "workspace-dir"?: string | undefined;
  stateless?: boolean | undefined;
  "redis-url"?: string | undefined;
  "log-level"?: string | undefined;
  "request-timeout-seconds"?: string | undefined;
  "retry-max-attempts"?: string | undefined;
  "log-messages"?: boolean | undefined;
  cache?: boolean | undefined;
  "log-file"?: string | undefined;
  /** Flags of the original Headroom (legacy-settings.ts), by name without dashes. */
  legacy?: Readonly<Record<string, string | boolean | undefined>> | undefined;
}

/** A configuration value that cannot be used; the CLI exits 2 with its message. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

type Env = Readonly<Record<string, string | undefined>>;

/** One setting's value and where it came from. */
interface ResolvedSetting {
  readonly value: unknown;
  readonly source: SettingSource;
}

/** The text a setting gets from its flag or environment variable, and what the user typed. */
function typed(
  name: keyof SettingValues,
  setting: AnySetting,
  flags: ProxyFlags,
  env: Env,
  legacy: readonly LegacyUse[],
): { text: string; label: string; source: SettingSource } | undefined {
  const flag = setting.flag;
  const given = flag ? flags[flag.name] : undefined;
  if (flag && given !== undefined && given !== false) {
    const text = isSwitch(flag) ? flag.sets : String(given);
    return { text, label: `--${flag.name}`, source: "flag" };
  }
  // The original's names rank after headroom's own of the same kind.
  const legacyFlag = legacyText(name, "flag", legacy);
  if (legacyFlag) return { ...legacyFlag, source: "flag" };
  const value = env[setting.env];
  // An empty variable counts as unset, as a shell's `NAME=` usually means.
  if (value !== undefined && value !== "")
    return { text: value, label: setting.env, source: "env" };
  const legacyEnv = legacyText(name, "env", legacy);
  if (legacyEnv) return { ...legacyEnv, source: "env" };
  return undefined;
}

/** Resolves one setting: flag beats environment beats default; errors name what was typed. */
function resolveSetting(
  name: keyof SettingValues,
  setting: AnySetting,
  flags: ProxyFlags,
  env: Env,
  homeDir: string,
  legacy: readonly LegacyUse[],
): ResolvedSetting {
  const chosen = typed(name, setting, flags, env, legacy);
  if (!chosen) {
    const value =
      setting.default === undefined ? undefined : setting.kind.read(setting.default, homeDir);
    return { value, source: "default" };
  }
  const value = setting.kind.read(chosen.text, homeDir);
  if (value === undefined) {
    throw new ConfigError(
      `${chosen.label} must be ${setting.kind.expects} (got ${JSON.stringify(chosen.text)})`,
    );
  }
  return { value, source: chosen.source };
}

/** Resolves the configuration: flag beats environment beats default. */
export function resolveConfig(flags: ProxyFlags, env: Env, homeDir: string): ProxyConfig {
  const values: Record<string, unknown> = {};
  const sources: Record<string, SettingSource> = {};
  const legacy = legacyUses(flags, env);
  for (const [name, setting] of SETTING_ROWS) {
    const resolved = resolveSetting(name, setting, flags, env, homeDir, legacy);
    values[name] = resolved.value;
    sources[name] = resolved.source;
  }
  const { openaiApiUrl, anthropicApiUrl, geminiApiUrl, chatgptApiUrl, ...rest } =
    values as unknown as SettingValues;
  return {
    ...rest,
    upstreams: {
      openai: { url: openaiApiUrl, source: sources.openaiApiUrl! },
      anthropic: { url: anthropicApiUrl, source: sources.anthropicApiUrl! },
      gemini: { url: geminiApiUrl, source: sources.geminiApiUrl! },
      chatgpt: { url: chatgptApiUrl, source: sources.chatgptApiUrl! },
    },
  };
}
