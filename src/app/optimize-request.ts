/**
 * Applies compression to one generation request: asks the router what to rewrite, splices the
 * rewrites into the original JSON text (every other byte stays as sent), and afterwards counts
 * the exact token figures off the request path. Any failure forwards the original (fail open).
 * @module
 */

import type { CompressionSettings, RequestCompression } from "../compress/compress-request.ts";
import { markerHashes } from "../compress/marker.ts";
import { requestTokenFigures } from "../compress/request-tokens.ts";
import type { GenerationApi } from "../compress/slots.ts";
import { countTokens, loadTokenizerFor } from "../compress/tokens.ts";
import type { JsonBody } from "../core/body.ts";
import type { ProxyConfig } from "../core/config.ts";
import type { Exchange } from "../core/exchange.ts";
import { locateValues, pathKey, type Splice } from "../core/json-edit.ts";
import type { AppDeps } from "./deps.ts";
import { planCompression } from "./secure-originals.ts";

/** The router's settings as the configuration currently says. */
export function compressionSettings(config: ProxyConfig): CompressionSettings {
  return {
    lossy: config.lossy,
    budgetMs: config.compressionBudgetMs,
    minTokens: config.minTokens,
    minSavedTokens: config.minSavedTokens,
    minSavingsRatio: config.minSavingsRatio,
    errorProtectTokens: 2000,
    excludeTools: new Set(config.excludeTools),
  };
}

/** True when the client asked headroom to leave this request alone. */
export function isBypassed(headers: Headers): boolean {
  const bypass = headers.get("x-headroom-bypass")?.trim().toLowerCase();
  return (
    bypass === "true" ||
    bypass === "1" ||
    headers.get("x-headroom-mode")?.trim().toLowerCase() === "passthrough"
  );
}

/** A compression plan and the splices that apply it to the request text. */
export interface OptimizedBody {
  readonly plan: RequestCompression;
  readonly splices: Splice[];
}

/** The splices that put the plan's rewritten tool outputs into the body text. */
export function planSplices(text: string, plan: RequestCompression): Splice[] {
  const spans = locateValues(
    text,
    plan.edits.map((edit) => edit.slot.path),
  );
  return plan.edits.map((edit) => {
    const span = spans.get(pathKey(edit.slot.path));
    if (!span) throw new Error(`Cannot find the tool output at ${pathKey(edit.slot.path)}`);
    return { ...span, text: JSON.stringify(edit.text) };
  });
}

/**
 * Compresses `json` when compression applies; returns undefined to forward the original. Records
 * what it did on the exchange.
 */
export function optimizeRequest(
  deps: AppDeps,
  api: GenerationApi,
  json: JsonBody,
  exchange: Exchange,
  replayOnly = false,
): OptimizedBody | undefined {
  const started = performance.now();
  try {
    const { plan, commit } = planCompression(
      deps,
      api,
      json.value,
      compressionSettings(deps.config),
      deps.decisions,
      { replayOnly },
    );
    exchange.compressionMs = Math.round((performance.now() - started) * 100) / 100;
    if (plan.edits.length === 0) {
      commit();
      return undefined;
    }
    const splices = planSplices(json.text, plan);
    // Remembered only now: a request forwarded as sent after a failure remembers nothing.
    commit();
    exchange.transforms = [...new Set(plan.edits.map((edit) => edit.strategy))];
    exchange.markerHashes = [
      ...new Set(plan.edits.flatMap((edit) => (edit.lossy ? markerHashes(edit.text) : []))),
    ];
    exchange.compressionMs = Math.round((performance.now() - started) * 100) / 100;
    return { plan, splices };
  } catch (error) {
    exchange.compressionFailed = true;
    deps.log.warn("compression failed; forwarding the original request", {
      id: exchange.id,
      error: (error as Error)?.message ?? String(error),
    });
    return undefined;
  }
}

/**
 * Counts the exact token figures of a compressed request (loading the tokenizer on first use)
 * and stores them on the exchange. Runs while the upstream call is in flight.
 */
export function accountTokens(
  deps: AppDeps,
  api: GenerationApi,
  json: JsonBody,
  optimized: OptimizedBody,
  exchange: Exchange,
): Promise<void> {
  const model = exchange.model ?? "";
  return loadTokenizerFor(model)
    .then(() => {
      const figures = requestTokenFigures(
        api,
        json.value,
        model,
        optimized.plan.edits,
        optimized.plan.candidates.map((slot) => slot.text),
      );
      const withText = deps.config.logMessages;
      exchange.compressions = optimized.plan.edits.map((edit) => ({
        tool: edit.slot.toolName ?? null,
        strategy: edit.strategy,
        tokensBefore: countTokens(edit.slot.text, model),
        tokensAfter: countTokens(edit.text, model),
        lossy: edit.lossy,
        replayed: edit.replayed,
        ...(withText
          ? { original: edit.slot.text.slice(0, 20_000), compressed: edit.text.slice(0, 20_000) }
          : {}),
      }));
      exchange.tokensBefore = figures.before;
      exchange.tokensAfter = figures.after;
      exchange.tokensSaved = figures.saved;
      exchange.compressibleTokens = figures.compressible;
    })
    .catch((error: unknown) => {
      deps.log.warn("token counting failed", {
        id: exchange.id,
        error: (error as Error)?.message ?? String(error),
      });
    });
}

/** The x-headroom-* headers of a compressed non-streamed response. */
export function savingsHeaders(exchange: Exchange): Headers {
  const headers = new Headers();
  if (exchange.tokensBefore === undefined) return headers;
  headers.set("x-headroom-tokens-before", String(exchange.tokensBefore));
  headers.set("x-headroom-tokens-after", String(exchange.tokensAfter));
  headers.set("x-headroom-tokens-saved", String(exchange.tokensSaved));
  headers.set("x-headroom-transforms", exchange.transforms.join(","));
  return headers;
}
