/**
 * What kinds of credential a request carries, read from its headers and query string: the facts
 * the route table (routes.ts) needs to send each credential only to the provider it belongs to.
 * Nothing here verifies a credential or keeps one; only the kind, and for a ChatGPT sign-in the
 * account id and plan its token names, leave this module.
 * @module
 */

/**
 * A kind of credential. `bearer` is a token headroom cannot place (a gateway's own key, say):
 * it goes where the route's owner goes, as a configured gateway expects.
 */
export type CredentialKind =
  | "openai-key"
  | "anthropic-key"
  | "anthropic-oauth"
  | "chatgpt"
  | "google-key"
  | "google-bearer"
  | "bearer";

/** The credentials of one request. */
export interface Credentials {
  /** Every kind present, without repeats; empty when the request carries none. */
  readonly kinds: readonly CredentialKind[];
  /** A ChatGPT sign-in's account id: the client's header, else the token's claim. */
  readonly chatgptAccountId?: string;
  /** A ChatGPT sign-in's plan ("plus", "pro", ...) as its token names it: a label for stats. */
  readonly chatgptPlan?: string;
}

/** Where a ChatGPT access token keeps its account facts (the claim Codex itself reads). */
const OPENAI_AUTH_CLAIM = "https://api.openai.com/auth";

/** The account facts in a ChatGPT access token's payload, if it is one. Never verified. */
function chatgptClaims(token: string): { accountId?: string; plan?: string } | undefined {
  const parts = token.split(".");
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const base64 = parts[1].replace(/-/g, "+").replace(/_/g, "/");
    const payload = JSON.parse(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, "=")));
    const auth = payload?.[OPENAI_AUTH_CLAIM];
    if (typeof auth?.chatgpt_account_id !== "string") return undefined;
    return {
      accountId: auth.chatgpt_account_id,
      ...(typeof auth.chatgpt_plan_type === "string" ? { plan: auth.chatgpt_plan_type } : {}),
    };
  } catch {
    return undefined;
  }
}

/** The kind of an `Authorization: Bearer` token, and the claims of a ChatGPT one. */
function bearerKind(
  token: string,
  accountHeader: boolean,
): { kind: CredentialKind; claims?: { accountId?: string; plan?: string } } {
  if (/^sk-ant-oat/i.test(token)) return { kind: "anthropic-oauth" };
  if (/^sk-ant-/i.test(token)) return { kind: "anthropic-key" };
  if (token.startsWith("ya29.")) return { kind: "google-bearer" };
  const claims = chatgptClaims(token);
  if (claims) return { kind: "chatgpt", claims };
  if (token.startsWith("sk-")) return { kind: "openai-key" };
  return { kind: accountHeader ? "chatgpt" : "bearer" };
}

/** True when the raw query string carries a `key` parameter (Google's API-key form). */
function queryHasKey(rawQuery: string): boolean {
  return rawQuery.split("&").some((pair) => pair === "key" || pair.startsWith("key="));
}

/** Reads the credentials of a request from its headers and raw query string. */
export function credentialsOf(headers: Headers, rawQuery: string): Credentials {
  const kinds = new Set<CredentialKind>();
  const accountHeader = headers.get("chatgpt-account-id") ?? undefined;
  let claims: { accountId?: string; plan?: string } | undefined;
  const auth = headers.get("authorization");
  const bearer = auth ? /^bearer\s+(\S+)/i.exec(auth.trim())?.[1] : undefined;
  if (bearer) {
    const found = bearerKind(bearer, accountHeader !== undefined);
    kinds.add(found.kind);
    claims = found.claims;
  } else if (auth) {
    kinds.add("bearer");
  }
  if (headers.has("x-api-key")) kinds.add("anthropic-key");
  if (headers.has("x-goog-api-key") || queryHasKey(rawQuery)) kinds.add("google-key");
  // An account id alone is no credential, but it says a ChatGPT sign-in sent the request.
  if (accountHeader !== undefined && !kinds.has("chatgpt")) kinds.add("chatgpt");
  const accountId = accountHeader ?? claims?.accountId;
  return {
    kinds: [...kinds],
    ...(accountId !== undefined ? { chatgptAccountId: accountId } : {}),
    ...(claims?.plan !== undefined ? { chatgptPlan: claims.plan } : {}),
  };
}

/**
 * The kind of sign-in a request used, as a stats label ("api-key", "chatgpt:pro",
 * "claude-oauth", ...), so subscription traffic can be told apart from API billing. Never
 * derived from the credential's value beyond its kind and a ChatGPT token's plan claim.
 */
export function authLabel(credentials: Credentials): string | null {
  const { kinds, chatgptPlan } = credentials;
  if (kinds.includes("chatgpt")) {
    // The plan claim is unverified text: only a plain short word becomes a label.
    const plan = chatgptPlan && /^[a-z0-9_-]{1,32}$/i.test(chatgptPlan) ? chatgptPlan : undefined;
    return plan ? `chatgpt:${plan.toLowerCase()}` : "chatgpt";
  }
  if (kinds.includes("anthropic-oauth")) return "claude-oauth";
  if (kinds.includes("google-bearer")) return "google-oauth";
  if (kinds.some((kind) => kind.endsWith("-key"))) return "api-key";
  return kinds.includes("bearer") ? "bearer" : null;
}
