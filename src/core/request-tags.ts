/**
 * What a caller says about itself in `x-headroom-*` headers, for the ledger: the user id, the
 * working directory, and free tags (`x-headroom-team: infra` → tag `team=infra`), as the original
 * Headroom records them. Headers headroom acts on are never tags.
 * @module
 */

const PREFIX = "x-headroom-";

/** x-headroom-* headers with a meaning of their own (control, routing, identity). */
const NOT_TAGS = new Set([
  "bypass",
  "mode",
  "session-id",
  "user-id",
  "project",
  "project-id",
  "cwd",
  "stack",
  "base-url",
  "original-path",
  "proxy-token",
]);

const MAX_TAGS = 16;
const MAX_KEY = 64;
const MAX_VALUE = 256;

/** A header value as recorded: control characters gone, trimmed, capped; undefined if empty. */
function recorded(value: string | null, max: number): string | undefined {
  if (value === null) return undefined;
  const text = value
    .replace(/\p{C}+/gu, "")
    .trim()
    .slice(0, max);
  return text || undefined;
}

/** The caller's user id (`x-headroom-user-id`). */
export function userIdOf(headers: Headers): string | undefined {
  return recorded(headers.get(`${PREFIX}user-id`), MAX_VALUE);
}

/** The caller's working directory (`x-headroom-cwd`). */
export function cwdOf(headers: Headers): string | undefined {
  return recorded(headers.get(`${PREFIX}cwd`), 1024);
}

/**
 * The caller's tags as a JSON object text (keys sorted, at most 16), or undefined when it sent
 * none. Headers arrive lower-cased, so keys are too.
 */
export function tagsOf(headers: Headers): string | undefined {
  const tags: [string, string][] = [];
  for (const [name, value] of headers) {
    if (!name.startsWith(PREFIX)) continue;
    const key = name.slice(PREFIX.length).slice(0, MAX_KEY);
    const text = recorded(value, MAX_VALUE);
    if (key === "" || NOT_TAGS.has(key) || text === undefined) continue;
    tags.push([key, text]);
  }
  if (tags.length === 0) return undefined;
  tags.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(Object.fromEntries(tags.slice(0, MAX_TAGS)));
}
