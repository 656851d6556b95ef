/**
 * Errors in each provider's own JSON shape, so the official SDKs parse what headroom answers.
 * @module
 */

import type { Api, Provider } from "./api.ts";
import type { ExchangeOutcome } from "./exchange.ts";

/**
 * A request headroom answers itself, with an error: the status, how the request is recorded, and
 * the message. The pipeline's stages throw it; one place turns it into the provider-shaped
 * response and the recorded outcome (src/pipeline/answer-failure.ts).
 */
export class ProxyError extends Error {
  override name = "ProxyError";
  constructor(
    readonly status: number,
    readonly outcome: Exclude<ExchangeOutcome, "ok" | "upstream_error">,
    message: string,
    readonly options: {
      /** Headers of the error response (retry-after). */
      readonly headers?: Record<string, string>;
      /** What the record and log line say, when it differs from what the client is told. */
      readonly recorded?: string;
    } = {},
  ) {
    super(message);
  }
}

/** Maps an HTTP status to the error type name each provider uses for it. */
function errorType(provider: Provider, status: number): string {
  if (provider === "anthropic") {
    if (status === 400 || status === 415 || status === 431) return "invalid_request_error";
    if (status === 401) return "authentication_error";
    if (status === 403) return "permission_error";
    if (status === 404) return "not_found_error";
    if (status === 413) return "request_too_large";
    if (status === 429) return "rate_limit_error";
    if (status === 504) return "timeout_error";
    return "api_error";
  }
  if (status >= 400 && status < 500)
    return status === 429 ? "rate_limit_error" : "invalid_request_error";
  return "server_error";
}

/**
 * The API whose error shape an answer takes: a provider's, or Google's (for the Google API paths
 * headroom refuses, so Google's clients read the refusal). Gemini answers in Google's shape too.
 */
export type ErrorShape = Provider | "google";

/** Google's canonical status names (google.rpc.Code), as the Gemini API reports them. */
function googleStatus(status: number): string {
  if (status === 400 || status === 413 || status === 415 || status === 431)
    return "INVALID_ARGUMENT";
  if (status === 401) return "UNAUTHENTICATED";
  if (status === 403) return "PERMISSION_DENIED";
  if (status === 404) return "NOT_FOUND";
  if (status === 429) return "RESOURCE_EXHAUSTED";
  if (status === 503 || status === 502) return "UNAVAILABLE";
  if (status === 504) return "DEADLINE_EXCEEDED";
  return "INTERNAL";
}

/** Google's error body: `{"error": {"code", "message", "status"}}`. */
function googleErrorBody(status: number, message: string): string {
  return JSON.stringify({ error: { code: status, message, status: googleStatus(status) } });
}

/** The JSON text of an error body in `provider`'s shape. */
function errorBody(provider: ErrorShape, status: number, message: string, code?: string): string {
  if (provider === "google" || provider === "gemini") return googleErrorBody(status, message);
  const type = errorType(provider, status);
  if (provider === "anthropic") {
    return JSON.stringify({ type: "error", error: { type, message } });
  }
  return JSON.stringify({ error: { message, type, param: null, code: code ?? null } });
}

/** An error response in `provider`'s shape. */
function errorResponse(
  provider: ErrorShape,
  status: number,
  message: string,
  options: { code?: string; headers?: Record<string, string> } = {},
): Response {
  return new Response(errorBody(provider, status, message, options.code), {
    status,
    headers: { "content-type": "application/json", ...options.headers },
  });
}

/**
 * The bytes that end a stream which failed after it started, in the form each API's clients
 * understand: Anthropic's `error` event, a chat `data:` line holding an error object, the
 * Responses API's `error` event, or a Gemini event holding Google's error object (the genai SDK
 * throws on a chunk with an `error` member).
 */
export function midStreamError(api: Api, message: string): string {
  if (api === "gemini") return `data: ${googleErrorBody(500, message)}\r\n\r\n`;
  if (api === "messages") {
    const body = JSON.stringify({ type: "error", error: { type: "api_error", message } });
    return `event: error\ndata: ${body}\n\n`;
  }
  if (api === "responses") {
    const body = JSON.stringify({ type: "error", code: "server_error", message, param: null });
    return `event: error\ndata: ${body}\n\n`;
  }
  const body = JSON.stringify({
    error: { message, type: "server_error", param: null, code: null },
  });
  return `data: ${body}\n\n`;
}

/** The response for `error`; a client that went away (499) gets no body. */
export function proxyErrorResponse(provider: ErrorShape, error: ProxyError): Response {
  if (error.status === 499) return new Response(null, { status: 499 });
  return errorResponse(
    provider,
    error.status,
    error.message,
    error.options.headers ? { headers: error.options.headers } : {},
  );
}
