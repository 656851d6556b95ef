/**
 * Who a request speaks for, as the provider will see it: every header a provider reads a
 * credential from, joined. An API key, a Claude subscription's OAuth bearer, a ChatGPT token or
 * a Google key each make a different caller, and so does a bearer sent next to a shared
 * gateway key. Only ever hashed (rate-limit buckets, the response cache key), never stored.
 * @module
 */

const CREDENTIAL_HEADERS = ["x-api-key", "authorization", "x-goog-api-key"] as const;

/** The caller's credentials as one string; empty fields where a header is absent. */
export function callerCredential(headers: Headers): string {
  return CREDENTIAL_HEADERS.map((name) => headers.get(name) ?? "").join("\n");
}
