/**
 * /v1/compress with a `token_budget`: compresses harder, one rung at a time, until the messages
 * fit, and says how far it had to go. The rungs: the configured settings; the same compressors
 * with every threshold down (small outputs, failed calls and marginal savings become candidates,
 * lossy unless the caller said otherwise); then whole tool outputs, oldest first, each replaced
 * by a marker whose original is stored first, so it stays retrievable. System, user and assistant
 * text are never touched, so a budget they alone exceed is answered with `fits: false`.
 * @module
 */

import type { CompressionSettings, SlotEdit } from "../compress/compress-request.ts";
import type { Decision, DecisionStore } from "../compress/decisions.ts";
import { formatMarker } from "../compress/marker.ts";
import { findSlots } from "../compress/slots.ts";
import { countTokens } from "../compress/tokens.ts";
import type { Json } from "../core/json-value.ts";
import type { PipelineDeps } from "../pipeline/deps.ts";
import { planCompression } from "../pipeline/secure-originals.ts";

/** How hard the messages were compressed to fit. */
export type BudgetLevel = "none" | "default" | "aggressive" | "elided";

/** A plan for the messages, and how it was reached. */
export interface BudgetPlan {
  readonly edits: readonly SlotEdit[];
  readonly level: BudgetLevel;
  /** Remembers the plan's decisions; only plans made with the configured settings have any. */
  readonly commit: () => void;
}

/** What one planning pass needs besides its settings. */
export interface PlanRequest {
  readonly body: { messages: Json[] };
  readonly settings: CompressionSettings;
  readonly decisions: DecisionStore;
  readonly query: string | undefined;
  readonly signal: AbortSignal;
}

/** Exact tokens of `body` once `edits` are applied. */
export type EditedTokens = (edits: readonly SlotEdit[]) => number;

/** Decisions that live for one pass: a harder rung must not replay an easier rung's choices. */
function scratchDecisions(): DecisionStore {
  const held = new Map<string, Decision>();
  return { get: (key) => held.get(key), put: (key, decision) => void held.set(key, decision) };
}

/** One planning pass over the messages: its edits, and how to remember its decisions. */
async function planEdits(deps: PipelineDeps, request: PlanRequest, decisions: DecisionStore) {
  const { plan, commit } = await planCompression(deps, {
    api: "chat",
    body: request.body,
    settings: request.settings,
    decisions,
    options: { allLive: true, ...(request.query !== undefined ? { query: request.query } : {}) },
    signal: request.signal,
  });
  return { edits: plan.edits, commit };
}

/** The messages planned with the configured settings, as without a budget. */
export function plainPlan(deps: PipelineDeps, request: PlanRequest) {
  return planEdits(deps, request, request.decisions);
}

/** Every threshold down: whatever any compressor can shorten is shortened. */
function aggressive(settings: CompressionSettings): CompressionSettings {
  return {
    ...settings,
    minTokens: 0,
    minSavedTokens: 1,
    minSavingsRatio: 0,
    errorProtectTokens: 0,
  };
}

/**
 * Replaces whole tool outputs, oldest first, by a marker until `tokens` fit `budget`; an output
 * whose original the store refuses stays as it is. Returns the edits with the elisions in.
 */
function elide(
  deps: PipelineDeps,
  request: PlanRequest,
  edits: readonly SlotEdit[],
  tokens: number,
  budget: number,
  model: string,
): SlotEdit[] {
  const byPath = new Map(edits.map((edit) => [JSON.stringify(edit.slot.path), edit]));
  let left = tokens;
  for (const slot of findSlots("chat", request.body)) {
    if (left <= budget) break;
    if (slot.protection) continue;
    const where = JSON.stringify(slot.path);
    const current = byPath.get(where)?.text ?? slot.text;
    const hash = deps.sha256(slot.text).slice(0, 24);
    const marker = formatMarker(
      `tool output of ${countTokens(slot.text, model)} tokens left out to fit the token budget`,
      hash,
    );
    const saved = countTokens(current, model) - countTokens(marker, model);
    if (saved <= 0) continue;
    try {
      deps.originals.put({ hash, content: slot.text, toolName: slot.toolName });
    } catch {
      continue; // Not retrievable, so not elided.
    }
    byPath.set(where, {
      slot,
      text: marker,
      strategy: "elided",
      lossy: true,
      replayed: false,
      hash,
      key: hash,
    });
    left -= saved;
  }
  return [...byPath.values()];
}

/**
 * Plans `request` to fit `budget` tokens (it does not fit as sent): the first rung that fits, or
 * the furthest one when none does. `tokensOf` counts the messages with a plan's edits applied.
 */
export async function compressToBudget(
  deps: PipelineDeps,
  request: PlanRequest,
  budget: number,
  model: string,
  tokensOf: EditedTokens,
): Promise<BudgetPlan> {
  const first = await planEdits(deps, request, request.decisions);
  let edits = first.edits;
  let tokens = tokensOf(edits);
  if (tokens <= budget) return { edits, level: "default", commit: first.commit };
  const harder = await planEdits(
    deps,
    { ...request, settings: aggressive(request.settings) },
    scratchDecisions(),
  );
  const harderTokens = tokensOf(harder.edits);
  let level: BudgetLevel = "default";
  if (harderTokens < tokens) {
    edits = harder.edits;
    tokens = harderTokens;
    level = "aggressive";
  }
  const none = () => {};
  if (tokens <= budget || !request.settings.lossy) return { edits, level, commit: none };
  const elided = elide(deps, request, edits, tokens, budget, model);
  if (elided.some((edit) => edit.strategy === "elided")) level = "elided";
  return { edits: elided, level, commit: none };
}
