/**
 * When and how long to wait before retrying an upstream call that has not yet sent a byte.
 * @module
 */

/** Statuses worth a retry: rate limited (429) and Anthropic's overloaded (529). */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 529;
}

/**
 * Reads how long the upstream asks us to wait, from `retry-after-ms`, then `retry-after`
 * (seconds or an HTTP date). Returns undefined when absent or unreadable.
 */
export function retryAfterMs(headers: Headers, nowMs: number): number | undefined {
  const ms = headers.get("retry-after-ms");
  if (ms !== null && /^\s*\d+(\.\d+)?\s*$/.test(ms)) return Math.max(0, Number(ms));
  const value = headers.get("retry-after");
  if (value === null) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.max(0, Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/**
 * Exponential backoff with jitter: base·2^attempt, capped, scaled by a factor in [0.5, 1.5) drawn
 * from `random` (a number in [0, 1)) so many clients do not retry in lockstep.
 */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random: number): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.round(exponential * (0.5 + random));
}
