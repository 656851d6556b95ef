/**
 * Loopback decisions for the control plane: the peer address and the Host header must both be
 * loopback, so neither a remote peer nor a DNS-rebound browser page can reach local-only routes;
 * and what a browser says about the page behind a request (Origin, Sec-Fetch-Site).
 * @module
 */

/** True when `address` is an IPv4 127.0.0.0/8 address, ::1, or an IPv4-mapped loopback. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  let ip = address.toLowerCase();
  if (ip.startsWith("::ffff:")) ip = ip.slice(7);
  if (ip === "::1" || ip === "0:0:0:0:0:0:0:1") return true;
  const parts = ip.split(".");
  if (parts.length !== 4 || parts[0] !== "127") return false;
  return parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255);
}

// Headers a reverse proxy adds. Behind one on this machine every caller's socket is loopback;
// these say the caller is really somewhere else. A client on this machine never sends them.
const FORWARDING_HEADERS = ["forwarded", "x-forwarded-for", "x-forwarded-host", "x-real-ip"];

/**
 * True when the caller is on this machine: the peer address is loopback and no forwarding
 * header says the request came through a proxy from elsewhere.
 */
export function isLoopbackCaller(address: string | undefined, headers: Headers): boolean {
  if (!isLoopbackAddress(address)) return false;
  for (const name of FORWARDING_HEADERS) if (headers.has(name)) return false;
  return true;
}

/** True when a Host header (name or address, optional port) names this machine's loopback. */
export function isLoopbackHost(host: string | undefined | null): boolean {
  if (!host) return false;
  let name = host.trim().toLowerCase();
  if (name.startsWith("[")) {
    const end = name.indexOf("]");
    if (end < 0) return false;
    const rest = name.slice(end + 1);
    if (rest !== "" && !/^:\d{1,5}$/.test(rest)) return false;
    name = name.slice(1, end);
    return isLoopbackAddress(name);
  }
  // A bare IPv6 address (a --host value such as ::1) has several colons and no port.
  if (name.indexOf(":") !== name.lastIndexOf(":")) return isLoopbackAddress(name);
  const colon = name.indexOf(":");
  if (colon >= 0) {
    if (!/^\d{1,5}$/.test(name.slice(colon + 1))) return false;
    name = name.slice(0, colon);
  }
  if (name.endsWith(".")) name = name.slice(0, -1);
  return name === "localhost" || isLoopbackAddress(name);
}

/** True when an Origin header value is an http(s) origin on a loopback host. */
export function isLoopbackOrigin(origin: string): boolean {
  const match = /^https?:\/\/([^/?#]+)$/i.exec(origin.trim());
  return match !== null && isLoopbackHost(match[1]);
}

/**
 * The warning for a proxy listening on `host` beyond loopback without a proxy token (anyone who
 * can reach the port may use it), or undefined when there is nothing to warn about.
 */
export function exposureWarning(host: string, proxyToken: string | undefined): string | undefined {
  if (isLoopbackHost(host) || proxyToken) return undefined;
  return `headroom is listening on ${host}, reachable from other machines, and HEADROOM_PROXY_TOKEN is not set: anyone who can reach this port can use it. Set HEADROOM_PROXY_TOKEN or bind to 127.0.0.1.`;
}

/**
 * Why the proxy must not start, or undefined: a token is required (the container image, which
 * listens beyond loopback, says so) and none is set.
 */
export function missingTokenRefusal(config: {
  readonly requireProxyToken: boolean;
  readonly proxyToken: string | undefined;
}): string | undefined {
  if (!config.requireProxyToken || config.proxyToken) return undefined;
  return "HEADROOM_REQUIRE_PROXY_TOKEN is on but HEADROOM_PROXY_TOKEN is not set: set a long random token (e.g. openssl rand -hex 32), which every caller not on this machine must send in x-headroom-proxy-token";
}

/** True when a browser says a page off this machine sent the request: a non-loopback Origin. */
export function hasForeignOrigin(headers: Headers): boolean {
  const origin = headers.get("origin");
  // "null" (sandboxed frames, file: and data: pages) is foreign too.
  return origin !== null && !isLoopbackOrigin(origin);
}

/**
 * True when a browser says another site sent the request without naming itself: GETs from
 * <img>, <script> or a link carry no Origin, only Sec-Fetch-Site.
 */
export function isCrossSiteWithoutOrigin(headers: Headers): boolean {
  return (
    !headers.has("origin") && headers.get("sec-fetch-site")?.trim().toLowerCase() === "cross-site"
  );
}
