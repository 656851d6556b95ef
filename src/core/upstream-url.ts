/**
 * Upstream base URLs: normalisation and joining with the inbound path and query.
 * @module
 */

/**
 * Normalises a provider base URL: it must be http(s); a trailing slash and one trailing `/v1`
 * (or Gemini's `/v1beta`) are dropped because every inbound path already starts with it.
 * @throws {TypeError} when the value is not an absolute http(s) URL.
 */
export function normalizeBaseUrl(value: string): string {
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
