/**
 * The tenant a request belongs to on stores a team shares: the configured header's value
 * (`HEADROOM_TENANT_HEADER`), or else the caller's credential, hashed, never kept. Its
 * decisions, originals and hidden calls are its own (see store/tenant-views.ts); local stores
 * serve one user and have no tenants.
 * @module
 */

import { callerCredential } from "../core/caller-credential.ts";
import type { PipelineDeps } from "./deps.ts";

/** `deps` with the stores as the request's tenant sees them (`deps` itself without tenants). */
export function tenantScoped(deps: PipelineDeps, headers: Headers): PipelineDeps {
  const { decisions, originals, hiddenCalls } = deps;
  if (!decisions.forTenant && !originals.forTenant && !hiddenCalls.forTenant) return deps;
  const header = deps.config.tenantHeader;
  const who = header ? (headers.get(header) ?? "") : callerCredential(headers);
  const tenant = deps.sha256(`tenant\u0000${who}`).slice(0, 16);
  // A view over deps, so its live settings stay live.
  return Object.assign(Object.create(deps) as PipelineDeps, {
    decisions: decisions.forTenant?.(tenant) ?? decisions,
    originals: originals.forTenant?.(tenant) ?? originals,
    hiddenCalls: hiddenCalls.forTenant?.(tenant) ?? hiddenCalls,
  });
}
