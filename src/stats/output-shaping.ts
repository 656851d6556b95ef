/**
 * What output shaping saved, honestly: measured against the held-out conversations when there
 * are enough of them (difference of mean output tokens, with a 95% interval), otherwise an
 * estimate from an assumed reduction range, stated as such. Next to it, what it cost in extra
 * prompt-cache writes, and a verdict on whether it pays.
 * @module
 */

import { type Aggregate, type Counters, emptyCounters } from "./aggregate.ts";
import { round } from "./views.ts";

// Below this many held-out requests a measurement is too noisy to report.
const MIN_HOLDOUT = 5;
// Without a hold-out: the reduction a terseness instruction is assumed to bring, with its range.
const ASSUMED = { low: 0.05, mid: 0.2, high: 0.35 };
// Weights in input-token equivalents: output tokens cost about 4-5x input on every priced model;
// a cache write costs 1.25x input on Anthropic (OpenAI's writes are free, so this is the worst case).
const OUTPUT_WEIGHT = 4;
const CACHE_WRITE_WEIGHT = 1.25;

function mean(c: Counters): number {
  return c.requests ? c.output_tokens / c.requests : 0;
}

function variance(c: Counters): number {
  if (c.requests < 2) return 0;
  const m = mean(c);
  return Math.max(0, (c.output_tokens_sq - c.requests * m * m) / (c.requests - 1));
}

/** Compares a treated slice with its hold-out slice. */
function compare(treated: Counters, held: Counters) {
  if (held.requests >= MIN_HOLDOUT && treated.requests >= MIN_HOLDOUT) {
    const diff = mean(held) - mean(treated);
    const se = Math.sqrt(variance(held) / held.requests + variance(treated) / treated.requests);
    const extraWrites =
      (treated.cache_write_tokens / treated.requests - held.cache_write_tokens / held.requests) *
      treated.requests;
    const saved = diff * treated.requests;
    return {
      method: "measured" as const,
      requests: treated.requests,
      holdout_requests: held.requests,
      output_tokens_saved: Math.round(saved),
      ci_low: Math.round((diff - 1.96 * se) * treated.requests),
      ci_high: Math.round((diff + 1.96 * se) * treated.requests),
      reduction_percent: mean(held) > 0 ? round((diff / mean(held)) * 100) : 0,
      extra_cache_write_tokens: Math.round(extraWrites),
      net_input_token_equivalents: Math.round(
        saved * OUTPUT_WEIGHT - Math.max(0, extraWrites) * CACHE_WRITE_WEIGHT,
      ),
    };
  }
  const shaped = treated.output_tokens;
  const estimate = (r: number) => Math.round((shaped * r) / (1 - r));
  return {
    method: "estimated" as const,
    requests: treated.requests,
    holdout_requests: held.requests,
    output_tokens_saved: estimate(ASSUMED.mid),
    ci_low: estimate(ASSUMED.low),
    ci_high: estimate(ASSUMED.high),
    reduction_percent: ASSUMED.mid * 100,
    extra_cache_write_tokens: null,
    net_input_token_equivalents: null,
    note: `no hold-out measurement yet (set HEADROOM_OUTPUT_HOLDOUT, needs ${MIN_HOLDOUT}+ held-out requests); assumes a ${ASSUMED.low * 100}-${ASSUMED.high * 100}% reduction`,
  };
}

function verdict(figures: ReturnType<typeof compare>): string {
  if (figures.net_input_token_equivalents === null) return "unmeasured";
  return figures.net_input_token_equivalents >= 0
    ? "saves more than it costs"
    : "costs more than it saves";
}

/** The output_shaping section of /stats. */
export function outputShapingFigures(aggregate: Aggregate, enabled: boolean) {
  const shaping = aggregate.dimension("shaping");
  const slice = (name: string) => shaping.get(name);
  const shaped = slice("shaped");
  const held = slice("holdout");
  if (!shaped && !held) return { enabled, available: false };
  const empty = emptyCounters();
  const terse = compare(shaped ?? empty, held ?? empty);
  const lowered = slice("effort_lowered");
  const effort = lowered ? compare(lowered, slice("effort_holdout") ?? empty) : undefined;
  return {
    enabled,
    available: true,
    terseness: { ...terse, verdict: verdict(terse) },
    effort: effort
      ? { ...effort, verdict: verdict(effort) }
      : {
          applied: false,
          note: "lowered only on OpenAI tool-resume turns that asked for more effort; off on Anthropic, where changing thinking settings invalidates the cached conversation",
        },
  };
}
