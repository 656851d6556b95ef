/**
 * Decides what to compress in one request (invariants 2, 3, 5, 6, 7): only tool outputs; never
 * protected ones (small errors, headroom's own retrieve results, text already carrying a
 * marker); a tool output seen before is replayed exactly as decided then; a new one is
 * compressed only when it belongs to the newest turn, saves enough estimated tokens, and the
 * per-request time budget is not spent. Pure apart from the decision store it is given.
 * @module
 */

import { compressText, type TextCompression } from "./compress-text.ts";
import type { Decision, DecisionStore } from "./decisions.ts";
import { findSlots, type GenerationApi, latestUserText, type Slot } from "./slots.ts";
import { estimateTokens } from "./tokens.ts";

/** Tunables of {@link compressRequest}; all live-changeable. */
export interface CompressionSettings {
  /** Whether content may be dropped behind a marker (only when markers can be redeemed). */
  readonly lossy: boolean;
  /** Time budget for compressing new outputs of one request, in milliseconds. */
  readonly budgetMs: number;
  /** Tool outputs estimated below this many tokens are left alone. */
  readonly minTokens: number;
  /** A rewrite must save at least this many estimated tokens... */
  readonly minSavedTokens: number;
  /** ...and at least this share of the output's estimated tokens. */
  readonly minSavingsRatio: number;
  /** Failed tool calls at or under this many estimated tokens are kept verbatim. */
  readonly errorProtectTokens: number;
  /** Tools whose outputs are never compressed (exact names). */
  readonly excludeTools: ReadonlySet<string>;
}

/** Defaults: conservative enough that a rewrite always pays for its cache cost. */
export const DEFAULT_COMPRESSION_SETTINGS: CompressionSettings = {
  lossy: false,
  budgetMs: 50,
  minTokens: 200,
  minSavedTokens: 50,
  minSavingsRatio: 0.1,
  errorProtectTokens: 2000,
  excludeTools: new Set(),
};

/** What the router needs from outside. */
export interface CompressionDeps {
  readonly decisions: DecisionStore;
  /** SHA-256 of a string's UTF-8 bytes, as 64 lowercase hex digits (a fast native one if any). */
  readonly sha256: (text: string) => string;
  /** Monotonic milliseconds (performance.now by default). */
  readonly now?: () => number;
}

/** One rewritten tool output. */
export interface SlotEdit {
  readonly slot: Slot;
  readonly text: string;
  readonly strategy: string;
  readonly lossy: boolean;
  /** True when replayed from an earlier decision rather than compressed now. */
  readonly replayed: boolean;
  /** The marker hash (24 hex) under which the original must be stored when lossy. */
  readonly hash: string;
  /** The decision store key of this occurrence (see {@link decisionKeys}). */
  readonly key: string;
}

/** The router's answer for one request. */
export interface RequestCompression {
  readonly edits: SlotEdit[];
  /** Tool outputs that were candidates (not protected, not trivially small), edited or not. */
  readonly candidates: Slot[];
  /** Why candidates were left alone, by reason. */
  readonly kept: Record<string, number>;
  readonly elapsedMs: number;
  readonly budgetExceeded: boolean;
}

// Characters one millisecond of budget admits: the slowest compressors run at about 20 MB/s,
// so an output may take up to twice the budget left before it is ruled out.
const CHARS_PER_BUDGET_MS = 40_000;

// Below this size no decision is ever recorded or looked up: nothing so small is compressed.
const FLOOR_CHARS = 256;

/**
 * Where a slot's decision is kept: under its occurrence (the tool call it answers plus its
 * content), so a decision made for the newest copy of an output never reaches an earlier copy
 * of the same text that went upstream as it was (the same file read twice, the same command run
 * twice). `legacy` is the content-only key earlier versions used, read as a fallback so history
 * decided before an upgrade keeps its bytes; outputs with no call id are keyed by content alone.
 */
export function decisionKeys(
  slot: Slot,
  sha256: (text: string) => string,
): { key: string; legacy: string | undefined; hash: string } {
  const content = sha256(slot.text);
  const hash = content.slice(0, 24);
  if (slot.occurrence === undefined) return { key: content, legacy: undefined, hash };
  return {
    key: sha256(`occurrence\u0000${slot.occurrence}\u0000${content}`),
    legacy: content,
    hash,
  };
}

/**
 * Plans the compression of `body` (an already parsed request of `api`). With `allLive`, every
 * tool output counts as new (for /v1/compress, where no provider cache is at stake); with
 * `replayOnly`, only earlier decisions are applied.
 */
export function compressRequest(
  api: GenerationApi,
  body: Record<string, unknown>,
  settings: CompressionSettings,
  deps: CompressionDeps,
  options: { allLive?: boolean; replayOnly?: boolean } = {},
): RequestCompression {
  const now = deps.now ?? (() => performance.now());
  const started = now();
  const edits: SlotEdit[] = [];
  const candidates: Slot[] = [];
  const kept: Record<string, number> = {};
  let budgetExceeded = false;
  let query: string | undefined;

  const keep = (key: string, reason: string, remember: boolean) => {
    kept[reason] = (kept[reason] ?? 0) + 1;
    if (remember) deps.decisions.put(key, { kind: "kept", reason });
  };

  for (const slot of findSlots(api, body)) {
    if (slot.protection || slot.text.length < FLOOR_CHARS) continue;
    candidates.push(slot);
    const { key, legacy, hash } = decisionKeys(slot, deps.sha256);
    const known: Decision | undefined =
      deps.decisions.get(key) ?? (legacy === undefined ? undefined : deps.decisions.get(legacy));
    if (known) {
      if (known.kind === "compressed") {
        edits.push({
          slot,
          text: known.text,
          strategy: known.strategy,
          lossy: known.lossy,
          replayed: true,
          hash,
          key,
        });
      } else {
        keep(key, known.reason, false);
      }
      continue;
    }
    // Older outputs headroom never saw: the provider has most likely cached them already.
    // Bypassed or switched off: earlier decisions still replay (the history stays byte-stable),
    // but nothing new is compressed or remembered.
    if (options.replayOnly) {
      keep(key, "not_compressing", false);
      continue;
    }
    if (!slot.live && !options.allLive) {
      keep(key, "history", false);
      continue;
    }
    if (slot.toolName !== undefined && settings.excludeTools.has(slot.toolName)) {
      keep(key, "excluded_tool", true);
      continue;
    }
    const tokens = estimateTokens(slot.text);
    if (tokens < settings.minTokens) {
      keep(key, "too_small", true);
      continue;
    }
    if (slot.isError && tokens <= settings.errorProtectTokens) {
      keep(key, "error_output", true);
      continue;
    }
    // Compression cannot be interrupted, so the budget is spent up front: an output too large
    // to finish in what is left (at the slowest compressors' speed) is not started.
    const remainingMs = settings.budgetMs - (now() - started);
    if (remainingMs <= 0 || slot.text.length > remainingMs * CHARS_PER_BUDGET_MS) {
      budgetExceeded = true;
      keep(key, "over_budget", true);
      continue;
    }
    query ??= latestUserText(api, body);
    const result: TextCompression | undefined = compressText(slot.text, {
      query,
      lossy: settings.lossy,
      hash: () => hash,
      savedOutput: slot.savedOutput,
    });
    // Finished late (a cold start, a busy machine): the time is spent either way, so the
    // result is used; the outputs after it wait for a later request's budget.
    if (now() - started > settings.budgetMs) budgetExceeded = true;
    if (!result) {
      keep(key, "no_gain", true);
      continue;
    }
    const saved = tokens - estimateTokens(result.text);
    if (saved < settings.minSavedTokens || saved < tokens * settings.minSavingsRatio) {
      keep(key, "below_threshold", true);
      continue;
    }
    deps.decisions.put(key, {
      kind: "compressed",
      text: result.text,
      strategy: result.strategy,
      lossy: result.lossy,
    });
    edits.push({
      slot,
      text: result.text,
      strategy: result.strategy,
      lossy: result.lossy,
      replayed: false,
      hash,
      key,
    });
  }
  return { edits, candidates, kept, elapsedMs: now() - started, budgetExceeded };
}
