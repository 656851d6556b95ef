/**
 * The `/p/<project>/` path prefix of the original Headroom: `/p/myrepo/v1/messages` is served as
 * `/v1/messages` with project `myrepo`, so base URLs written for the original keep working and
 * their savings keep their project. Applied before routing, to every request.
 * @module
 */

import { projectLabel, rememberPrefixProject } from "../core/project.ts";

/** Where a URL's path starts ("http://h:1/x" → 8), or -1. */
function pathStart(url: string): number {
  const scheme = url.indexOf("://");
  return scheme < 0 ? -1 : url.indexOf("/", scheme + 3);
}

/** The request without its project prefix, or itself when it has none. */
export function withoutProjectPrefix(request: Request): Request {
  const url = request.url;
  const start = pathStart(url);
  if (start < 0 || !url.startsWith("/p/", start)) return request;
  const end = url.indexOf("/", start + 3);
  if (end < 0) return request;
  const segment = url.slice(start + 3, end);
  let name: string | undefined;
  try {
    name = projectLabel(decodeURIComponent(segment));
  } catch {
    name = undefined;
  }
  if (name === undefined) return request;
  const init: RequestInit & { duplex?: "half" } = {
    method: request.method,
    headers: request.headers,
    signal: request.signal,
  };
  if (request.body !== null) {
    init.body = request.body;
    init.duplex = "half";
  }
  const rewritten = new Request(url.slice(0, start) + url.slice(end), init);
  rememberPrefixProject(rewritten.headers, name);
  return rewritten;
}
