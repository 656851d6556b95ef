/**
 * GET /dashboard: one self-contained HTML page (inline CSS and JS, no CDN, no fonts, no images)
 * that polls /stats, /stats-history and /transformations/feed from the same origin. The page is
 * passed in as a string so app/ never imports HTML; the CLI embeds it (src/assets.ts).
 * @module
 */

import { Hono } from "hono";
import type { HeadroomEnv } from "./hono-env.ts";

/** Inline script and style only; fetches to this origin only; nothing may frame the page. */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'unsafe-inline'",
  "style-src 'unsafe-inline'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** Creates the dashboard route serving `html`. */
export function dashboardRoute(html: string): Hono<HeadroomEnv> {
  const app = new Hono<HeadroomEnv>();
  app.get("/dashboard", () => {
    return new Response(html, {
      headers: {
        "content-type": "text/html; charset=utf-8",
        "content-security-policy": DASHBOARD_CSP,
        "cache-control": "no-store",
      },
    });
  });
  return app;
}
