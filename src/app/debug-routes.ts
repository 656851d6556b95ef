/**
 * GET /debug/memory (loopback only): the process's memory and the bounded stores' share of it,
 * in the shape the original Headroom's SDKs read (headroom-ai's `memoryUsage()`). Sizes are MB.
 * @module
 */

import { Hono } from "hono";
import type { AppDeps } from "./deps.ts";
import type { HeadroomEnv } from "./hono-env.ts";
import { localOnly } from "./local-only.ts";

const MB = 1024 * 1024;

function mb(bytes: number): number {
  return Math.round((bytes / MB) * 100) / 100;
}

/** Creates the debug routes. */
export function debugRoutes(deps: AppDeps): Hono<HeadroomEnv> {
  const app = new Hono<HeadroomEnv>();
  app.get("/debug/memory", localOnly(), (c) => {
    const memory = deps.memoryUsage();
    const originals = deps.originals.stats();
    const cache = deps.responseCache?.stats();
    // The stores whose size headroom bounds: each one's bytes against its cap.
    const components: Record<string, { memory_mb: number; budget_mb: number }> = {
      ccr_originals: { memory_mb: mb(originals.bytes), budget_mb: mb(originals.maxBytes) },
      ...(cache
        ? { response_cache: { memory_mb: mb(cache.bytes), budget_mb: mb(cache.maxBytes) } }
        : {}),
    };
    const values = Object.values(components);
    return c.json({
      process_memory: {
        rss: mb(memory.rss),
        // Neither Bun nor Deno reports the virtual size; the JS heap is what they do report.
        vms: null,
        heap_used: mb(memory.heapUsed),
        percent:
          memory.totalMemory && memory.totalMemory > 0
            ? Math.round((memory.rss / memory.totalMemory) * 10_000) / 100
            : null,
      },
      components,
      total_tracked_mb: mb(values.reduce((sum, part) => sum + part.memory_mb * MB, 0)),
      target_budget_mb: mb(values.reduce((sum, part) => sum + part.budget_mb * MB, 0)),
    });
  });
  return app;
}
