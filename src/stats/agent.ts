/**
 * Which agent sent a request: the x-client header when present, else recognised from the
 * user agent. Only the product name is kept, never anything that could identify a user.
 * @module
 */

const KNOWN: ReadonlyArray<[RegExp, string]> = [
  [/claude-code|claude-cli/i, "claude-code"],
  [/codex/i, "codex"],
  [/GeminiCLI/i, "gemini-cli"],
  [/cursor/i, "cursor"],
  [/aider/i, "aider"],
  [/opencode/i, "opencode"],
  [/goose/i, "goose"],
  [/zed\//i, "zed"],
  [/copilot/i, "copilot"],
  [/qwencode|qwen-code/i, "qwen-code"],
  [/continue/i, "continue"],
  [/cline/i, "cline"],
  [/^Anthropic\/JS/i, "anthropic-sdk-js"],
  [/^anthropic-python|^Anthropic\/Python/i, "anthropic-sdk-python"],
  [/^OpenAI\/JS/i, "openai-sdk-js"],
  [/^OpenAI\/Python/i, "openai-sdk-python"],
  [/google-genai-sdk/i, "google-genai-sdk"],
  // AI SDK 7: "ai/7.x ai-sdk-provider-utils/..." (generateText) or "ai-sdk-openai/..." (streams).
  [/^ai\/\d|^ai-sdk|vercel/i, "vercel-ai-sdk"],
  [/^curl\//i, "curl"],
];

/** Reduces a header value to a short, safe label: lower-case letters, digits, dot, dash, underscore. */
export function cleanLabel(value: string | undefined | null, max = 64): string | undefined {
  if (!value) return undefined;
  const label = value
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, max);
  return label || undefined;
}

/** Labels that name a library or nothing, not an agent. */
const NOT_AN_AGENT = new Set([
  "anthropic-sdk-js",
  "anthropic-sdk-python",
  "openai-sdk-js",
  "openai-sdk-python",
  "unknown",
]);

// An agent sends the same headers on every request: the last answer is kept, so the patterns
// run once per change of client rather than once per request.
let lastXClient: string | undefined | null;
let lastUserAgent: string | undefined | null;
let lastFound = "unknown";

/**
 * The agent behind a request. An agent `headroom wrap` launched whose requests carry only its SDK's
 * user agent (Copilot CLI's own-key provider sends "OpenAI/JS …") is named by wrap's stack label.
 */
export function agentOf(
  xClient: string | undefined | null,
  userAgent: string | undefined | null,
  stack?: string | null,
): string {
  if (xClient !== lastXClient || userAgent !== lastUserAgent) {
    lastFound = recognise(xClient, userAgent);
    lastXClient = xClient;
    lastUserAgent = userAgent;
  }
  const found = lastFound;
  if (!stack?.startsWith("wrap_") || !NOT_AN_AGENT.has(found)) return found;
  return cleanLabel(stack.slice("wrap_".length)) ?? found;
}

/** The agent an explicit client label or a known user agent names. */
function recognise(
  xClient: string | undefined | null,
  userAgent: string | undefined | null,
): string {
  const explicit = cleanLabel(xClient);
  if (explicit) return explicit;
  if (userAgent) for (const [pattern, name] of KNOWN) if (pattern.test(userAgent)) return name;
  return "unknown";
}
