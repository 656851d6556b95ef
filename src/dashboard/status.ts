/**
 * The header pills (live/offline/paused, version, upstream health), the "not answering" banner
 * and the "Updated" stamp.
 * @module
 */

import type { HealthBody } from "./api-types.ts";
import { byId, el, replace } from "./dom.ts";
import { statusOf } from "./fetch-json.ts";
import { clock, fmtDuration, isNum } from "./format.ts";
import { STATS_MS, state } from "./state.ts";

/** Shows or clears the outage: the banner, stale cards, and upstream health as unknown. */
export function setFailing(failing: boolean, error: unknown): void {
  state.failing = failing;
  byId("banner").classList.toggle("show", failing);
  byId("main").classList.toggle("stale", failing && !!state.stats);
  if (failing) {
    const status = statusOf(error);
    const why = status ? `It answered ${status} to /stats.` : `No answer from ${location.origin}.`;
    const last = state.lastOk
      ? ` Showing figures from ${clock(new Date(state.lastOk).toISOString())}.`
      : "";
    byId("banner-text").textContent = `${why} Retrying every ${STATS_MS / 1000} s.${last}`;
    const pill = byId("upstreams");
    pill.classList.remove("ok", "warn", "bad");
    pill.title = "unknown while the proxy does not answer";
    replace(pill, [el("span", { class: "dot" }), el("span", { text: "upstreams unknown" })]);
  }
  renderStatus();
}

export function renderStatus(): void {
  const pill = byId("status");
  const label = byId("status-text");
  pill.classList.remove("live", "down", "paused");
  if (document.hidden) {
    pill.classList.add("paused");
    label.textContent = "paused";
  } else if (state.failing) {
    pill.classList.add("down");
    label.textContent = "offline";
  } else if (state.lastOk) {
    pill.classList.add("live");
    label.textContent = `live · every ${STATS_MS / 1000} s`;
  } else label.textContent = "connecting…";
  if (state.lastOk)
    byId("last-updated").textContent = `Updated ${clock(new Date(state.lastOk).toISOString())}`;
}

const DOWN = new Set(["unreachable", "down", "unhealthy"]);
const UP = new Set(["reachable", "healthy"]);

export function renderHealth(h: HealthBody): void {
  const version = byId("version");
  const uptime = isNum(h.uptime_seconds) ? ` · up ${fmtDuration(h.uptime_seconds)}` : "";
  replace(version, [el("span", { text: `v${h.version || "?"}${uptime}` })]);
  version.setAttribute("data-value", h.version || "");
  const ups = h.upstreams || {};
  const names = Object.keys(ups);
  const bad = names.filter((n) => DOWN.has(ups[n]!.status));
  const unknown = names.filter((n) => !DOWN.has(ups[n]!.status) && !UP.has(ups[n]!.status));
  const pill = byId("upstreams");
  pill.classList.remove("ok", "warn", "bad");
  pill.classList.add(bad.length ? "bad" : h.status === "healthy" ? "ok" : "warn");
  pill.title = names.map((n) => `${n}: ${ups[n]!.status}`).join(" · ");
  const summary = bad.length
    ? `${bad.join(", ")} unreachable`
    : `upstreams ${unknown.length === names.length ? "idle" : "ok"}`;
  replace(pill, [el("span", { class: "dot" }), el("span", { text: summary })]);
}
