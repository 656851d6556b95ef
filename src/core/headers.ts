/**
 * Header hygiene between client, proxy and upstream.
 *
 * Both directions copy the headers whole (one native copy) and then delete what must not pass:
 * under Bun that is several times cheaper than iterating the headers in JavaScript and appending
 * the keepers one by one, and it is paid on every request.
 * @module
 */

// RFC 9110 §7.6.1 connection-specific headers, plus the legacy ones proxies still see.
const HOP_BY_HOP = [
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
];

/** The prefix of headroom's own control headers: read by the proxy, never forwarded. */
const CONTROL_HEADER_PREFIX = "x-headroom-";

/** Deletes each of `names` present in `headers`. */
function drop(headers: Headers, names: Iterable<string>): void {
  for (const name of names) if (headers.has(name)) headers.delete(name);
}

/** A copy of `headers` without hop-by-hop headers, those the Connection header lists, and `also`. */
function copyWithout(headers: Headers, also: readonly string[]): Headers {
  const out = new Headers(headers);
  const listed = headers.get("connection");
  if (listed)
    drop(
      out,
      listed.split(",").map((name) => name.trim().toLowerCase()),
    );
  drop(out, HOP_BY_HOP);
  drop(out, also);
  return out;
}

const NEVER_UPSTREAM = ["host", "content-length", "accept-encoding"];
const NEVER_UPSTREAM_DECODED = [...NEVER_UPSTREAM, "content-encoding"];

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
  const out = copyWithout(
    incoming,
    options.keepContentEncoding ? NEVER_UPSTREAM : NEVER_UPSTREAM_DECODED,
  );
  const control: string[] = [];
  for (const name of out.keys()) if (name.startsWith(CONTROL_HEADER_PREFIX)) control.push(name);
  drop(out, control);
  return out;
}

const STALE_FOR_CLIENT = ["content-encoding", "content-length"];

/**
 * Builds the headers relayed to the client from an upstream response. The runtime's fetch has
 * already decoded the body, so content-encoding and content-length describe bytes the client
 * will never see and must go, together with hop-by-hop headers.
 */
export function clientResponseHeaders(upstream: Headers): Headers {
  return copyWithout(upstream, STALE_FOR_CLIENT);
}

// The handshake's own headers: the runtime's WebSocket client writes its own key, version and
// extensions, and the subprotocols travel as its `protocols`.
const SOCKET_HANDSHAKE = [
  "sec-websocket-key",
  "sec-websocket-version",
  "sec-websocket-extensions",
  "sec-websocket-protocol",
  "sec-websocket-accept",
];

/**
 * The headers of the upstream WebSocket handshake: the client's, cleaned as for an HTTP request
 * (hop-by-hop, host, headroom's control headers), minus the handshake's own.
 */
export function upstreamSocketHeaders(incoming: Headers): Headers {
  const out = upstreamRequestHeaders(incoming, { keepContentEncoding: false });
  drop(out, SOCKET_HANDSHAKE);
  return out;
}

/** The subprotocols a WebSocket handshake asks for, in order. */
export function socketProtocols(headers: Headers): string[] {
  const value = headers.get("sec-websocket-protocol");
  if (!value) return [];
  return value
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
}
