/**
 * Decides what to compress in one request, under the rules docs/ARCHITECTURE.md calls hot zone
 * untouched, prefix stability, fail open, never worse and never a stall: only tool outputs; never
 * protected ones (small errors, headroom's own retrieve results, text already carrying a
 * marker); a tool output seen before is replayed exactly as decided then; a new one is
 * compressed only when it belongs to the newest turn, saves enough estimated tokens, and its
 * compression finished within the per-request time budget. Three passes: planning (synchronous),
 * the new compressions awaited together on the runner it is given (a worker pool in the proxy),
 * then the thresholds and the decisions, in the order of the tool outputs. Once the provider's
 * cache of the conversation has expired (`compact`), its history is decided again too, into the
 * conversation's own decisions. Pure apart from the decision stores and the runner it is given.
 * @module
 */

import {
  type CompressJob,
  type CompressRunner,
  compressInThread,
  runCompressJob,
} from "./compress-job.ts";
import type { TextCompression } from "./compress-text.ts";
import type { Decision, DecisionStore } from "./decisions.ts";
import type { CompressProbe } from "./probe.ts";
import { findSlots, type GenerationApi, latestUserText, type Slot } from "./slots.ts";
import { estimateTokens } from "./tokens.ts";

/** Tunables of {@link compressRequest}; all live-changeable. */
export interface CompressionSettings {
  /** Whether content may be dropped behind a marker (only when markers can be redeemed). */
  readonly lossy: boolean;
  /** Wall-clock wait for the new compressions of one request, in milliseconds. */
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
  budgetMs: 1000,
  minTokens: 200,
  minSavedTokens: 50,
  minSavingsRatio: 0.1,
  errorProtectTokens: 2000,
  excludeTools: new Set(),
};

/** What the router needs from outside. */
export interface CompressionDeps {
  readonly decisions: DecisionStore;
  /**
   * This conversation's own decisions, made when its history was compacted: looked up before
   * the shared ones, and where a compaction records what it decides (see `compact`).
   */
  readonly overrides?: DecisionStore | undefined;
  /** SHA-256 of a string's UTF-8 bytes, as 64 lowercase hex digits (a fast native one if any). */
  readonly sha256: (text: string) => string;
  /** Monotonic milliseconds (performance.now by default). */
  readonly now?: () => number;
  /** Runs the compressions, off the event loop where the runtime can (in this thread by default). */
  readonly compress?: CompressRunner;
  /** The client's abort: queued compressions are dropped and planning rejects with its reason. */
  readonly signal?: AbortSignal;
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
  /**
   * Set when the text is this conversation's own decision (a compaction, now or replayed):
   * the estimated tokens it removes beyond what the shared decision would send.
   */
  readonly compactedTokens?: number;
  /** For a compaction made now: what would have gone without it (undefined: the output as sent). */
  readonly previous?: SlotEdit | undefined;
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

// Characters one millisecond of budget admits. Faster than any compressor runs on an idle
// machine, so an output ruled out by size alone could never have finished in time: being
// remembered as over budget then says nothing about how busy the machine was.
const CHARS_PER_BUDGET_MS = 40_000;

// Timers hold 32-bit signed milliseconds (about 24.8 days); longer waits are unlimited ones.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** One new compression awaited in the second pass (shared by repeats of the same output). */
interface Pending {
  readonly key: string;
  readonly tokens: number;
  readonly job: CompressJob;
  finished: boolean;
  result?: TextCompression | undefined;
  /** What the first pass over it decided, for the repeats after it. */
  decision?: Decision;
  /** A compaction of history: what goes when it does not do better (undefined: as sent). */
  readonly compaction?: { readonly previous: SlotEdit | undefined };
}

/** A tool output's place in the answer: an edit already known, or one waiting on a compression. */
type Planned = SlotEdit | { readonly slot: Slot; readonly hash: string; readonly pending: Pending };

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

/** Which tool outputs {@link compressRequest} looks at, and how. */
export interface CompressRequestOptions {
  /** Every tool output counts as new (for /v1/compress, where no provider cache is at stake). */
  readonly allLive?: boolean;
  /** Only earlier decisions are applied. */
  readonly replayOnly?: boolean;
  /**
   * The provider's cache of this conversation has expired: every tool output of its history is
   * decided again as if new, and each one that now goes shorter is recorded in `overrides`.
   */
  readonly compact?: boolean;
  /**
   * What the reader is looking for, when the caller says (/v1/compress `config.query`); else the
   * latest user message. Lossy strategies keep the rows and lines that match it.
   */
  readonly query?: string;
  /** For tests, in {@link compressRequestNow} only: see probe.ts. */
  readonly probe?: CompressProbe;
}

/** The first pass's answer: every candidate's place, and the compressions still to run. */
class RequestPlan {
  readonly planned: Planned[] = [];
  readonly pending = new Map<string, Pending>();
  readonly candidates: Slot[] = [];
  readonly kept: Record<string, number> = {};
  budgetExceeded = false;

  constructor(
    readonly decisions: DecisionStore,
    readonly overrides: DecisionStore | undefined,
  ) {}

  keep(key: string, reason: string, remember: boolean): void {
    this.kept[reason] = (this.kept[reason] ?? 0) + 1;
    if (remember) this.decisions.put(key, { kind: "kept", reason });
  }
}

/**
 * Plans the compression of `body` (an already parsed request of `api`) and runs the new
 * compressions on `deps.compress`, waiting for them at most the budget.
 */
export async function compressRequest(
  api: GenerationApi,
  body: Record<string, unknown>,
  settings: CompressionSettings,
  deps: CompressionDeps,
  options: CompressRequestOptions = {},
): Promise<RequestCompression> {
  const now = deps.now ?? (() => performance.now());
  const started = now();
  const plan = planSlots(api, body, settings, deps, options);
  if (plan.pending.size > 0) {
    const waitMs = settings.budgetMs - (now() - started);
    const compress = deps.compress ?? compressInThread;
    await settle([...plan.pending.values()], waitMs, compress, deps.signal);
  }
  if (deps.signal?.aborted) throw deps.signal.reason;
  return { ...applyResults(plan, settings), elapsedMs: now() - started };
}

/** {@link compressRequest} with every compression run here, synchronously and without a deadline. */
export function compressRequestNow(
  api: GenerationApi,
  body: Record<string, unknown>,
  settings: CompressionSettings,
  deps: CompressionDeps,
  options: CompressRequestOptions = {},
): RequestCompression {
  const now = deps.now ?? (() => performance.now());
  const started = now();
  const plan = planSlots(api, body, settings, deps, options);
  for (const job of plan.pending.values()) {
    job.result = runCompressJob(job.job, options.probe);
    job.finished = true;
  }
  return { ...applyResults(plan, settings), elapsedMs: now() - started };
}

/** The first pass: every decision that needs no compression, in the order of the tool outputs. */
function planSlots(
  api: GenerationApi,
  body: Record<string, unknown>,
  settings: CompressionSettings,
  deps: CompressionDeps,
  options: CompressRequestOptions,
): RequestPlan {
  const plan = new RequestPlan(deps.decisions, deps.overrides);
  const { planned, pending, candidates } = plan;
  const keep = plan.keep.bind(plan);
  let query: string | undefined;

  for (const slot of findSlots(api, body)) {
    if (slot.protection || slot.text.length < FLOOR_CHARS) continue;
    candidates.push(slot);
    const { key, legacy, hash } = decisionKeys(slot, deps.sha256);
    const own = deps.overrides?.get(key);
    const shared: Decision | undefined =
      deps.decisions.get(key) ?? (legacy === undefined ? undefined : deps.decisions.get(legacy));
    const known = own ?? shared;
    const replay: SlotEdit | undefined =
      known?.kind === "compressed"
        ? {
            slot,
            text: known.text,
            strategy: known.strategy,
            lossy: known.lossy,
            replayed: true,
            hash,
            key,
            ...(own?.kind === "compressed"
              ? { compactedTokens: ownSaving(slot, own, shared) }
              : {}),
          }
        : undefined;
    if (options.compact && plan.overrides && !slot.live && !options.replayOnly) {
      query ??= options.query ?? latestUserText(api, body);
      planCompaction(plan, settings, { slot, key, hash, previous: replay, query });
      continue;
    }
    if (known) {
      if (replay) planned.push(replay);
      else if (known.kind === "kept") keep(key, known.reason, false);
      continue;
    }
    // The same output earlier in this request: it is decided with that one, as a replay.
    const twin = pending.get(key);
    if (twin) {
      planned.push({ slot, hash, pending: twin });
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
    // Too large to finish within the budget even on an idle machine: not started at all.
    if (slot.text.length > settings.budgetMs * CHARS_PER_BUDGET_MS) {
      plan.budgetExceeded = true;
      keep(key, "over_budget", true);
      continue;
    }
    query ??= options.query ?? latestUserText(api, body);
    const { text, savedOutput } = slot;
    const job: CompressJob = { text, query, lossy: settings.lossy, hash, savedOutput };
    const waiting: Pending = { key, tokens, job, finished: false };
    pending.set(key, waiting);
    planned.push({ slot, hash, pending: waiting });
  }
  return plan;
}

/** Estimated tokens a conversation's own decision removes beyond the shared one. */
function ownSaving(
  slot: Slot,
  own: Decision & { kind: "compressed" },
  shared: Decision | undefined,
) {
  const before = shared?.kind === "compressed" ? shared.text : slot.text;
  return Math.max(0, estimateTokens(before) - estimateTokens(own.text));
}

/** A history output compacted: the new text when it saves enough over what went before. */
function compacted(
  job: Pending,
  previous: SlotEdit | undefined,
  slot: Slot,
  hash: string,
  settings: CompressionSettings,
): SlotEdit | undefined {
  const result = job.result;
  if (!job.finished || !result) return undefined;
  const before = previous ? estimateTokens(previous.text) : job.tokens;
  const saved = before - estimateTokens(result.text);
  if (saved < settings.minSavedTokens || saved < before * settings.minSavingsRatio)
    return undefined;
  const { text, strategy, lossy } = result;
  return {
    slot,
    text,
    strategy,
    lossy,
    replayed: false,
    hash,
    key: job.key,
    previous,
    compactedTokens: saved,
  };
}

/** A history output to decide again, and what went for it before (undefined: as sent). */
interface CompactionInput {
  readonly slot: Slot;
  readonly key: string;
  readonly hash: string;
  readonly previous: SlotEdit | undefined;
  readonly query: string;
}

/**
 * Plans the compaction of one history output: the same rules as a new output, but nothing about
 * it is remembered unless it then does better than what went before (see {@link compacted}).
 */
function planCompaction(
  plan: RequestPlan,
  settings: CompressionSettings,
  { slot, key, hash, previous, query }: CompactionInput,
): void {
  const twin = plan.pending.get(key);
  if (twin) {
    plan.planned.push({ slot, hash, pending: twin });
    return;
  }
  const tokens = estimateTokens(slot.text);
  const excluded = slot.toolName !== undefined && settings.excludeTools.has(slot.toolName);
  const protectedError = slot.isError && tokens <= settings.errorProtectTokens;
  const tooLarge = slot.text.length > settings.budgetMs * CHARS_PER_BUDGET_MS;
  if (excluded || protectedError || tooLarge || tokens < settings.minTokens) {
    if (previous) plan.planned.push(previous);
    else plan.keep(key, "history", false);
    return;
  }
  const { text, savedOutput } = slot;
  const job: CompressJob = { text, query, lossy: settings.lossy, hash, savedOutput };
  const waiting: Pending = { key, tokens, job, finished: false, compaction: { previous } };
  plan.pending.set(key, waiting);
  plan.planned.push({ slot, hash, pending: waiting });
}

/** The last pass: thresholds and decisions for the compressions that ran, in the same order. */
function applyResults(
  plan: RequestPlan,
  settings: CompressionSettings,
): Omit<RequestCompression, "elapsedMs"> {
  const keep = plan.keep.bind(plan);
  const decisions = plan.decisions;
  const edits: SlotEdit[] = [];
  for (const item of plan.planned) {
    if (!("pending" in item)) {
      edits.push(item);
      continue;
    }
    const { slot, hash, pending: job } = item;
    const key = job.key;
    if (job.compaction) {
      // Every copy of it (the first included) takes what went before unless it does better.
      const { previous } = job.compaction;
      const edit = compacted(job, previous, slot, hash, settings);
      if (edit && !job.decision) {
        job.decision = {
          kind: "compressed",
          text: edit.text,
          strategy: edit.strategy,
          lossy: edit.lossy,
        };
        plan.overrides?.put(key, job.decision);
      }
      if (edit) edits.push(edit);
      else if (previous) edits.push({ ...previous, slot });
      else keep(key, "history", false);
      continue;
    }
    if (job.decision) {
      // A repeat: replays what was just decided for the first one.
      const { decision } = job;
      if (decision.kind === "compressed") {
        const { text, strategy, lossy } = decision;
        edits.push({ slot, text, strategy, lossy, replayed: true, hash, key });
      } else {
        keep(key, decision.reason, false);
      }
      continue;
    }
    const result = job.result;
    // Not finished in time (a busy machine, a slow kind): it goes as sent, and stays so.
    if (!job.finished) {
      plan.budgetExceeded = true;
      job.decision = { kind: "kept", reason: "over_budget" };
      keep(key, "over_budget", true);
      continue;
    }
    if (!result) {
      job.decision = { kind: "kept", reason: "no_gain" };
      keep(key, "no_gain", true);
      continue;
    }
    const saved = job.tokens - estimateTokens(result.text);
    if (saved < settings.minSavedTokens || saved < job.tokens * settings.minSavingsRatio) {
      job.decision = { kind: "kept", reason: "below_threshold" };
      keep(key, "below_threshold", true);
      continue;
    }
    job.decision = {
      kind: "compressed",
      text: result.text,
      strategy: result.strategy,
      lossy: result.lossy,
    };
    decisions.put(key, job.decision);
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
  const { candidates, kept, budgetExceeded } = plan;
  return { edits, candidates, kept, budgetExceeded };
}

/**
 * Runs the jobs on `compress` together and waits for them at most `waitMs` (or until `signal`
 * aborts). Jobs still queued then are never started; results that arrive later are dropped.
 */
async function settle(
  jobs: Pending[],
  waitMs: number,
  compress: CompressRunner,
  signal: AbortSignal | undefined,
): Promise<void> {
  const stop = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const over = new Promise<void>((resolve) => {
    // An unlimited budget (or one past what timers hold) waits for every job.
    if (waitMs < MAX_TIMER_MS) timer = setTimeout(resolve, Math.max(0, waitMs));
    signal?.addEventListener("abort", () => resolve(), { once: true });
  });
  if (signal?.aborted) stop.abort();
  const all = Promise.all(
    jobs.map(async (job) => {
      const result = await compress(job.job, stop.signal).catch(() => undefined);
      if (stop.signal.aborted) return;
      job.result = result;
      job.finished = true;
    }),
  );
  await Promise.race([all, over]);
  stop.abort();
  clearTimeout(timer);
}
