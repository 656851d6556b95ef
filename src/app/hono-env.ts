/**
 * The Hono environment type shared by every route and middleware of the app.
 * @module
 */

import type { Exchange } from "../core/exchange.ts";
import type { ConnEnv } from "../pipeline/client-request.ts";

/** Bindings come from the runtime entry; variables are set by the edge middleware. */
export interface HeadroomEnv {
  Bindings: ConnEnv;
  Variables: { exchange: Exchange };
}
