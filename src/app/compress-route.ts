/**
 * POST /v1/compress (loopback only): compresses the tool messages of an OpenAI chat-format
 * conversation without calling any model, for SDKs such as headroom-ai. Every tool message is a
 * candidate (no provider cache is at stake here). Answers the shape the README gives for this route.
 * @module
 */

import { Hono } from "hono";
import type { SlotEdit } from "../compress/compress-request.ts";
import type { DecisionStore } from "../compress/decisions.ts";
import { requestTokens } from "../compress/request-tokens.ts";
import { loadTokenizerFor } from "../compress/tokens.ts";
import { applySplices, locateValues, pathKey } from "../core/json-edit.ts";
import type { Json } from "../core/json-value.ts";
import { compressionSettings, isBypassed } from "../pipeline/compress-tool-outputs.ts";
import { compressToBudget, plainPlan } from "./compress-to-budget.ts";
import type { AppDeps } from "./deps.ts";
import type { HeadroomEnv } from "./hono-env.ts";
import { localOnly, notFoundResponse } from "./local-only.ts";

function problem(status: 400 | 500, type: string, message: string): Response {
  return Response.json({ error: { type, message } }, { status });
}

/** The answer for messages left as they are, with their token count. */
function unchanged(messages: unknown[], tokens: number): Record<string, unknown> {
  return {
    messages,
    tokens_before: tokens,
    tokens_after: tokens,
    tokens_saved: 0,
    compression_ratio: 1,
    transforms_applied: [],
    ccr_hashes: [],
  };
}

/** Creates the /v1/compress route. */
export function compressRoute(deps: AppDeps, decisions: DecisionStore): Hono<HeadroomEnv> {
  const app = new Hono<HeadroomEnv>();
  app.post("/v1/compress", localOnly(), async (c) => {
    let text: string;
    let body: Json;
    try {
      text = await c.req.text();
      body = JSON.parse(text);
    } catch {
      return problem(400, "invalid_request", "Invalid JSON in request body");
    }
    if (body === null || typeof body !== "object" || Array.isArray(body)) {
      return problem(400, "invalid_request", "The request body must be a JSON object");
    }
    if (!Array.isArray(body.messages))
      return problem(400, "invalid_request", "Missing required field: messages (an array)");
    if (typeof body.model !== "string" || body.model === "") {
      return problem(400, "invalid_request", "Missing required field: model");
    }
    const model = body.model;
    const config = (
      body.config !== null && typeof body.config === "object" ? body.config : {}
    ) as Json;
    if (config.query !== undefined && config.query !== null && typeof config.query !== "string")
      return problem(400, "invalid_request", "config.query must be a string");
    const budget = body.token_budget;
    if (
      budget !== undefined &&
      budget !== null &&
      (typeof budget !== "number" || !Number.isInteger(budget) || budget <= 0)
    )
      return problem(400, "invalid_request", "token_budget must be a positive integer");
    if (isBypassed(c.req.raw.headers) || !deps.config.optimize) {
      return c.json({
        messages: body.messages,
        tokens_before: 0,
        tokens_after: 0,
        tokens_saved: 0,
        compression_ratio: 1,
        transforms_applied: [],
        ccr_hashes: [],
      });
    }
    const settings = compressionSettings(deps.config);
    const lossy = typeof config.lossy === "boolean" ? config.lossy : settings.lossy;
    const messagesOnly = { messages: body.messages as Json[] };
    const query =
      typeof config.query === "string" && config.query.trim() ? config.query : undefined;
    try {
      await loadTokenizerFor(model);
      const listText = JSON.stringify(messagesOnly);
      const before = requestTokens("chat", messagesOnly, model);
      /** The messages with `edits` spliced into their text (every other byte as given). */
      const edited = (edits: readonly SlotEdit[]): Json => {
        const spans = locateValues(
          listText,
          edits.map((edit) => edit.slot.path),
        );
        const splices = edits.map((edit) => ({
          ...spans.get(pathKey(edit.slot.path))!,
          text: JSON.stringify(edit.text),
        }));
        return JSON.parse(applySplices(listText, splices)) as Json;
      };
      // A budget the messages already fit needs no compression: nothing is given up for it.
      if (typeof budget === "number" && before <= budget)
        return c.json({
          ...unchanged(body.messages, before),
          budget: { tokens: budget, fits: true, level: "none" },
        });
      const request = {
        body: messagesOnly,
        settings: { ...settings, lossy },
        decisions,
        query,
        signal: c.req.raw.signal,
      };
      const planned =
        typeof budget === "number"
          ? await compressToBudget(deps, request, budget, model, (edits) =>
              requestTokens("chat", edited(edits), model),
            )
          : { ...(await plainPlan(deps, request)), level: "default" };
      planned.commit();
      const compressed = edited(planned.edits);
      const after = requestTokens("chat", compressed, model);
      return c.json({
        messages: compressed.messages,
        tokens_before: before,
        tokens_after: after,
        tokens_saved: before - after,
        compression_ratio: before === 0 ? 1 : Math.round((after / before) * 10_000) / 10_000,
        transforms_applied: planned.edits.map((edit) => edit.strategy),
        ccr_hashes: [
          ...new Set(planned.edits.filter((edit) => edit.lossy).map((edit) => edit.hash)),
        ],
        ...(typeof budget === "number"
          ? { budget: { tokens: budget, fits: after <= budget, level: planned.level } }
          : {}),
      });
    } catch (error) {
      deps.log.error("compression endpoint failed", {
        error: (error as Error)?.message ?? String(error),
      });
      return problem(500, "compression_error", "Compression failed; the messages were not changed");
    }
  });
  // headroom's own path is never forwarded upstream, whatever the method.
  app.all("/v1/compress", (c) => notFoundResponse(c.req.raw));
  return app;
}
