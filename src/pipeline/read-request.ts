/**
 * The first stage: admit the request (rate limit) and read its body: bounded, decoded and, for a
 * generation API, parsed as the JSON object it must be. Each refusal is thrown as a ProxyError.
 * @module
 */

import {
  BodyProblem,
  decodeBody,
  type JsonBody,
  parseJsonObject,
  type RawBody,
  readBody,
} from "../core/body.ts";
import { callerCredential } from "../core/caller-credential.ts";
import { ProxyError } from "../core/errors.ts";
import type { ClientRequest } from "./client-request.ts";
import type { PipelineDeps } from "./deps.ts";
import { ClientAborted } from "./upstream-call.ts";

/** The refusal for a body (or header) that cannot be used as sent. */
export function rejected(problem: BodyProblem): ProxyError {
  return new ProxyError(problem.status, "rejected", problem.message);
}

/** Refuses a client (its credentials and address) over its per-minute allowance, when on. */
export function admit(deps: PipelineDeps, request: ClientRequest): void {
  const perMinute = deps.config.rateLimitRpm;
  if (perMinute <= 0) return;
  const credential = callerCredential(request.raw.headers);
  const key = `${deps.sha256(credential)}|${request.conn?.remoteAddress ?? ""}`;
  const wait = deps.rateLimiter.take(key, perMinute);
  if (wait === 0) return;
  throw new ProxyError(
    429,
    "rejected",
    `Rate limited by headroom: at most ${perMinute} requests a minute`,
    { headers: { "retry-after": String(wait) } },
  );
}

/** True for `application/json` and any `application/…+json`, whatever the parameters. */
function isJsonType(header: string): boolean {
  const type = header.split(";")[0]!.trim().toLowerCase();
  return type === "application/json" || (type.startsWith("application/") && type.endsWith("+json"));
}

/**
 * Refuses a generation body labelled as something other than JSON (text/plain, the form that
 * `curl -d` sends) instead of reading it as JSON anyway. No content-type at all is read as JSON:
 * some clients send none.
 */
export function requireJson(request: ClientRequest): void {
  const header = request.raw.headers.get("content-type");
  if (header === null || isJsonType(header)) return;
  const named = JSON.stringify(header.slice(0, 100));
  throw new ProxyError(
    415,
    "rejected",
    `headroom reads this endpoint's body as JSON; send it with content-type: application/json (got ${named})`,
  );
}

/** Reads the raw body; a read that fails means the client went away while uploading it. */
export async function readClientBody(deps: PipelineDeps, request: ClientRequest): Promise<RawBody> {
  let body: RawBody | BodyProblem;
  try {
    body = await readBody(request.raw, deps.config.maxBodyBytes);
  } catch (error) {
    const message = (error as Error)?.message ?? String(error);
    throw new ClientAborted(`The client went away: ${message}`);
  }
  if (body instanceof BodyProblem) throw rejected(body);
  return body;
}

/** Decodes and parses a generation request's body. */
export function parseGeneration(deps: PipelineDeps, body: RawBody): JsonBody {
  const decoded = decodeBody(body, deps.decodeBody, deps.config.maxBodyBytes);
  if (decoded instanceof BodyProblem) throw rejected(decoded);
  const json = parseJsonObject(decoded);
  if (json instanceof BodyProblem) throw rejected(json);
  return json;
}
