/**
 * Header hygiene between client, proxy and upstream.
 * @module
 */

// RFC 9110 §7.6.1 connection-specific headers, plus the legacy ones proxies still see.
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "trailers",
  "transfer-encoding",
  "upgrade",
]);

/** The prefix of headroom's own control headers: read by the proxy, never forwarded. */
const CONTROL_HEADER_PREFIX = "x-headroom-";

function connectionListed(headers: Headers): Set<string> {
  const listed = new Set<string>();
  const value = headers.get("connection");
  if (value) for (const name of value.split(",")) listed.add(name.trim().toLowerCase());
  return listed;
}

/**
 * Builds the headers sent upstream: everything the client sent (credentials, anthropic-*,
 * openai-*, user-agent, ...) except hop-by-hop headers, host, content-length, accept-encoding
 * (the runtime's fetch negotiates and decodes its own) and headroom's control headers.
 * `content-encoding` is kept only when the original encoded body is forwarded unchanged.
 */
export function upstreamRequestHeaders(
  incoming: Headers,
  options: { keepContentEncoding: boolean },
): Headers {
  const listed = connectionListed(incoming);
  const out = new Headers();
  incoming.forEach((value, name) => {
    if (
      HOP_BY_HOP.has(name) ||
      listed.has(name) ||
      name === "host" ||
      name === "content-length" ||
      name === "accept-encoding" ||
      name.startsWith(CONTROL_HEADER_PREFIX) ||
      (name === "content-encoding" && !options.keepContentEncoding)
    ) {
      return;
    }
    out.append(name, value);
  });
  return out;
}

/**
 * Builds the headers relayed to the client from an upstream response. The runtime's fetch has
 * already decoded the body, so content-encoding and content-length describe bytes the client
 * will never see and must go, together with hop-by-hop headers.
 */
export function clientResponseHeaders(upstream: Headers): Headers {
  const listed = connectionListed(upstream);
  const out = new Headers();
  upstream.forEach((value, name) => {
    if (
      HOP_BY_HOP.has(name) ||
      listed.has(name) ||
      name === "content-encoding" ||
      name === "content-length"
    ) {
      return;
    }
    out.append(name, value);
  });
  return out;
}
