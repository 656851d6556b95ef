/**
 * Plans the compression of one request so that every marker it sends can be redeemed
 * ("originals retrievable") even while the original store fails. The original of each lossy
 * rewrite is stored before anything is sent; a new rewrite whose original the store refuses
 * falls back, for that tool output only, to a lossless rewrite (when it still pays) or to the
 * output as sent, and that is what the decision store remembers, so later turns replay exactly
 * what was sent ("prefix stability"). While the store is backing off, only lossless rewrites are
 * planned at all.
 * @module
 */

import { itemCount } from "../ccr/item-count.ts";
import { type CompressRunner, compressInThread } from "../compress/compress-job.ts";
import {
  type CompressionSettings,
  type CompressRequestOptions,
  compressRequest,
  type RequestCompression,
  type SlotEdit,
} from "../compress/compress-request.ts";
import type { Decision, DecisionStore } from "../compress/decisions.ts";
import { type GenerationApi, latestUserText } from "../compress/slots.ts";
import { estimateTokens } from "../compress/tokens.ts";
import type { Json } from "../core/json-value.ts";
import { errorCode } from "../core/store-health.ts";
import type { PipelineDeps } from "./deps.ts";
import { StagedDecisions } from "./staged-decisions.ts";

/** A plan whose lossy rewrites all have their original stored, and its decisions to commit. */
export interface SecuredPlan {
  readonly plan: RequestCompression;
  /** Remembers the plan's decisions: call it once the plan is what goes upstream. */
  commit(): void;
}

/** Why a tool output went as sent although it compressed: its original could not be stored. */
const UNSTORED_REASON = "original_not_stored";

/** What to plan: a request body, with the settings and decisions to plan it with. */
export interface PlanInput {
  readonly api: GenerationApi;
  readonly body: Json;
  readonly settings: CompressionSettings;
  readonly decisions: DecisionStore;
  /** The conversation's own decisions (its compacted history), when it is known. */
  readonly overrides?: DecisionStore | undefined;
  readonly options?: CompressRequestOptions;
  /** The client's: its abort rejects the plan while compressions run; nothing is remembered. */
  readonly signal?: AbortSignal;
}

/** Plans the compression of a request body; see the module comment. */
export async function planCompression(
  deps: PipelineDeps,
  { api, body, settings, decisions, overrides, options = {}, signal }: PlanInput,
): Promise<SecuredPlan> {
  const started = performance.now();
  const staged = new StagedDecisions(decisions);
  const own = overrides ? new StagedDecisions(overrides) : undefined;
  const writable = deps.originals.writable?.() ?? true;
  const compress = deps.compress ?? compressInThread;
  const plan = await compressRequest(
    api,
    body,
    { ...settings, lossy: settings.lossy && writable },
    {
      decisions: staged,
      overrides: own,
      sha256: deps.sha256,
      compress,
      ...(signal ? { signal } : {}),
    },
    options,
  );
  const secured = await storeOriginals(deps, plan, { staged, own }, (edit) => {
    if (performance.now() - started >= settings.budgetMs) return Promise.resolve(undefined);
    return losslessEdit(edit, settings, latestUserText(api, body), compress, signal);
  });
  return {
    plan: secured,
    commit: () => {
      staged.commit();
      own?.commit();
    },
  };
}

/** The edit compressed losslessly instead, when that still saves enough. */
async function losslessEdit(
  edit: SlotEdit,
  settings: CompressionSettings,
  query: string,
  compress: CompressRunner,
  signal: AbortSignal | undefined,
): Promise<SlotEdit | undefined> {
  const { text, savedOutput } = edit.slot;
  const job = { text, query, lossy: false, hash: edit.hash, savedOutput };
  const result = await compress(job, signal);
  if (!result) return undefined;
  const tokens = estimateTokens(edit.slot.text);
  const saved = tokens - estimateTokens(result.text);
  if (saved < settings.minSavedTokens || saved < tokens * settings.minSavingsRatio)
    return undefined;
  return { ...edit, text: result.text, strategy: result.strategy, lossy: false };
}

/** The largest compressed text whose items are counted on the request path (~0.1 ms to parse). */
const MAX_COUNTED_CHARS = 16_384;

async function storeOriginals(
  deps: PipelineDeps,
  plan: RequestCompression,
  { staged, own }: { staged: StagedDecisions; own: StagedDecisions | undefined },
  fallback: (edit: SlotEdit) => Promise<SlotEdit | undefined>,
): Promise<RequestCompression> {
  const stored = new Set<string>();
  // Per marker hash whose original was refused: its lossless stand-in, or undefined (as sent).
  const refused = new Map<string, SlotEdit | undefined>();
  const edits: SlotEdit[] = [];
  const kept = { ...plan.kept };
  for (const edit of plan.edits) {
    if (!edit.lossy || stored.has(edit.hash)) {
      edits.push(edit);
      continue;
    }
    if (!refused.has(edit.hash)) {
      try {
        // The compressed form's items, for the retrieve endpoints: counted once, when first
        // compressed (a replay only refreshes the entry), and only when small, since this runs
        // on the event loop. The original's are counted when it is retrieved.
        const countKept = !edit.replayed && edit.text.length <= MAX_COUNTED_CHARS;
        deps.originals.put({
          hash: edit.hash,
          content: edit.slot.text,
          toolName: edit.slot.toolName,
          ...(countKept ? { keptItems: itemCount(edit.text) } : {}),
        });
        stored.add(edit.hash);
        edits.push(edit);
        continue;
      } catch (error) {
        // A replay from an earlier turn keeps its bytes: its original was stored when it was
        // first sent (only this refresh failed), and the provider has cached those bytes.
        if (edit.replayed) {
          edits.push(edit);
          continue;
        }
        refused.set(edit.hash, await fallback(edit));
        deps.log.debug("original not stored; that tool output goes without a marker", {
          hash: edit.hash,
          code: errorCode(error),
          instead: refused.get(edit.hash)?.strategy ?? "as_sent",
        });
      }
    }
    if (edit.replayed) {
      edits.push(edit);
      continue;
    }
    // A compaction whose original was refused is not made: what went before goes again.
    if (edit.compactedTokens !== undefined) {
      own?.staged.delete(edit.key);
      if (edit.previous) edits.push({ ...edit.previous, slot: edit.slot });
      continue;
    }
    // What this occurrence is remembered as is what it is sent as.
    const instead = refused.get(edit.hash);
    const decision: Decision = instead
      ? { kind: "compressed", text: instead.text, strategy: instead.strategy, lossy: false }
      : { kind: "kept", reason: UNSTORED_REASON };
    staged.put(edit.key, decision);
    if (instead) edits.push({ ...instead, slot: edit.slot, key: edit.key, replayed: false });
    else kept[UNSTORED_REASON] = (kept[UNSTORED_REASON] ?? 0) + 1;
  }
  return edits.length === plan.edits.length && refused.size === 0 ? plan : { ...plan, edits, kept };
}
