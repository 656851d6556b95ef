/**
 * A request's project: the label its savings are attributed to. Taken from `x-headroom-project`
 * (or `x-headroom-project-id`), else from the `/p/<project>/` path prefix the original Headroom
 * accepts. Kept as given (case, spaces, any script): only control characters go, and the length
 * is capped, so a dashboard grouped by project shows the names people chose.
 * @module
 */

const MAX_PROJECT_LENGTH = 128;

/** Projects named by a path prefix, by the rewritten request's headers (see project-prefix.ts). */
const fromPrefix = new WeakMap<Headers, string>();

/** A project name as recorded, or undefined when nothing printable is left. */
export function projectLabel(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const label = value
    .replace(/\p{C}+/gu, "")
    .trim()
    .slice(0, MAX_PROJECT_LENGTH);
  return label || undefined;
}

/** Notes that the request with these headers named `project` in its path prefix. */
export function rememberPrefixProject(headers: Headers, project: string): void {
  fromPrefix.set(headers, project);
}

/** The project of a request: its header wins over its path prefix, as in the original. */
export function projectOf(headers: Headers): string | undefined {
  return (
    projectLabel(headers.get("x-headroom-project") ?? headers.get("x-headroom-project-id")) ??
    fromPrefix.get(headers)
  );
}
