/**
 * Where a request may go: one table of route family × credential kind → upstream, and the rule
 * that reads it. A request is forwarded only when every credential it carries maps to the same
 * upstream for its route; anything else is refused with a 404 and sent nowhere. The pipeline
 * consults {@link routeRequest} before any byte leaves (src/pipeline/route.ts).
 * @module
 */

import { geminiCall, type Provider } from "./api.ts";
import type { CredentialKind, Credentials } from "./credentials.ts";

/** An upstream headroom can send to: the provider APIs, and ChatGPT's backend for Codex. */
export type Upstream = Provider | "chatgpt";

/** The families of paths the table knows. */
export type RouteFamily =
  | "messages"
  | "chat"
  | "responses"
  | "models"
  | "v1-other"
  | "vertex"
  | "v1internal"
  | "gemini";

/** A credential kind, or "none" for a request that carries no credential at all. */
type Column = CredentialKind | "none";

/**
 * The provider the request's other headers name (anthropic-version, Claude's user agent), else
 * OpenAI: for paths both providers serve, when the credential itself names no provider.
 */
type ByHeaders = "by-headers";

/**
 * The table. A missing cell is a refusal. `bearer` (a token headroom cannot place) and `none` go
 * where the route's owner goes, so a gateway configured as the upstream keeps working; a
 * credential that names a provider goes to that provider only. Gemini (`/v1beta/…`, and its model
 * calls under `/v1/models/{model}:{method}`) takes a Google API key only. Vertex AI
 * (`/v1/projects/…`) and Cloud Code (`/v1/v1internal:…`) have no upstream here yet: every cell of
 * theirs refuses.
 */
const ROUTES: Readonly<
  Record<RouteFamily, Readonly<Partial<Record<Column, Upstream | ByHeaders>>>>
> = {
  messages: {
    "anthropic-key": "anthropic",
    "anthropic-oauth": "anthropic",
    bearer: "anthropic",
    none: "anthropic",
  },
  chat: { "openai-key": "openai", bearer: "openai", none: "openai" },
  responses: { "openai-key": "openai", chatgpt: "chatgpt", bearer: "openai", none: "openai" },
  models: {
    "openai-key": "openai",
    "anthropic-key": "anthropic",
    "anthropic-oauth": "anthropic",
    chatgpt: "chatgpt",
    "google-key": "gemini",
    bearer: "by-headers",
    none: "by-headers",
  },
  "v1-other": {
    "openai-key": "openai",
    "anthropic-key": "anthropic",
    "anthropic-oauth": "anthropic",
    bearer: "by-headers",
    none: "by-headers",
  },
  vertex: {},
  v1internal: {},
  gemini: { "google-key": "gemini" },
};

/** The Responses API's path and the aliases Codex and the original Headroom's users send to. */
const RESPONSES_PATHS = [
  "/v1/responses",
  "/v1/codex/responses",
  "/backend-api/responses",
  "/backend-api/codex/responses",
];

/** What follows the Responses path ("" for itself, "/resp_1" for a sub-resource), if it is one. */
function responsesRest(path: string): string | undefined {
  for (const prefix of RESPONSES_PATHS) {
    if (path === prefix) return "";
    if (path.startsWith(`${prefix}/`)) return path.slice(prefix.length);
  }
  return undefined;
}

function under(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}

/** The family of a path, or undefined when headroom serves no such path at all. */
function routeFamily(path: string): RouteFamily | undefined {
  if (responsesRest(path) !== undefined) return "responses";
  if (under(path, "/v1beta") || geminiCall(path)) return "gemini";
  if (!path.startsWith("/v1/")) return undefined;
  if (under(path, "/v1/messages")) return "messages";
  if (under(path, "/v1/chat")) return "chat";
  if (under(path, "/v1/models")) return "models";
  if (path.startsWith("/v1/projects/") || path.startsWith("/v1/locations/")) return "vertex";
  if (path.startsWith("/v1/v1internal:")) return "v1internal";
  return "v1-other";
}

/** The upstream path for `path` of `family` on `upstream`. */
function upstreamPath(family: RouteFamily, upstream: Upstream, path: string): string {
  const rest = family === "responses" ? (responsesRest(path) ?? "") : undefined;
  if (upstream === "chatgpt") {
    // The ChatGPT backend's base already ends in /codex: /responses and /models hang off it.
    return rest !== undefined ? `/responses${rest}` : `/models${path.slice("/v1/models".length)}`;
  }
  return rest !== undefined ? `/v1/responses${rest}` : path;
}

/** Where a request goes: its upstream and the path there. */
export interface Route {
  readonly family: RouteFamily;
  readonly upstream: Upstream;
  readonly path: string;
}

/** A request the table refuses: why, and the API shape the refusal answers in. */
export interface Refusal {
  readonly family: RouteFamily | undefined;
  readonly shape: Provider | "google";
  readonly message: string;
}

const KIND_NAMES: Readonly<Record<CredentialKind, string>> = {
  "openai-key": "an OpenAI API key",
  "anthropic-key": "an Anthropic API key",
  "anthropic-oauth": "a Claude sign-in (OAuth) token",
  chatgpt: "a ChatGPT sign-in",
  "google-key": "a Google API key",
  "google-bearer": "a Google access token",
  bearer: "a bearer token",
};

const FAMILY_NAMES: Readonly<Record<RouteFamily, string>> = {
  messages: "the Anthropic Messages API",
  chat: "the OpenAI Chat Completions API",
  responses: "the OpenAI Responses API",
  models: "the model list",
  "v1-other": "this /v1 path",
  vertex: "Vertex AI (/v1/projects/…)",
  v1internal: "Google Cloud Code (/v1/v1internal:…)",
  gemini: "the Gemini API (/v1beta/…, /v1/models/{model}:{method})",
};

/** The API whose error shape a refusal of this family and these credentials answers in. */
function refusalShape(family: RouteFamily, kinds: readonly CredentialKind[]): Provider | "google" {
  if (family === "messages") return "anthropic";
  if (family === "chat" || family === "responses") return "openai";
  if (family === "vertex" || family === "v1internal" || family === "gemini") return "google";
  if (kinds.some((kind) => kind.startsWith("anthropic"))) return "anthropic";
  if (kinds.length > 0 && kinds.every((kind) => kind.startsWith("google"))) return "google";
  return "openai";
}

function refuse(family: RouteFamily, kinds: readonly CredentialKind[], why: string): Refusal {
  return {
    family,
    shape: refusalShape(family, kinds),
    message: `headroom did not forward this request: ${why}. Nothing was sent upstream.`,
  };
}

/**
 * Routes a request by its path, its credentials and, for paths both providers serve, the
 * provider its other headers name (`byHeaders`). Returns the route, or the refusal.
 */
export function routeRequest(
  path: string,
  credentials: Credentials,
  byHeaders: Provider,
): Route | Refusal {
  const family = routeFamily(path);
  if (family === undefined) {
    return { family, shape: byHeaders, message: `No such route in headroom: ${path}` };
  }
  const row = ROUTES[family];
  const { kinds } = credentials;
  let chosen: Upstream | undefined;
  for (const column of kinds.length > 0 ? kinds : (["none"] as const)) {
    const cell = row[column];
    const upstream = cell === "by-headers" ? byHeaders : cell;
    if (upstream === undefined) {
      const what = column === "none" ? "a request without credentials" : KIND_NAMES[column];
      return refuse(
        family,
        kinds,
        `headroom has no upstream for ${what} on ${FAMILY_NAMES[family]}`,
      );
    }
    if (chosen !== undefined && chosen !== upstream) {
      const names = kinds.map((kind) => KIND_NAMES[kind]).join(" and ");
      return refuse(family, kinds, `it carries ${names}, which belong to different providers`);
    }
    chosen = upstream;
  }
  // The loop ran at least once ("none" when there are no kinds), so a route was chosen.
  const upstream = chosen as Upstream;
  return { family, upstream, path: upstreamPath(family, upstream, path) };
}

/** True when `decision` is a refusal. */
export function isRefusal(decision: Route | Refusal): decision is Refusal {
  return "message" in decision;
}
