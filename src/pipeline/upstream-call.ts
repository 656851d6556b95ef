/**
 * One upstream call with the retries that are safe before any byte reached the client:
 * connection failures, and 429/529 answers whose wait is short enough.
 * @module
 */

import { armDeadline } from "../core/deadlines.ts";
import { ProxyError } from "../core/errors.ts";
import { backoffMs, isRetryableStatus, retryAfterMs } from "../core/retry.ts";
import type { PipelineDeps } from "./deps.ts";

/** The upstream could not be reached after every attempt: 502. */
class UpstreamUnreachable extends ProxyError {
  override name = "UpstreamUnreachable";
  constructor(message: string) {
    super(502, "failed", message);
  }
}

/** The upstream sent no response headers within the configured timeout: 504. */
class UpstreamTimeout extends ProxyError {
  override name = "UpstreamTimeout";
  constructor(message: string) {
    super(504, "failed", message);
  }
}

/** The client went away while headroom was still working for it: 499, recorded as aborted. */
export class ClientAborted extends ProxyError {
  override name = "ClientAborted";
  constructor(message: string) {
    super(499, "aborted", message);
  }
}

/** What to send upstream. */
export interface UpstreamRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly body: Uint8Array | undefined;
}

/** Reports each attempt's connection result, for passive upstream health. */
export type AttemptObserver = (reachable: boolean) => void;

function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new ClientAborted("The client went away"));
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new ClientAborted("The client went away"));
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Sends `request`, retrying connection failures and short 429/529 waits. Resolves with the first
 * other response (any status). Rejects with {@link UpstreamUnreachable}, {@link UpstreamTimeout}
 * or {@link ClientAborted}.
 */
export async function callUpstream(
  deps: PipelineDeps,
  request: UpstreamRequest,
  clientSignal: AbortSignal,
  observe?: AttemptObserver,
): Promise<Response> {
  const { retryMaxAttempts, retryBaseDelayMs, retryMaxDelayMs, upstreamTimeoutMs } = deps.config;
  const sleep = deps.sleep ?? defaultSleep;
  const random = deps.random ?? Math.random;
  let lastError = "";
  // One client-abort hook and one timeout callback for the whole call, not per attempt: both
  // act on whichever attempt is in flight. Each attempt arms its own deadline on the shared
  // timer (src/core/deadlines.ts), not a timer of its own.
  let controller: AbortController | undefined;
  let timedOut = false;
  const onClientAbort = () => controller?.abort(clientSignal.reason);
  const onTimeout = () => {
    timedOut = true;
    controller?.abort(new UpstreamTimeout("timeout"));
  };
  clientSignal.addEventListener("abort", onClientAbort, { once: true });
  try {
    for (let attempt = 0; attempt < retryMaxAttempts; attempt++) {
      if (clientSignal.aborted) throw new ClientAborted("The client went away");
      controller = new AbortController();
      timedOut = false;
      const headersDeadline = armDeadline(upstreamTimeoutMs, onTimeout);
      let response: Response;
      try {
        response = await deps.fetch(request.url, {
          method: request.method,
          headers: request.headers,
          body: request.body,
          signal: controller.signal,
          redirect: "manual",
        });
      } catch (error) {
        headersDeadline.cancel();
        if (clientSignal.aborted) throw new ClientAborted("The client went away");
        if (timedOut) {
          throw new UpstreamTimeout(
            `The upstream sent no response within ${upstreamTimeoutMs / 1000} seconds`,
          );
        }
        observe?.(false);
        lastError = (error as Error)?.message ?? String(error);
        if (attempt + 1 < retryMaxAttempts) {
          await sleep(
            backoffMs(attempt, retryBaseDelayMs, retryMaxDelayMs, random()),
            clientSignal,
          );
        }
        continue;
      }
      headersDeadline.cancel();
      observe?.(true);
      if (isRetryableStatus(response.status) && attempt + 1 < retryMaxAttempts) {
        const asked = retryAfterMs(response.headers, Date.now());
        const wait = asked ?? backoffMs(attempt, retryBaseDelayMs, retryMaxDelayMs, random());
        if (wait <= retryMaxDelayMs) {
          await response.body?.cancel().catch(() => {});
          await sleep(wait, clientSignal);
          continue;
        }
      }
      // The hook stays: the client's abort must still reach the body while it is relayed.
      return response;
    }
  } catch (error) {
    clientSignal.removeEventListener("abort", onClientAbort);
    throw error;
  }
  clientSignal.removeEventListener("abort", onClientAbort);
  throw new UpstreamUnreachable(
    `Cannot reach the upstream after ${retryMaxAttempts} attempts: ${lastError}`,
  );
}
