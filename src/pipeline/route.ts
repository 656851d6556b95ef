/**
 * The route table applied to one request (src/core/routes.ts): which upstream it goes to, or why
 * it goes nowhere, and the headers that route needs beyond the client's own.
 * @module
 */

import { providerForCredentials } from "../core/api.ts";
import { type Credentials, credentialsOf } from "../core/credentials.ts";
import { ProxyError } from "../core/errors.ts";
import { isRefusal, type Refusal, type Route, routeRequest } from "../core/routes.ts";
import { type ClientRequest, rawQuery } from "./client-request.ts";

/** A request's route, with the credentials it was chosen for. */
export interface RoutedRequest {
  readonly route: Route;
  readonly credentials: Credentials;
}

/** A refused route as the pipeline answers it: a 404 sent nowhere, outside the ledger. */
export class RouteRefused extends ProxyError {
  override name = "RouteRefused";
  constructor(readonly refusal: Refusal) {
    super(404, "local", refusal.message);
  }
}

/** Routes `request`; throws {@link RouteRefused} when the table refuses it. */
export function routeOf(request: ClientRequest): RoutedRequest {
  const headers = request.raw.headers;
  const credentials = credentialsOf(headers, rawQuery(request.raw.url));
  const decision = routeRequest(request.path, credentials, providerForCredentials(headers));
  if (isRefusal(decision)) throw new RouteRefused(decision);
  return { route: decision, credentials };
}

/**
 * Codex's hint that it wants a lighter Responses mode: meant for OpenAI's own edge, it is dropped
 * on the way up, as the original Headroom drops it.
 */
const CODEX_LITE_HEADER = "x-openai-internal-codex-responses-lite";

/** Adds and drops what the route needs on top of header hygiene (src/core/headers.ts). */
export function applyRouteHeaders(headers: Headers, routed: RoutedRequest): void {
  if (routed.route.family === "responses") headers.delete(CODEX_LITE_HEADER);
  const accountId = routed.credentials.chatgptAccountId;
  // The ChatGPT backend needs the account the token belongs to; Codex sends it, other clients
  // may not, and the token's own claim names it.
  if (routed.route.upstream === "chatgpt" && accountId && !headers.has("chatgpt-account-id")) {
    headers.set("chatgpt-account-id", accountId);
  }
}
