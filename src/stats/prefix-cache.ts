/**
 * /stats' `prefix_cache` section in the original Headroom's shape: per provider and in total the
 * cache figures, the provider's read discount and write premium, the cache busts headroom caused
 * and how the misses split between those busts and causes headroom cannot see.
 * @module
 */

import { type Aggregate, type Counters, PROVIDER_MODEL, splitProviderModel } from "./aggregate.ts";
import type { PriceTable } from "./prices.ts";
import { cacheFigures, percent, round } from "./views.ts";

/** What a cached read costs and a cache write costs, relative to plain input, per provider. */
const MULTIPLIERS: Record<string, { read: number; write: number; label: string }> = {
  anthropic: { read: 0.1, write: 1.25, label: "Anthropic" },
  openai: { read: 0.5, write: 1, label: "OpenAI" },
  gemini: { read: 0.1, write: 1, label: "Google Gemini" },
  bedrock: { read: 0.1, write: 1.25, label: "Amazon Bedrock" },
};

function terms(provider: string | undefined) {
  const m = provider ? MULTIPLIERS[provider] : undefined;
  if (!m) return { read_discount: null, write_premium: null, label: provider ?? "all providers" };
  return {
    read_discount: `${Math.round((1 - m.read) * 100)}%`,
    write_premium: m.write > 1 ? `${Math.round((m.write - 1) * 100)}%` : "none",
    label: m.label,
  };
}

/**
 * Cache misses by cause: a prefix headroom changed (its own cache rewrites, recorded per request)
 * or unknown (expiry, the client's own edits, a first request). headroom cannot tell a TTL
 * expiry from the client's edits, so `ttl_expiry` stays 0 rather than a guess.
 */
function missAttribution(c: Counters) {
  const prefixChange = c.cache_rewrites_caused;
  const misses = Math.max(c.requests - c.cache_hit_requests - c.cached, prefixChange);
  return {
    ttl_expiry: 0,
    prefix_change: prefixChange,
    unknown: misses - prefixChange,
    total: misses,
    ttl_expiry_pct: 0,
    prefix_change_pct: percent(prefixChange, misses),
  };
}

function providerFigures(c: Counters, provider?: string) {
  return {
    ...cacheFigures(c),
    uncached_input_tokens: Math.max(0, c.input_tokens - c.cache_read_tokens - c.cache_write_tokens),
    bust_count: c.cache_rewrites_caused,
    ...terms(provider),
  };
}

/** Dollars the cache saved on reads and cost in write premiums, at each model's list prices. */
function cacheDollars(models: Iterable<[string, Counters]>, prices: PriceTable | undefined) {
  let saved = 0;
  let premium = 0;
  for (const [model, c] of models) {
    const price = prices?.priceOf(model);
    if (!price) continue;
    saved += (c.cache_read_tokens * (price.input - price.cachedInput)) / 1_000_000;
    premium += (c.cache_write_tokens * Math.max(0, price.cacheWrite - price.input)) / 1_000_000;
  }
  return {
    savings_usd: round(saved, 6),
    write_premium_usd: round(premium, 6),
    net_savings_usd: round(saved - premium, 6),
  };
}

/** Each provider's models with their counters. */
function modelsByProvider(aggregate: Aggregate): Map<string, [string, Counters][]> {
  const out = new Map<string, [string, Counters][]>();
  for (const [name, c] of aggregate.dimension(PROVIDER_MODEL)) {
    const { provider, model } = splitProviderModel(name);
    out.set(provider, [...(out.get(provider) ?? []), [model, c]]);
  }
  return out;
}

/** The `prefix_cache` section of one view. */
export function prefixCacheJson(aggregate: Aggregate, prices?: PriceTable) {
  const byProvider: Record<string, unknown> = {};
  const missesByProvider: Record<string, unknown> = {};
  const models = modelsByProvider(aggregate);
  for (const [name, c] of aggregate.dimension("provider")) {
    byProvider[name] = {
      ...providerFigures(c, name),
      ...cacheDollars(models.get(name) ?? [], prices),
    };
    missesByProvider[name] = missAttribution(c);
  }
  const all = aggregate.all;
  return {
    by_provider: byProvider,
    totals: { ...providerFigures(all), ...cacheDollars(aggregate.dimension("model"), prices) },
    miss_attribution: { totals: missAttribution(all), by_provider: missesByProvider },
    compression_vs_cache: {
      tokens_saved_by_compression: all.tokens_saved,
      // headroom counts the rewrites it causes, but a rewrite's tokens are part of that
      // request's cache writes, which the provider reports as one figure: unknown, not guessed.
      tokens_lost_to_cache_bust: null,
      cache_bust_count: all.cache_rewrites_caused,
      net_tokens: null,
    },
    attribution:
      "bust_count and prefix_change count the prompt-cache prefixes headroom itself changed; " +
      "other misses (expiry, the client's edits, first requests) are unknown to a proxy.",
  };
}
