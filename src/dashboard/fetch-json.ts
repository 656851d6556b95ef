/**
 * Reads a JSON answer of this origin, giving up after {@link TIMEOUT_MS}.
 * @module
 */

import { TIMEOUT_MS } from "./state.ts";

/** A non-2xx answer: the page tells "not answering" apart from "answered with an error". */
class HttpError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

/** The HTTP status of a failed read, undefined when nothing answered. */
export function statusOf(error: unknown): number | undefined {
  return error instanceof HttpError ? error.status : undefined;
}

export async function getJson<T>(path: string): Promise<T> {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), TIMEOUT_MS);
  let res: Response;
  try {
    res = await fetch(path, {
      cache: "no-store",
      credentials: "same-origin",
      signal: ctrl.signal,
      headers: { accept: "application/json" },
    });
  } finally {
    // The timeout covers waiting for an answer, not reading its body.
    clearTimeout(timer);
  }
  if (!res.ok) throw new HttpError(res.status);
  return (await res.json()) as T;
}
