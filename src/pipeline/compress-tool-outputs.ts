/**
 * Applies compression to one generation request: asks the router what to rewrite, splices the
 * rewrites into the original JSON text (every other byte stays as sent), and afterwards counts
 * the exact token figures off the request path. Any failure forwards the original (fail open).
 * @module
 */

import type { CompressionSettings, RequestCompression } from "../compress/compress-request.ts";
import { type RequestTokenFigures, requestTokenFigures } from "../compress/request-tokens.ts";
import { runTokenJob } from "../compress/token-job.ts";
import { estimateTokens } from "../compress/tokens-estimate.ts";
import type { ProxyConfig } from "../core/config.ts";
import type { Exchange } from "../core/exchange.ts";
import { locateEdits, type PendingEdits, pathKey, type Splice } from "../core/json-edit.ts";
import type { ConversationTurnStart } from "./conversation-clocks.ts";
import { conversationDecisions } from "./conversation-decisions.ts";
import type { PipelineDeps } from "./deps.ts";
import {
  recordCompressed,
  recordConversation,
  recordFailOpen,
  recordPlanning,
  recordTokens,
} from "./recorder.ts";
import type { RewriteInput } from "./rewrite-request.ts";
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

/** A compression plan, not yet remembered. */
export interface OptimizedBody {
  readonly plan: RequestCompression;
  /** Remembers the plan's decisions and records them: call it once the plan goes upstream. */
  accept(): void;
}

/** The edits that put the plan's rewritten tool outputs into the body text. */
export function compressionEdits(plan: RequestCompression): PendingEdits {
  return {
    paths: plan.edits.map((edit) => edit.slot.path),
    splices: (spans) =>
      plan.edits.map((edit) => {
        const span = spans.get(pathKey(edit.slot.path));
        if (!span) throw new Error(`Cannot find the tool output at ${pathKey(edit.slot.path)}`);
        return { ...span, text: JSON.stringify(edit.text) };
      }),
  };
}

/** The splices that put the plan's rewritten tool outputs into `text`. */
export function planSplices(text: string, plan: RequestCompression): Splice[] {
  const edits = compressionEdits(plan);
  return edits.splices(locateEdits(text, [edits]));
}

/**
 * The request's conversation on its cache clock, or undefined when it has none (no clocks, or a
 * body that cannot be identified): then nothing of its history is compacted or replayed as its own.
 */
async function openConversation(
  deps: PipelineDeps,
  { api, json, mode, sessionHeader }: Pick<RewriteInput, "api" | "json" | "mode" | "sessionHeader">,
): Promise<ConversationTurnStart | undefined> {
  try {
    return await deps.conversationClocks?.start({
      api,
      json,
      sessionHeader,
      mayCompact: mode === "compress" && deps.config.compactOnExpiry,
      overrideTtlMs: deps.config.providerCacheTtlSeconds * 1000,
    });
  } catch {
    return undefined;
  }
}

/**
 * Plans the compression of `json`, or returns undefined to forward it as it is. What the plan
 * decided is remembered and recorded on the exchange only when the caller accepts it (a request
 * forwarded as sent after a failure remembers nothing). A client that aborts (`signal`) stops
 * the compressions it queued.
 */
export async function optimizeRequest(
  deps: PipelineDeps,
  { api, json, exchange, mode, sessionHeader, signal }: RewriteInput,
): Promise<OptimizedBody | undefined> {
  const started = performance.now();
  try {
    const conversation = await openConversation(deps, { api, json, mode, sessionHeader });
    if (conversation) recordConversation(exchange, conversation);
    const { plan, commit } = await planCompression(deps, {
      api,
      body: json.value,
      settings: compressionSettings(deps.config),
      decisions: deps.decisions,
      overrides: conversation && conversationDecisions(deps.decisions, conversation.id),
      options: { replayOnly: mode === "replay", compact: conversation?.expired ?? false },
      signal,
    });
    recordPlanning(exchange, plan, performance.now() - started);
    if (plan.edits.length === 0) {
      commit();
      return undefined;
    }
    return {
      plan,
      accept() {
        commit();
        recordCompressed(exchange, plan);
      },
    };
  } catch (error) {
    // The client left: nothing was remembered, and nothing will be sent.
    if (signal.aborted) return undefined;
    recordFailOpen(exchange);
    deps.log.warn("compression failed; forwarding the original request", {
      id: exchange.id,
      error: (error as Error)?.message ?? String(error),
    });
    return undefined;
  }
}

/**
 * Counts the exact token figures of a compressed request (loading the tokenizer on first use;
 * in the pool's worker when there is one) and records them. Runs while the
 * upstream call is in flight.
 */
export function accountTokens(
  deps: PipelineDeps,
  { api, json, exchange }: Pick<RewriteInput, "api" | "json" | "exchange">,
  optimized: OptimizedBody,
): Promise<void> {
  const model = exchange.model ?? "";
  const { edits, candidates } = optimized.plan;
  const count = deps.countTokens ?? runTokenJob;
  return count({
    api,
    bodyText: json.text,
    model,
    edits: edits.map((edit) => ({ before: edit.slot.text, after: edit.text })),
    candidates: candidates.map((slot) => slot.text),
  })
    .then((figures) => recordTokens(exchange, edits, figures, deps.config.logMessages))
    .catch((error: unknown) => {
      deps.log.warn("token counting failed", {
        id: exchange.id,
        error: (error as Error)?.message ?? String(error),
      });
    });
}

/** headroom's estimate of a compressed request's figures: no tokenizer, known at once. */
export function estimatedFigures(
  { api, json, exchange }: Pick<RewriteInput, "api" | "json" | "exchange">,
  optimized: OptimizedBody,
) {
  return requestTokenFigures(
    api,
    json.value,
    exchange.model ?? "",
    optimized.plan.edits,
    [],
    (text) => estimateTokens(text),
  );
}

/**
 * The x-headroom-* headers of an answer, or undefined when there are none: the whole-request
 * token figures, transforms and model of a compressed request, and on any answer whose
 * compression failed and went out as the original, `x-headroom-compression-failed: true`.
 * A non-streamed answer waits for the exact counts; a stream's headers leave before they are
 * done, so it carries `estimate` (headroom's estimate, said so in
 * `x-headroom-tokens-estimated`) rather than holding back its first byte.
 */
export function savingsHeaders(
  exchange: Exchange,
  streamed: boolean,
  estimate?: () => RequestTokenFigures,
): Headers | undefined {
  const headers = new Headers();
  if (exchange.compressionFailed) headers.set("x-headroom-compression-failed", "true");
  const figures = streamed
    ? estimate?.()
    : exchange.tokensBefore === undefined
      ? undefined
      : {
          before: exchange.tokensBefore,
          after: exchange.tokensAfter ?? exchange.tokensBefore,
          saved: exchange.tokensSaved ?? 0,
        };
  if (figures) {
    headers.set("x-headroom-tokens-before", String(figures.before));
    headers.set("x-headroom-tokens-after", String(figures.after));
    headers.set("x-headroom-tokens-saved", String(figures.saved));
    if (streamed) headers.set("x-headroom-tokens-estimated", "true");
    headers.set("x-headroom-transforms", exchange.transforms.join(","));
    if (exchange.model) headers.set("x-headroom-model", exchange.model);
  }
  return [...headers.keys()].length > 0 ? headers : undefined;
}
