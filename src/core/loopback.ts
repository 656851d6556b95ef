/**
 * Loopback decisions for the control plane: the peer address and the Host header must both be
 * loopback, so neither a remote peer nor a DNS-rebound browser page can reach local-only routes.
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
