/**
 * Draws GET /stats: the three savings horizons, request counters, cost, tokens, latency, the
 * prefix cache, strategies and the retrieval store, then the breakdown tables.
 * @module
 */

import type { CacheFigures, Horizon, StatsBody, Timing } from "./api-types.ts";
import { byId, el, type Format, fig, meter, replace, text, width } from "./dom.ts";
import {
  exactUsd,
  fmtBytes,
  fmtDuration,
  fmtInt,
  fmtMs,
  fmtPct,
  fmtTok,
  fmtUsd,
  isNum,
  sinceText,
} from "./format.ts";
import { renderAgents, renderModels, renderProjects, renderRecent } from "./render-tables.ts";
import { renderStatus } from "./status.ts";

/** A savings horizon's hero card: tokens, dollars, share of input and requests. */
function horizon(prefix: string, h: Horizon, dollars: unknown, percent: unknown): void {
  fig(`${prefix}-tokens-saved`, h.tokens_saved, fmtTok, fmtInt);
  fig(`${prefix}-dollars-saved`, dollars, fmtUsd, exactUsd);
  fig(`${prefix}-savings-percent`, percent, fmtPct);
  fig(`${prefix}-requests`, h.requests, fmtInt);
  meter(`${prefix}-meter`, percent);
}

export function renderStats(s: StatsBody): void {
  const t = s.tokens || {};
  const r = s.requests || {};
  const c = s.cost || {};
  const d = s.display_session || {};
  const l = s.persistent_savings?.lifetime || {};

  horizon(
    "session",
    { tokens_saved: t.saved, requests: r.total },
    c.total_saved_usd,
    t.savings_percent,
  );
  byId("session-since").textContent = sinceText(s.session?.started_at, "since ");

  horizon("display", d, d.compression_savings_usd, d.savings_percent);
  const displaySince = byId("display-since");
  displaySince.textContent = d.started_at ? sinceText(d.started_at, "since ") : "idle";
  displaySince.title = `Activity without a gap of an hour or more${d.summary ? `: ${d.summary}` : ""}`;

  horizon("lifetime", l, l.compression_savings_usd, l.savings_percent);
  const lifetimeSince = byId("lifetime-since");
  lifetimeSince.textContent = sinceText(l.first_activity_at, "since ");
  lifetimeSince.title = `${s.persistent_savings?.storage || ""} ledger${l.summary ? `: ${l.summary}` : ""}`;

  fig("requests-total", r.total, fmtInt);
  fig("requests-compressed", r.compressed, fmtInt);
  fig("requests-streamed", r.streamed, fmtInt);
  fig("requests-cached", r.cached, fmtInt);
  fig("requests-retrievals", r.retrievals, fmtInt);
  fig("outputs-over-budget", s.compressions?.over_budget, fmtInt);
  fig("cache-rewrites-caused", s.cache_rewrites_caused?.total, fmtInt);
  fig("compactions", s.compaction?.compactions, fmtInt);
  fig("compaction-tokens-saved", s.compaction?.tokens_saved, fmtInt);
  fig("compaction-saved-usd", s.compaction?.saved_usd, fmtUsd, exactUsd);
  fig("requests-upstream-errors", r.upstream_errors, fmtInt);
  fig("requests-failed", r.failed, fmtInt);
  fig("requests-aborted", r.aborted, fmtInt);
  fig("requests-rejected", r.rejected, fmtInt);
  byId("summary-text").textContent = s.summary?.text || "";

  fig("cost-without", c.without_headroom_usd, fmtUsd, exactUsd);
  fig("cost-with", c.with_headroom_usd, fmtUsd, exactUsd);
  fig("cost-compression-saved", c.compression_savings_usd, fmtUsd, exactUsd);
  fig("cost-cli-saved", c.cli_savings_usd, fmtUsd, exactUsd);
  fig("cost-total-saved", c.total_saved_usd, fmtUsd, exactUsd);
  fig("cost-unpriced", c.unpriced_requests, fmtInt);
  const without = c.without_headroom_usd || 0;
  const withHeadroom = c.with_headroom_usd || 0;
  const maxCost = Math.max(without, withHeadroom);
  byId("cost-without-bar").style.width = `${maxCost ? (without / maxCost) * 100 : 0}%`;
  byId("cost-with-bar").style.width = `${maxCost ? (withHeadroom / maxCost) * 100 : 0}%`;

  fig("tokens-before", t.total_before_compression, fmtTok, fmtInt);
  fig("tokens-input", t.input, fmtTok, fmtInt);
  fig("tokens-output", t.output, fmtTok, fmtInt);
  fig("tokens-proxy-saved", t.proxy_compression_saved, fmtTok, fmtInt);
  fig("tokens-cli-saved", t.cli_filtering_saved, fmtTok, fmtInt);
  fig("tokens-proxy-savings-percent", t.proxy_savings_percent, fmtPct);
  fig("tokens-compressible", t.compressible, fmtTok, fmtInt);
  fig("tokens-compressible-savings-percent", t.compressible_savings_percent, fmtPct);
  fig("tokens-estimated-usage", t.estimated_usage_requests, fmtInt);

  const timing: [string, Timing | undefined][] = [
    ["latency", s.latency],
    ["ttfb", s.ttfb],
    ["overhead", s.overhead],
  ];
  for (const [name, v = {}] of timing) {
    fig(`${name}-average`, v.average_ms, fmtMs);
    fig(`${name}-p50`, v.p50_ms_at_most, fmtMs);
    fig(`${name}-p95`, v.p95_ms_at_most, fmtMs);
  }
  const samples = s.ttfb?.samples;
  byId("ttfb-samples").textContent = isNum(samples)
    ? `Time to first byte from ${fmtInt(samples)} samples.`
    : "";

  renderCache(s.prefix_cache || {});
  renderStrategies(s.compressions_by_strategy || {});
  renderCcr(s.compression || {});
  renderModels(s.savings?.per_model || {});
  renderAgents(s.agent_usage?.agents || []);
  renderProjects();
  renderRecent(s.recent_requests);
  renderStatus();
}

/** A bold figure carrying its raw value, with the exact count on hover. */
function figure(field: string, value: unknown, format: Format): HTMLElement {
  return el("b", {
    "data-field": field,
    "data-value": String(value),
    text: format(value),
    title: fmtInt(value),
  });
}

function emptyNote(title: string, body: string): HTMLElement {
  return el("div", { class: "empty" }, [el("b", { text: title }), el("span", { text: body })]);
}

function renderCache(pc: NonNullable<StatsBody["prefix_cache"]>): void {
  const by = pc.by_provider || {};
  const names = Object.keys(by);
  let rows: HTMLElement[] = names.map((name) => cacheBlock(name, by[name]!));
  if (names.length > 1 && pc.totals) {
    const t = pc.totals;
    rows.push(
      el("div", { class: "cache-totals", "data-testid": "cache-totals" }, [
        el("span", { text: "All providers" }),
        el("span", null, [figure("hit_rate", t.hit_rate, fmtPct), text(" of tokens")]),
        el("span", null, [
          figure("request_hit_rate", t.request_hit_rate, fmtPct),
          text(" of requests"),
        ]),
        el("span", null, [
          text("read "),
          figure("cache_read_tokens", t.cache_read_tokens, fmtTok),
          text(" · written "),
          figure("cache_write_tokens", t.cache_write_tokens, fmtTok),
        ]),
      ]),
    );
  }
  if (!rows.length)
    rows = [
      emptyNote(
        "No cache activity yet",
        "Cache reads and writes the providers report show up here.",
      ),
    ];
  replace(byId("cache-list"), rows);
}

const PROVIDERS: Readonly<Record<string, string>> = {
  anthropic: "Anthropic",
  openai: "OpenAI",
  gemini: "Gemini",
};

function cacheBlock(name: string, p: CacheFigures): HTMLElement {
  const rate = (label: string, field: string, value: unknown) =>
    el("div", { class: "rate" }, [
      el("div", { class: "k", text: label }),
      el("div", {
        class: "v",
        "data-field": field,
        "data-value": String(value),
        text: fmtPct(value),
      }),
      el("div", { class: "track" }, [el("i", { style: `width:${width(value)}` })]),
    ]);
  const tokens = (label: string, field: string, value: unknown) =>
    el("span", null, [text(`${label} `), figure(field, value, fmtTok)]);
  const count = (field: string, value: unknown) =>
    el("span", { "data-field": field, "data-value": String(value), text: fmtInt(value) });
  return el("div", { class: "prov", "data-testid": "cache-row", "data-key": name }, [
    el("div", { class: "head" }, [
      el("span", { class: "name", text: PROVIDERS[name] || name }),
      el("span", { class: "req" }, [
        count("requests", p.requests),
        text(" requests · "),
        count("hit_requests", p.hit_requests),
        text(" hit"),
      ]),
    ]),
    el("div", { class: "rates" }, [
      rate("Token hit rate", "hit_rate", p.hit_rate),
      rate("Request hit rate", "request_hit_rate", p.request_hit_rate),
    ]),
    el("div", { class: "tokens" }, [
      tokens("read", "cache_read_tokens", p.cache_read_tokens),
      tokens("written", "cache_write_tokens", p.cache_write_tokens),
      tokens("input", "input_tokens", p.input_tokens),
    ]),
  ]);
}

function renderStrategies(by: Readonly<Record<string, number>>): void {
  const names = Object.keys(by)
    .filter((n) => by[n]! > 0)
    .sort((a, b) => by[b]! - by[a]!);
  const max = names.length ? by[names[0]!]! : 0;
  let rows: HTMLElement[] = names.map((n) =>
    el("div", { class: "hbar", "data-testid": "strategy-row", "data-key": n }, [
      el("div", { class: "top" }, [
        el("span", { class: "n", text: n, title: n }),
        el("b", { "data-field": "count", "data-value": String(by[n]), text: fmtInt(by[n]) }),
      ]),
      el("div", { class: "track" }, [
        el("i", { style: `width:${max ? (by[n]! / max) * 100 : 0}%` }),
      ]),
    ]),
  );
  if (!rows.length)
    rows = [
      emptyNote(
        "Nothing compressed yet",
        "Each compressor's count appears here (logs, JSON, search results, diffs…).",
      ),
    ];
  replace(byId("strategy-list"), rows);
}

function renderCcr(c: NonNullable<StatsBody["compression"]>): void {
  fig("ccr-entries", c.ccr_entries, fmtInt);
  fig("ccr-bytes", c.ccr_bytes, fmtBytes, fmtInt);
  fig("ccr-retrievals", c.ccr_retrievals, fmtInt);
  fig("ccr-misses", c.ccr_misses, fmtInt);
  fig("ccr-ttl", c.ccr_ttl_seconds, fmtDuration);
}
