/**
 * The response cache's key: a hash over everything that shapes an answer (the upstream URL, the
 * API, the provider headers that change behaviour, and the request body with its keys sorted),
 * plus the caller's credentials so one user's answers are never served to another. Fields that
 * only tag a request (`metadata`, OpenAI's `user`) are left out so identical questions match.
 * @module
 */

import { callerCredential } from "./caller-credential.ts";

const IGNORED_FIELDS = new Set(["metadata", "user", "prompt_cache_key", "safety_identifier"]);
const SHAPING_HEADERS = [
  "anthropic-version",
  "anthropic-beta",
  "openai-beta",
  "openai-organization",
  "openai-project",
];

/** JSON with object keys sorted at every level, so equal values give equal text. */
function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/** The cache key of one request. */
export function responseCacheKey(
  request: { upstreamUrl: string; api: string; headers: Headers; body: Record<string, unknown> },
  sha256: (text: string) => string,
): string {
  const body = Object.fromEntries(
    Object.entries(request.body).filter(([key]) => !IGNORED_FIELDS.has(key)),
  );
  const credential = callerCredential(request.headers);
  const headers = SHAPING_HEADERS.map((name) => `${name}=${request.headers.get(name) ?? ""}`).join(
    "\n",
  );
  return sha256(
    [request.api, request.upstreamUrl, sha256(credential), headers, canonicalJson(body)].join(
      "\n\u0000\n",
    ),
  );
}
