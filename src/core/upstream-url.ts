/**
 * Upstream base URLs: normalisation and joining with the inbound path and query.
 * @module
 */

/**
 * Parses an upstream URL: absolute, http(s), without query or fragment. A query is refused, not
 * dropped: it is usually a gateway's key, and losing it would send the request on without it.
 * @throws {TypeError} naming the value and what is wrong with it.
 */
function upstreamUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new TypeError(`Cannot use upstream URL "${value}": it is not an absolute URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError(`Cannot use upstream URL "${value}": only http and https are supported`);
  }
  if (url.search || url.hash) {
    throw new TypeError(
      `Cannot use upstream URL "${value}": it must not carry a query or fragment`,
    );
  }
  return url;
}

/**
 * Normalises a provider base URL: it must be http(s); a trailing slash and one trailing `/v1`
 * (or Gemini's `/v1beta`) are dropped because every inbound path already starts with it.
 * @throws {TypeError} when the value is not an absolute http(s) URL.
 */
export function normalizeBaseUrl(value: string): string {
  const url = upstreamUrl(value);
  let base = `${url.origin}${url.pathname}`.replace(/\/+$/, "");
  base = base.replace(/\/v1(beta)?$/, "");
  return base;
}

/** Joins a normalised base URL with an inbound path and its raw query string (kept verbatim). */
export function joinUpstreamUrl(base: string, path: string, rawQuery: string): string {
  return rawQuery ? `${base}${path}?${rawQuery}` : `${base}${path}`;
}

/** The WebSocket URL of an http(s) upstream URL: the same address with the ws(s) scheme. */
export function webSocketUrl(httpUrl: string): string {
  return httpUrl.replace(/^http(s?):/i, "ws$1:");
}

/**
 * The origin of a caller-given base URL (scheme, host, port; default ports dropped), as the
 * original Headroom reduces `x-headroom-base-url` on the chat and Responses routes: an Azure-style
 * base such as `https://r.openai.azure.com/openai/deployments/d` keeps only its host, and the path
 * comes from `x-headroom-original-path` or the route.
 * @throws {TypeError} when the value is not an absolute http(s) URL without query or fragment.
 */
export function originOf(value: string): string {
  return upstreamUrl(value).origin;
}

/**
 * The caller's `x-headroom-original-path` when it may replace `routePath`: an absolute path
 * (no scheme, host, query or fragment, no `..` segment) ending the way the route's path ends
 * (`/chat/completions`, `/responses`). Undefined otherwise, and the route's own path is used.
 */
export function originalPathFor(given: string | null, routePath: string): string | undefined {
  if (given === null) return undefined;
  const path = given.trim();
  if (!path.startsWith("/") || path.startsWith("//") || /[?#\\\s]/.test(path)) return undefined;
  if (path.split("/").some((segment) => segment === ".." || segment === ".")) return undefined;
  const ending = ["/chat/completions", "/responses"].find((end) => routePath.endsWith(end));
  return ending !== undefined && path.endsWith(ending) ? path : undefined;
}
