/**
 * Turns an upstream response into the client's response: same status, cleaned headers, the body
 * relayed chunk by chunk, and usage read on the side for the exchange record.
 * @module
 */

import type { Api } from "../core/api.ts";
import { ProxyError } from "../core/errors.ts";
import type { Exchange } from "../core/exchange.ts";
import { awaitFirstChunk, type FirstChunk } from "../core/first-chunk.ts";
import { clientResponseHeaders } from "../core/headers.ts";
import { relayBody } from "../core/relay.ts";
import { foldStreamUsage, usageFromBody } from "../core/usage.ts";
import type { PipelineDeps } from "./deps.ts";
import { finishExchange } from "./finish-exchange.ts";
import {
  recordBytesOut,
  recordFirstByte,
  recordFlowing,
  recordOutcome,
  recordStatus,
  recordUsage,
} from "./recorder.ts";
import { ClientAborted } from "./upstream-call.ts";

// Non-streamed answers larger than this are relayed without reading their usage.
const USAGE_BODY_LIMIT = 8 * 1024 * 1024;

const utf8 = new TextDecoder();

/** Options of {@link relayResponse}. */
export interface RelayResponseOptions {
  /** Headers headroom adds to the client's response (x-headroom-*). */
  readonly extraHeaders?: Headers | undefined;
}

/** The failure of an upstream body that failed before its first byte. */
function failedBeforeAnyByte(failure: Exclude<FirstChunk, { ok: true }>): ProxyError {
  if (failure.reason === "aborted") return new ClientAborted(failure.message);
  return new ProxyError(failure.reason === "timeout" ? 504 : 502, "failed", failure.message);
}

/**
 * Relays `upstream` to the client and finishes `exchange` when the body ends. Throws a
 * ProxyError when the body fails before its first byte (nothing reached the client yet).
 */
export async function relayResponse(
  deps: PipelineDeps,
  exchange: Exchange,
  upstream: Response,
  options: RelayResponseOptions = {},
): Promise<Response> {
  const status = upstream.status;
  recordStatus(exchange, status);
  const headers = clientResponseHeaders(upstream.headers);
  if (options.extraHeaders)
    for (const [name, value] of options.extraHeaders) headers.set(name, value);
  const api: Api | undefined = exchange.api;
  const generation = api !== undefined && api !== "passthrough";
  const isSse = (upstream.headers.get("content-type") ?? "").includes("text/event-stream");
  const settledOutcome = status < 400 ? "ok" : "upstream_error";
  const first = upstream.body
    ? await awaitFirstChunk(upstream.body, deps.config.upstreamTimeoutMs)
    : undefined;
  if (first && !first.ok) throw failedBeforeAnyByte(first);
  if (!first?.chunk) {
    recordOutcome(exchange, settledOutcome);
    return new Response(null, { status, statusText: upstream.statusText, headers });
  }
  if (isSse) headers.set("x-accel-buffering", "no");
  recordFlowing(exchange);
  // Bun's fetch decodes a compressed body, so a content-length is only the body's when the
  // upstream sent it unencoded.
  const length = upstream.headers.has("content-encoding")
    ? undefined
    : Number(upstream.headers.get("content-length") ?? Number.NaN);
  const body = relayBody(first.chunk, first.reader, {
    ...(length !== undefined ? { length } : {}),
    ...(isSse && generation ? { sseApi: api } : {}),
    idleTimeoutMs: deps.config.upstreamTimeoutMs,
    collectLimit: !isSse && generation && status < 400 ? USAGE_BODY_LIMIT : 0,
    onFirstByte() {
      recordFirstByte(exchange);
    },
    ...(generation ? { onEvent: (event) => foldStreamUsage(api, event, exchange.usage) } : {}),
    onEnd(outcome) {
      recordBytesOut(exchange, outcome.bytes);
      if (outcome.collected && generation) {
        try {
          recordUsage(exchange, usageFromBody(api, JSON.parse(utf8.decode(outcome.collected))));
        } catch {
          // Not JSON after all: the usage stays unknown.
        }
      }
      const end =
        outcome.end === "complete"
          ? settledOutcome
          : outcome.end === "aborted"
            ? "aborted"
            : "failed";
      recordOutcome(exchange, end, outcome.error || undefined);
      finishExchange(deps, exchange);
    },
  });
  return new Response(body, { status, statusText: upstream.statusText, headers });
}
