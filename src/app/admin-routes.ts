/**
 * The admin routes (loopback only): live settings through /admin/runtime-env, and where each
 * provider's upstream URL comes from through /admin/upstream.
 * @module
 */

import { Hono } from "hono";
import type { AppDeps } from "./deps.ts";
import type { HeadroomEnv } from "./hono-env.ts";
import { localOnly } from "./local-only.ts";

/** Creates the admin routes. */
export function adminRoutes(deps: AppDeps): Hono<HeadroomEnv> {
  const app = new Hono<HeadroomEnv>();
  const guard = localOnly();

  app.get("/admin/runtime-env", guard, (c) =>
    c.json({ overrides: deps.settings.overrides(), runtime_env: deps.settings.describe() }),
  );

  app.post("/admin/runtime-env", guard, async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      body = undefined;
    }
    if (body === null || typeof body !== "object" || Array.isArray(body)) {
      return c.json(
        {
          error: {
            type: "invalid_request",
            message: 'Expected a JSON object of {"HEADROOM_NAME": "value" | null}',
          },
        },
        400,
      );
    }
    const change = deps.settings.apply(body as Record<string, unknown>);
    // Names only: values never reach the log.
    deps.log.info("runtime settings changed", {
      applied: Object.keys(change.applied).join(",") || undefined,
      rejected: Object.keys(change.rejected).join(",") || undefined,
      restart_required: change.restartRequired.join(",") || undefined,
    });
    return c.json({
      applied: change.applied,
      rejected: change.rejected,
      restart_required: change.restartRequired,
      unchanged: change.unchanged,
      runtime_env: deps.settings.describe(),
    });
  });

  app.get("/admin/upstream", guard, (c) => {
    const { openai, anthropic, chatgpt } = deps.config.upstreams;
    return c.json({
      openai: { url: openai.url, source: openai.source },
      anthropic: { url: anthropic.url, source: anthropic.source },
      chatgpt: { url: chatgpt.url, source: chatgpt.source },
    });
  });

  app.post("/cache/clear", guard, (c) => {
    if (!deps.responseCache) return c.json({ status: "disabled", entries_removed: 0 });
    return c.json({ status: "cleared", entries_removed: deps.responseCache.clear() });
  });

  return app;
}
