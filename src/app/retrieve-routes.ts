/**
 * The retrieval endpoints (loopback only): an original by hash (503 while its store cannot be
 * read), the store's statistics, and a helper that answers a headroom_retrieve tool call for
 * agent frameworks that run tools themselves.
 * @module
 */

import { type Context, Hono } from "hono";
import { geminiAnswerPart } from "../ccr/gemini-retrieval.ts";
import { itemCount } from "../ccr/item-count.ts";
import type { OriginalStore } from "../ccr/original-store.ts";
import {
  answerRetrieveCall,
  lookUp,
  normalizeHash,
  type RetrieveAnswer,
} from "../ccr/retrieval-result.ts";
import { isOriginalHash } from "../compress/marker.ts";
import { RETRIEVE_TOOL_NAME } from "../compress/slots.ts";
import { countTokensAsync } from "../compress/tokens.ts";
import type { Json } from "../core/json-value.ts";
import { tenantScoped } from "../pipeline/tenant.ts";
import type { AppDeps } from "./deps.ts";
import type { HeadroomEnv } from "./hono-env.ts";
import { localOnly, notFoundResponse } from "./local-only.ts";

function problem(status: 400 | 404 | 503, type: string, message: string): Response {
  return Response.json(
    { error: { type, message } },
    { status, ...(status === 503 ? { headers: { "retry-after": "5" } } : {}) },
  );
}

/** The JSON answer for one hash: the original with its figures, or a 404 saying why not. */
async function originalResponse(store: OriginalStore, raw: unknown): Promise<Response> {
  const hash = typeof raw === "string" && isOriginalHash(raw) ? raw : undefined;
  if (!hash)
    return problem(
      400,
      "invalid_request",
      'Expected "hash": the 24 lowercase hex digits from a headroom marker',
    );
  await store.load?.([hash]);
  const entry = lookUp(store, hash);
  if (!("content" in entry)) {
    if (entry.status === "unavailable")
      return problem(
        503,
        "store_unavailable",
        `The original store cannot be read right now (${entry.code}); try again shortly`,
      );
    const hours = Math.round((store.ttlSeconds / 3600) * 10) / 10;
    return entry.status === "expired"
      ? problem(
          404,
          "expired",
          `The original for hash ${hash} expired after ${entry.ageSeconds} seconds (originals are kept ${hours} hours)`,
        )
      : problem(
          404,
          "not_found",
          `No original is stored for hash ${hash} (it was never stored, or was evicted or purged)`,
        );
  }
  return Response.json({
    hash,
    original_content: entry.content,
    original_tokens: await countTokensAsync(entry.content, "gpt-4o"),
    // Counted here, off the request path (the proxy stores only the compressed form's count).
    original_item_count: entry.originalItems ?? itemCount(entry.content),
    compressed_item_count: entry.keptItems ?? null,
    tool_name: entry.toolName ?? null,
    retrieval_count: entry.retrievalCount,
  });
}

/** The providers whose tool calls /v1/retrieve/tool_call reads ("google" is Gemini's alias). */
const TOOL_CALL_PROVIDERS = ["anthropic", "openai", "responses", "gemini", "google"];

/** A Gemini `functionCall` (a whole part `{functionCall: {...}}`, or the call itself). */
function parseGeminiCall(call: Json): { id: string; hash: unknown } | undefined {
  const fn = (call.functionCall as Json | undefined) ?? call;
  if (fn.name !== RETRIEVE_TOOL_NAME) return undefined;
  const args = fn.args as Json | undefined;
  return { id: typeof fn.id === "string" ? fn.id : "", hash: args?.hash };
}

/** Reads the id and hash of a headroom_retrieve call in any provider's shape. */
function parseToolCall(call: Json, provider: string): { id: string; hash: unknown } | undefined {
  if (provider === "gemini" || provider === "google") return parseGeminiCall(call);
  const fn = call.function as Json | undefined;
  const name = fn?.name ?? call.name;
  if (name !== RETRIEVE_TOOL_NAME) return undefined;
  const id = String(call.id ?? call.call_id ?? "");
  if (provider === "anthropic") return { id, hash: (call.input as Json | undefined)?.hash };
  const args = fn?.arguments ?? call.arguments;
  try {
    return {
      id,
      hash: (typeof args === "string" ? (JSON.parse(args) as Json) : (args as Json | undefined))
        ?.hash,
    };
  } catch {
    return { id, hash: undefined };
  }
}

function toolResult(provider: string, answer: RetrieveAnswer): Json {
  const { id, text: content } = answer;
  if (provider === "gemini" || provider === "google") return geminiAnswerPart(answer);
  if (provider === "openai") return { role: "tool", tool_call_id: id, content };
  if (provider === "responses")
    return { type: "function_call_output", call_id: id, output: content };
  return { type: "tool_result", tool_use_id: id, content };
}

async function readJson(c: Context<HeadroomEnv>): Promise<Json | undefined> {
  try {
    const body = await c.req.json();
    return body !== null && typeof body === "object" && !Array.isArray(body)
      ? (body as Json)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Creates the retrieval routes. */
export function retrieveRoutes(deps: AppDeps): Hono<HeadroomEnv> {
  const app = new Hono<HeadroomEnv>();
  app.use("/v1/retrieve", localOnly());
  app.use("/v1/retrieve/*", localOnly());

  app.get("/v1/retrieve/stats", (c) => {
    const stats = deps.originals.stats();
    const lookups = stats.hits + stats.misses;
    return c.json({
      backend: stats.backend,
      entries: stats.entries,
      bytes: stats.bytes,
      size_cap_bytes: stats.maxBytes,
      ttl_seconds: stats.ttlSeconds,
      hits: stats.hits,
      misses: stats.misses,
      hit_rate: lookups === 0 ? 0 : Math.round((stats.hits / lookups) * 10_000) / 10_000,
      evictions: stats.evictions,
      expired: stats.expired,
      // The original Headroom's nested shape, which its SDKs read (getCCRStats()). The cap is in
      // bytes, not entries, and token totals are not kept, so those are left out.
      store: {
        entries: stats.entries,
        entry_count: stats.entries,
        bytes_used: stats.bytes,
        max_bytes: stats.maxBytes,
        default_ttl_seconds: stats.ttlSeconds,
        retrievals: stats.hits,
        total_retrievals: stats.hits,
        backend: {
          backend_type: stats.backend,
          entry_count: stats.entries,
          bytes_used: stats.bytes,
        },
      },
      recent_retrievals: stats.recentRetrievals.map((event) => ({
        hash: event.hash,
        found: event.found,
        tool_name: event.toolName ?? null,
        at: event.at,
        query: null,
        retrieval_type: "full",
      })),
    });
  });

  app.post("/v1/retrieve/tool_call", async (c) => {
    const body = await readJson(c);
    const provider = typeof body?.provider === "string" ? body.provider : "anthropic";
    if (!TOOL_CALL_PROVIDERS.includes(provider)) {
      return problem(
        400,
        "invalid_request",
        'provider must be "anthropic", "openai", "responses" or "gemini" (alias "google")',
      );
    }
    const call = body?.tool_call;
    const parsed =
      call !== null && typeof call === "object" ? parseToolCall(call as Json, provider) : undefined;
    if (!parsed)
      return problem(400, "invalid_request", "tool_call is not a headroom_retrieve call");
    const hash = normalizeHash(parsed.hash) ?? null;
    const originals = tenantScoped(deps, c.req.raw.headers).originals;
    if (hash) await originals.load?.([hash]);
    const answer = answerRetrieveCall(originals, parsed);
    return c.json({
      tool_result: toolResult(provider, answer),
      success: answer.found,
      data: answer.found ? { hash, original_content: answer.text } : { hash, error: answer.text },
    });
  });

  // On a team's shared store the caller sees its own tenant's originals (its credential or
  // tenant header, as on its model requests).
  app.get("/v1/retrieve/:hash", (c) =>
    originalResponse(tenantScoped(deps, c.req.raw.headers).originals, c.req.param("hash")),
  );

  app.post("/v1/retrieve", async (c) => {
    const body = await readJson(c);
    if (!body) return problem(400, "invalid_request", 'Expected a JSON object {"hash": "..."}');
    return originalResponse(tenantScoped(deps, c.req.raw.headers).originals, body.hash);
  });

  // headroom's own paths are never forwarded upstream, whatever the method.
  app.all("/v1/retrieve", (c) => notFoundResponse(c.req.raw));
  app.all("/v1/retrieve/*", (c) => notFoundResponse(c.req.raw));
  return app;
}
