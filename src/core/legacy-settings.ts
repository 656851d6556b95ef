/**
 * The flags and environment names of the original Headroom's `headroom proxy`, and what each does
 * here: it maps onto one of headroom's settings, it changes nothing (headroom already behaves that
 * way, or the knob tunes something headroom does not have), or it is refused because honouring it
 * silently would mislead (the message names the alternative). Launch lines written for the
 * original keep working, and no name of theirs is ignored without a word.
 * @module
 */

import type { SettingValues } from "./settings.ts";

/** What one of the original's names does here. */
export type LegacyEffect =
  /** Sets headroom's setting: to the value typed, or to `sets` for a switch. */
  | { readonly maps: keyof SettingValues; readonly sets?: string; readonly note: string }
  /** Accepted; nothing to do, and `noop` says why. */
  | { readonly noop: string }
  /** Stops the proxy (exit 2) with `refuses`, which names the alternative. */
  | { readonly refuses: string };

/** One flag or environment name of the original. */
export interface LegacyName {
  /** The flag without its dashes; absent for names the original read from the environment only. */
  readonly flag?: string;
  /** The flag's value placeholder; absent for switches. */
  readonly arg?: string;
  /** The environment variable the original read for it. */
  readonly env?: string;
  readonly effect: LegacyEffect;
  /** Values this name takes; any other is a usage error. */
  readonly values?: readonly string[];
  /** Values with which a refused name asks for nothing headroom lacks (the original's default). */
  readonly harmless?: { readonly values: readonly string[]; readonly noop: string };
}

const POOL = "Bun's fetch keeps its own upstream connection pool";
const NO_KOMPRESS = "headroom has no Kompress model; its compressors are chosen per output";
const NO_MEMORY = "headroom has no memory feature";
const MEMORY_REFUSED =
  "headroom has no cross-session memory; drop the flag (compression and retrieval work without it)";
const NO_READ_LIFECYCLE = "headroom compresses a Read's output once and replays it unchanged";
const MODES = [
  "token",
  "cache",
  "token_mode",
  "token_savings",
  "token_headroom",
  "cache_mode",
  "cost_savings",
];
const ONE_PROVIDER_URLS =
  "headroom talks to the providers' own APIs; to go through a gateway (Bedrock, Vertex, LiteLLM, OpenRouter), point --anthropic-api-url or --openai-api-url at a gateway that speaks that API";

/** The table: every flag of the original's `headroom proxy`, then its environment-only names. */
export const LEGACY_NAMES: readonly LegacyName[] = [
  // Before --rpm: as in the original, --no-rate-limit wins when both are given.
  {
    flag: "no-rate-limit",
    effect: { maps: "rateLimitRpm", sets: "0", note: "headroom's default: no rate limit" },
  },
  {
    flag: "rpm",
    arg: "N",
    env: "HEADROOM_RPM",
    effect: {
      maps: "rateLimitRpm",
      note: "rate limit per client; headroom does not limit unless asked",
    },
  },
  {
    flag: "protect-tool-results",
    arg: "TOOLS",
    env: "HEADROOM_PROTECT_TOOL_RESULTS",
    effect: { maps: "excludeTools", note: "those tools' outputs are never compressed" },
  },
  {
    env: "HEADROOM_CACHE_ENABLED",
    effect: { maps: "cache", note: "the exact-match response cache" },
  },
  {
    env: "HEADROOM_CACHE_TTL",
    effect: { maps: "cacheTtlSeconds", note: "seconds the response cache replays an answer" },
  },
  {
    flag: "mode",
    arg: "MODE",
    env: "HEADROOM_MODE",
    values: MODES,
    effect: {
      noop: "headroom always keeps earlier turns byte-identical (the original's cache mode) and compresses each new tool output once (its token mode's savings)",
    },
  },
  {
    flag: "connect-timeout-seconds",
    arg: "N",
    env: "HEADROOM_CONNECT_TIMEOUT_SECONDS",
    effect: {
      noop: "connecting counts toward --request-timeout-seconds; failed connects are retried (--retry-max-attempts)",
    },
  },
  {
    flag: "no-cache",
    effect: { noop: "headroom's response cache is off unless --cache is given" },
  },
  {
    flag: "tpm",
    arg: "N",
    env: "HEADROOM_TPM",
    effect: { noop: "the original never enforced it" },
  },
  {
    flag: "workers",
    arg: "N",
    env: "HEADROOM_WORKERS",
    effect: {
      noop: "headroom is one process; compression runs in a worker-thread pool sized to the CPUs",
    },
  },
  {
    flag: "limit-concurrency",
    arg: "N",
    env: "HEADROOM_LIMIT_CONCURRENCY",
    effect: { noop: "headroom sets no connection cap" },
  },
  { flag: "max-connections", arg: "N", env: "HEADROOM_MAX_CONNECTIONS", effect: { noop: POOL } },
  { flag: "max-keepalive", arg: "N", env: "HEADROOM_MAX_KEEPALIVE", effect: { noop: POOL } },
  { flag: "keepalive-expiry", arg: "S", env: "HEADROOM_KEEPALIVE_EXPIRY", effect: { noop: POOL } },
  { flag: "http2", env: "HEADROOM_HTTP2", effect: { noop: POOL } },
  { flag: "no-http2", effect: { noop: POOL } },
  { flag: "target-ratio", arg: "R", env: "HEADROOM_TARGET_RATIO", effect: { noop: NO_KOMPRESS } },
  {
    flag: "intercept-tool-results",
    effect: { noop: "headroom compress does this for agents' shell commands; see headroom wrap" },
  },
  {
    flag: "no-ccr-inject-tool",
    env: "HEADROOM_NO_CCR_INJECT_TOOL",
    effect: {
      noop: "headroom offers headroom_retrieve only when it dropped content; HEADROOM_LOSSY=off drops nothing",
    },
  },
  {
    flag: "no-ccr-marker",
    env: "HEADROOM_NO_CCR_MARKER",
    effect: {
      noop: "headroom always marks what it drops; HEADROOM_LOSSY=off drops nothing",
    },
  },
  {
    flag: "no-ccr-proactive-expansion",
    env: "HEADROOM_NO_CCR_PROACTIVE_EXPANSION",
    effect: { noop: "headroom never expands markers on its own" },
  },
  {
    flag: "proxy-extension",
    arg: "NAMES",
    env: "HEADROOM_PROXY_EXTENSIONS",
    effect: { refuses: "headroom has no extension plugins; run without --proxy-extension" },
  },
  {
    flag: "no-subscription-tracking",
    env: "HEADROOM_NO_SUBSCRIPTION_TRACKING",
    effect: { noop: "headroom never polls subscription quotas" },
  },
  {
    flag: "subscription-poll-interval",
    arg: "S",
    env: "HEADROOM_SUBSCRIPTION_POLL_INTERVAL",
    effect: { noop: "headroom never polls subscription quotas" },
  },
  {
    flag: "anthropic-buffered-request-timeout-seconds",
    arg: "N",
    env: "HEADROOM_ANTHROPIC_BUFFERED_REQUEST_TIMEOUT_SECONDS",
    effect: { noop: "one timeout covers every upstream: --request-timeout-seconds" },
  },
  {
    flag: "anthropic-pre-upstream-concurrency",
    arg: "N",
    env: "HEADROOM_ANTHROPIC_PRE_UPSTREAM_CONCURRENCY",
    effect: { noop: "compression is bounded by HEADROOM_COMPRESSION_BUDGET_MS instead" },
  },
  {
    flag: "anthropic-pre-upstream-acquire-timeout-seconds",
    arg: "S",
    env: "HEADROOM_ANTHROPIC_PRE_UPSTREAM_ACQUIRE_TIMEOUT_SECONDS",
    effect: { noop: "compression is bounded by HEADROOM_COMPRESSION_BUDGET_MS instead" },
  },
  {
    flag: "anthropic-pre-upstream-memory-context-timeout-seconds",
    arg: "S",
    env: "HEADROOM_ANTHROPIC_PRE_UPSTREAM_MEMORY_CONTEXT_TIMEOUT_SECONDS",
    effect: { noop: NO_MEMORY },
  },
  {
    flag: "compression-max-workers",
    arg: "N",
    env: "HEADROOM_COMPRESSION_MAX_WORKERS",
    effect: { noop: "the compression pool is sized to the CPUs" },
  },
  {
    flag: "codex-wire-debug",
    env: "HEADROOM_CODEX_WIRE_DEBUG",
    effect: { noop: "no wire captures; --log-level debug logs each exchange" },
  },
  {
    flag: "codex-wire-debug-dir",
    arg: "DIR",
    env: "HEADROOM_CODEX_WIRE_DEBUG_DIR",
    effect: { noop: "no wire captures; --log-level debug logs each exchange" },
  },
  {
    flag: "budget",
    arg: "USD",
    env: "HEADROOM_BUDGET",
    effect: {
      refuses:
        "headroom enforces no spending budget; set a spend limit in the provider's console, and watch dollars saved in headroom stats",
    },
  },
  {
    flag: "budget-period",
    arg: "PERIOD",
    env: "HEADROOM_BUDGET_PERIOD",
    effect: { noop: "headroom enforces no budget" },
  },
  {
    flag: "code-aware",
    env: "HEADROOM_CODE_AWARE_ENABLED",
    effect: { noop: "source code is never rewritten by headroom" },
  },
  { flag: "no-code-aware", effect: { noop: "source code is never rewritten by headroom" } },
  { flag: "disable-kompress", env: "HEADROOM_DISABLE_KOMPRESS", effect: { noop: NO_KOMPRESS } },
  {
    flag: "disable-kompress-fallback",
    env: "HEADROOM_DISABLE_KOMPRESS_FALLBACK",
    effect: { noop: NO_KOMPRESS },
  },
  {
    flag: "disable-kompress-anthropic",
    env: "HEADROOM_DISABLE_KOMPRESS_ANTHROPIC",
    effect: { noop: NO_KOMPRESS },
  },
  { flag: "enable-kompress-anthropic", effect: { noop: NO_KOMPRESS } },
  {
    flag: "disable-kompress-openai",
    env: "HEADROOM_DISABLE_KOMPRESS_OPENAI",
    effect: { noop: NO_KOMPRESS },
  },
  { flag: "enable-kompress-openai", effect: { noop: NO_KOMPRESS } },
  {
    flag: "code-graph",
    effect: { refuses: "headroom has no code graph or file watcher; run without --code-graph" },
  },
  { flag: "no-read-lifecycle", effect: { noop: NO_READ_LIFECYCLE } },
  { flag: "read-maturation", env: "HEADROOM_READ_MATURATION", effect: { noop: NO_READ_LIFECYCLE } },
  {
    flag: "read-maturation-quiesce-turns",
    arg: "N",
    env: "HEADROOM_READ_MATURATION_QUIESCE_TURNS",
    effect: { noop: NO_READ_LIFECYCLE },
  },
  {
    flag: "read-maturation-max-hold-turns",
    arg: "N",
    env: "HEADROOM_READ_MATURATION_MAX_HOLD_TURNS",
    effect: { noop: NO_READ_LIFECYCLE },
  },
  {
    flag: "read-maturation-min-size-bytes",
    arg: "N",
    env: "HEADROOM_READ_MATURATION_MIN_SIZE_BYTES",
    effect: { noop: NO_READ_LIFECYCLE },
  },
  { flag: "memory", effect: { refuses: MEMORY_REFUSED } },
  { flag: "learn", effect: { refuses: MEMORY_REFUSED } },
  { flag: "no-learn", effect: { noop: NO_MEMORY } },
  {
    flag: "memory-db-path",
    arg: "PATH",
    env: "HEADROOM_MEMORY_DB_PATH",
    effect: { noop: NO_MEMORY },
  },
  { flag: "memory-storage", arg: "SCOPE", effect: { noop: NO_MEMORY } },
  {
    flag: "memory-project-root",
    arg: "DIR",
    env: "HEADROOM_MEMORY_PROJECT_ROOT",
    effect: { noop: NO_MEMORY },
  },
  { flag: "no-memory-tools", env: "HEADROOM_NO_MEMORY_TOOLS", effect: { noop: NO_MEMORY } },
  { flag: "no-memory-context", env: "HEADROOM_NO_MEMORY_CONTEXT", effect: { noop: NO_MEMORY } },
  { flag: "memory-top-k", arg: "N", env: "HEADROOM_MEMORY_TOP_K", effect: { noop: NO_MEMORY } },
  {
    flag: "memory-qdrant-url",
    arg: "URL",
    env: "HEADROOM_QDRANT_URL",
    effect: { noop: NO_MEMORY },
  },
  {
    flag: "memory-qdrant-host",
    arg: "HOST",
    env: "HEADROOM_QDRANT_HOST",
    effect: { noop: NO_MEMORY },
  },
  {
    flag: "memory-qdrant-port",
    arg: "PORT",
    env: "HEADROOM_QDRANT_PORT",
    effect: { noop: NO_MEMORY },
  },
  {
    flag: "memory-qdrant-api-key",
    arg: "KEY",
    env: "HEADROOM_QDRANT_API_KEY",
    effect: { noop: NO_MEMORY },
  },
  { flag: "min-evidence", arg: "N", env: "HEADROOM_MIN_EVIDENCE", effect: { noop: NO_MEMORY } },
  {
    flag: "backend",
    arg: "NAME",
    env: "HEADROOM_BACKEND",
    effect: { refuses: ONE_PROVIDER_URLS },
    harmless: {
      values: ["anthropic"],
      noop: "headroom serves Anthropic (and OpenAI and Gemini) directly",
    },
  },
  {
    flag: "anyllm-provider",
    arg: "NAME",
    env: "HEADROOM_ANYLLM_PROVIDER",
    effect: { noop: "used by --backend anyllm only, which headroom does not have" },
  },
  {
    flag: "cloudcode-api-url",
    arg: "URL",
    env: "CLOUDCODE_TARGET_API_URL",
    effect: {
      refuses:
        "headroom does not proxy Cloud Code Assist; Gemini API traffic goes to --gemini-api-url",
    },
  },
  {
    flag: "vertex-api-url",
    arg: "URL",
    env: "VERTEX_TARGET_API_URL",
    effect: { refuses: ONE_PROVIDER_URLS },
  },
  {
    flag: "region",
    arg: "REGION",
    env: "HEADROOM_REGION",
    effect: { noop: "used by Bedrock and Vertex only, which headroom does not route" },
  },
  { flag: "bedrock-region", arg: "REGION", effect: { refuses: ONE_PROVIDER_URLS } },
  { flag: "bedrock-profile", arg: "NAME", effect: { refuses: ONE_PROVIDER_URLS } },
  {
    flag: "bedrock-api-url",
    arg: "URL",
    env: "BEDROCK_TARGET_API_URL",
    effect: { refuses: ONE_PROVIDER_URLS },
  },
  { flag: "telemetry", env: "HEADROOM_TELEMETRY", effect: { noop: "headroom sends no telemetry" } },
  { flag: "no-telemetry", effect: { noop: "headroom sends no telemetry" } },
  { flag: "embedding-server", effect: { noop: NO_MEMORY } },
  { flag: "no-embedding-server", effect: { noop: NO_MEMORY } },
  {
    flag: "embedding-server-socket",
    arg: "PATH",
    env: "HEADROOM_EMBEDDING_SERVER_SOCKET",
    effect: { noop: NO_MEMORY },
  },
  // Read from the environment only.
  {
    env: "HEADROOM_CORS_ORIGINS",
    effect: {
      noop: "headroom answers CORS for loopback pages only (its dashboard); other origins stay refused",
    },
  },
  {
    env: "HEADROOM_WS_ORIGINS",
    effect: { noop: "pages on other origins are refused, WebSocket upgrades included" },
  },
  {
    env: "HEADROOM_OFFLINE",
    effect: { noop: "headroom never calls anything but the upstreams you configure" },
  },
  {
    env: "HEADROOM_SKIP_UPSTREAM_CHECK",
    effect: { noop: "/health does not probe the upstreams; headroom doctor --upstreams does" },
  },
  {
    env: "HEADROOM_COMPRESSION_TIMEOUT_SECONDS",
    effect: { noop: "HEADROOM_COMPRESSION_BUDGET_MS bounds compression (milliseconds)" },
  },
  {
    env: "HEADROOM_MAX_ITEMS",
    effect: { noop: "headroom's array compressor keeps what each output needs" },
  },
  {
    env: "HEADROOM_SAVINGS_PATH",
    effect: { noop: "headroom records savings in its workspace database" },
  },
  {
    env: "HEADROOM_LICENSE_KEY",
    effect: { noop: "headroom needs no license key" },
  },
];

/** The names as written on a command line or in an environment. */
export function legacyLabel(name: LegacyName): string {
  return name.flag ? `--${name.flag}` : (name.env ?? "");
}
