/**
 * The provider APIs headroom speaks, and which provider owns a path.
 * @module
 */

/** An upstream provider. */
export type Provider = "openai" | "anthropic" | "gemini";

/**
 * The kind of exchange: the four generation APIs headroom understands (Gemini's
 * generateContent family is "gemini"), or a passthrough to a provider endpoint it forwards
 * without reading.
 */
export type Api = "messages" | "chat" | "responses" | "gemini" | "passthrough";

/** The provider whose error shape an API answers in. */
export function providerOfApi(api: Exclude<Api, "passthrough">): Provider {
  if (api === "gemini") return "gemini";
  return api === "messages" ? "anthropic" : "openai";
}

/** Gemini's API paths: `/v1beta/models/...`, `/v1beta/files`, and the rest of `/v1beta`. */
export const GEMINI_PATH_PREFIX = "/v1beta/";

/** The Gemini methods whose bodies headroom reads and compresses (countTokens passes through). */
const GEMINI_GENERATION_METHODS = new Set(["generateContent", "streamGenerateContent"]);

/**
 * The model and method of a Gemini model call (`/v1beta/models/gemini-2.5-flash:generateContent`,
 * or `/v1/models/...:...` as the genai SDK 3 sends by default), or undefined for any other path.
 * No other provider puts a `:method` after a model name, so the path alone says it is Gemini's.
 */
export function geminiCall(path: string): { model: string; method: string } | undefined {
  const match = /^\/v1(?:beta)?\/models\/([^/:]+):([A-Za-z]+)$/.exec(path);
  return match ? { model: match[1]!, method: match[2]! } : undefined;
}

/** True for a Gemini path that generates (and so has tool outputs to compress). */
export function isGeminiGeneration(path: string): boolean {
  const call = geminiCall(path);
  return call !== undefined && GEMINI_GENERATION_METHODS.has(call.method);
}

/**
 * True when a Gemini stream answers as one JSON array instead of SSE (no `alt=sse` in the
 * query): relayed as it comes, since no event boundaries can be read from it on the fly.
 */
export function isGeminiArrayStream(path: string, url: string): boolean {
  if (geminiCall(path)?.method !== "streamGenerateContent") return false;
  const query = url.indexOf("?");
  return query < 0 || new URLSearchParams(url.slice(query + 1)).get("alt") !== "sse";
}

const ANTHROPIC_USER_AGENT = /\b(claude-code|claude-cli)\//i;

/**
 * Chooses the provider for an endpoint several providers serve (models, unknown /v1 paths): Gemini
 * for a Google API key, Anthropic for Anthropic credentials or headers, OpenAI otherwise.
 */
export function providerForCredentials(headers: Headers): Provider {
  // A Google API key belongs to Gemini (the genai SDK lists models at /v1/models with one).
  if (headers.has("x-goog-api-key")) return "gemini";
  if (headers.has("x-api-key") || headers.has("anthropic-version")) return "anthropic";
  const auth = headers.get("authorization");
  if (auth && /^bearer\s+sk-ant-/i.test(auth)) return "anthropic";
  if (ANTHROPIC_USER_AGENT.test(headers.get("user-agent") ?? "")) return "anthropic";
  return "openai";
}

/** The provider that owns a path by its name alone, if any (the Responses aliases included). */
export function providerForPath(path: string): Provider | undefined {
  if (path.startsWith(GEMINI_PATH_PREFIX) || geminiCall(path)) return "gemini";
  if (path === "/v1/messages" || path.startsWith("/v1/messages/")) return "anthropic";
  if (
    path === "/v1/responses" ||
    path.startsWith("/v1/responses/") ||
    path.startsWith("/v1/codex/responses") ||
    path.startsWith("/backend-api/") ||
    path.startsWith("/v1/chat/") ||
    path === "/v1/chat"
  ) {
    return "openai";
  }
  return undefined;
}
