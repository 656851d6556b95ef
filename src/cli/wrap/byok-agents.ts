/**
 * GitHub Copilot CLI and Qwen Code through headroom. Both reach a model with a key the user
 * brings (Copilot's "BYOK" provider, Qwen Code's OpenAI- or Anthropic-compatible auth types),
 * and that traffic can pass through headroom. Their own sign-ins cannot: Copilot's subscription
 * talks to GitHub's Copilot API with a token GitHub issues, Qwen OAuth to Qwen's own endpoint,
 * and headroom forwards only to the OpenAI and Anthropic APIs. wrap says so instead of starting
 * a session that would bypass headroom or fail on its first request.
 * @module
 */

type Env = Record<string, string | undefined>;

/** Copilot's provider types headroom can stand in for, and the base URL each expects. */
const COPILOT_BASE: Readonly<Record<string, (base: string) => string>> = {
  openai: (base) => `${base}/v1`,
  anthropic: (base) => base,
};
const COPILOT_KEY_VARS = [
  "COPILOT_PROVIDER_API_KEY",
  "COPILOT_PROVIDER_BEARER_TOKEN",
  "COPILOT_PROVIDER_API_KEY_COMMAND",
];
/** The user's usual key for each provider type, used when Copilot has none of its own. */
const PROVIDER_KEY: Readonly<Record<string, string>> = {
  openai: "OPENAI_API_KEY",
  anthropic: "ANTHROPIC_API_KEY",
};

const copilotType = (env: Env): string => env.COPILOT_PROVIDER_TYPE || "openai";
const hasCopilotKey = (env: Env): boolean => COPILOT_KEY_VARS.some((name) => env[name]);

/**
 * Copilot CLI's BYOK settings pointing at headroom: the provider URL for its type, the user's
 * OpenAI (or Anthropic) key when Copilot has no key of its own, and the project labels added to
 * the user's own provider headers.
 */
export function copilotEnv(base: string, project: string, current: Env): Record<string, string> {
  const type = copilotType(current);
  const env: Record<string, string> = {
    COPILOT_PROVIDER_BASE_URL: (COPILOT_BASE[type] ?? COPILOT_BASE.openai!)(base),
    COPILOT_PROVIDER_TYPE: type,
  };
  const fallback = current[PROVIDER_KEY[type] ?? ""];
  if (!hasCopilotKey(current) && fallback) env.COPILOT_PROVIDER_API_KEY = fallback;
  const ours = `x-headroom-project: ${project}\nx-headroom-stack: wrap_copilot`;
  const theirs = current.COPILOT_PROVIDER_HEADERS;
  env.COPILOT_PROVIDER_HEADERS = theirs ? `${theirs}\n${ours}` : ours;
  return env;
}

function copilotProblem(env: Env): string | undefined {
  const type = copilotType(env);
  if (!COPILOT_BASE[type])
    return `Copilot CLI's "${type}" provider type cannot go through headroom, which forwards only to the OpenAI and Anthropic APIs: set COPILOT_PROVIDER_TYPE to openai or anthropic.`;
  if (hasCopilotKey(env) || env[PROVIDER_KEY[type]!]) return undefined;
  return `Copilot CLI through headroom needs a key of your own (Copilot's BYOK mode): COPILOT_PROVIDER_API_KEY, or ${PROVIDER_KEY[type]}, is not set. A GitHub Copilot subscription cannot go through a proxy: Copilot CLI sends it to GitHub's Copilot API with a token GitHub issues to the CLI, and headroom forwards only to the OpenAI and Anthropic APIs.`;
}

/** Qwen Code's auth types that reach a model through headroom, and the key each reads. */
const QWEN_KEYS: Readonly<Record<string, string>> = {
  openai: "OPENAI_API_KEY",
  "openai-responses": "OPENAI_API_KEY",
  anthropic: "ANTHROPIC_API_KEY",
};

/** The value of `--auth-type` in Qwen Code's arguments, if given. */
function qwenAuthType(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--auth-type") return args[i + 1];
    if (arg.startsWith("--auth-type=")) return arg.slice("--auth-type=".length);
  }
  return undefined;
}

function qwenProblem(env: Env, args: readonly string[]): string | undefined {
  const type = qwenAuthType(args) ?? "openai";
  if (type === "qwen-oauth")
    return "Qwen OAuth cannot go through a proxy: Qwen Code sends it to Qwen's own endpoint with a token from chat.qwen.ai, and headroom forwards only to the OpenAI and Anthropic APIs (its free tier also ended on 2026-04-15). Use an API key: --auth-type openai with OPENAI_API_KEY.";
  const key = QWEN_KEYS[type];
  if (!key)
    return `Qwen Code's "${type}" auth type cannot go through headroom: use --auth-type openai, openai-responses or anthropic.`;
  if (env[key]) return undefined;
  return `Qwen Code through headroom needs an API key in ${key} (auth type ${type}), which is not set. Qwen OAuth cannot go through a proxy: it goes to Qwen's own endpoint, not an API headroom forwards to.`;
}

/** Where the agent would have sent its key without wrap, and which upstream of headroom stands in. */
function ownBaseUrl(
  agent: string,
  env: Env,
  args: readonly string[],
): { name: string; url: string; upstream: "openai" | "anthropic" } | undefined {
  let name: string;
  let upstream: "openai" | "anthropic";
  if (agent === "copilot") {
    name = "COPILOT_PROVIDER_BASE_URL";
    upstream = copilotType(env) === "anthropic" ? "anthropic" : "openai";
  } else if (agent === "qwen") {
    upstream = qwenAuthType(args) === "anthropic" ? "anthropic" : "openai";
    name = upstream === "anthropic" ? "ANTHROPIC_BASE_URL" : "OPENAI_BASE_URL";
  } else return undefined;
  const url = env[name];
  return url ? { name, url, upstream } : undefined;
}

/** A base URL without its trailing slashes and `/v1`, as headroom keeps its upstreams. */
const bare = (url: string): string => url.replace(/\/+$/, "").replace(/\/v1$/, "");

/**
 * Why the agent's key would reach a provider the user did not choose, or undefined: their own
 * base URL for it (DashScope for Qwen Code, say) is not the upstream the proxy at `base`
 * forwards to, so wrap's base URL would send the key there instead.
 */
export async function byokMisroute(
  agent: string,
  env: Env,
  args: readonly string[],
  base: string,
): Promise<string | undefined> {
  const own = ownBaseUrl(agent, env, args);
  if (!own || bare(own.url) === base) return undefined;
  let forwardsTo: unknown;
  try {
    const health = (await (await fetch(`${base}/health`)).json()) as {
      config?: Record<string, unknown>;
    };
    forwardsTo = health.config?.[`${own.upstream}_api_url`];
  } catch {
    return undefined; // ensureProxy just saw it healthy; nothing better to go on
  }
  if (typeof forwardsTo !== "string" || bare(own.url) === bare(forwardsTo)) return undefined;
  const target = own.upstream === "openai" ? "OPENAI_TARGET_API_URL" : "ANTHROPIC_TARGET_API_URL";
  return `${own.name} is ${own.url}, but the headroom on ${base} forwards ${own.upstream === "openai" ? "OpenAI" : "Anthropic"}-style requests to ${forwardsTo}: your key would go there instead. Start headroom with ${target}=${bare(own.url)} to keep your provider, or unset ${own.name} to use ${forwardsTo}.`;
}

/** Arguments wrap puts before the user's: Qwen Code's auth type, unless the user chose one. */
export function byokArgs(agent: string, args: readonly string[]): string[] {
  return agent === "qwen" && qwenAuthType(args) === undefined ? ["--auth-type", "openai"] : [];
}

/** Why `agent` cannot run through headroom as configured, or undefined. */
export function byokProblem(agent: string, env: Env, args: readonly string[]): string | undefined {
  if (agent === "copilot") return copilotProblem(env);
  if (agent === "qwen") return qwenProblem(env, args);
  return undefined;
}
