/**
 * The provider APIs headroom speaks, and which provider owns a path.
 * @module
 */

/** An upstream provider. */
export type Provider = "openai" | "anthropic";

/**
 * The kind of exchange: the three generation APIs headroom understands, or a passthrough to a
 * provider endpoint it forwards without reading.
 */
export type Api = "messages" | "chat" | "responses" | "passthrough";

/** The provider whose error shape an API answers in. */
export function providerOfApi(api: Exclude<Api, "passthrough">): Provider {
  return api === "messages" ? "anthropic" : "openai";
}

const ANTHROPIC_USER_AGENT = /\b(claude-code|claude-cli)\//i;

/**
 * Chooses the provider for an endpoint that both providers serve (models, unknown /v1 paths):
 * Anthropic when the caller presents Anthropic credentials or headers, OpenAI otherwise.
 */
export function providerForCredentials(headers: Headers): Provider {
  if (headers.has("x-api-key") || headers.has("anthropic-version")) return "anthropic";
  const auth = headers.get("authorization");
  if (auth && /^bearer\s+sk-ant-/i.test(auth)) return "anthropic";
  if (ANTHROPIC_USER_AGENT.test(headers.get("user-agent") ?? "")) return "anthropic";
  return "openai";
}

/** The provider that owns a path by its name alone, if any (the Responses aliases included). */
export function providerForPath(path: string): Provider | undefined {
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
