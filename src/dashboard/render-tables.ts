/**
 * The breakdown tables of GET /stats: by model, by agent, by project (session, working session
 * or lifetime) and the recent requests.
 * @module
 */

import type { AgentFigures, RecentRequest, SliceFigures } from "./api-types.ts";
import { byId, cell, el, replace, text, width } from "./dom.ts";
import { dateTime, fmtInt, fmtMs, fmtPct, fmtTok, fmtUsd, stamp } from "./format.ts";
import { state } from "./state.ts";

type SliceTable = Readonly<Record<string, SliceFigures>>;

function sliceRows(table: SliceTable, testid: string): HTMLTableRowElement[] {
  return Object.keys(table)
    .filter((name) => table[name] && table[name].requests > 0)
    .map((name) => {
      const v = table[name]!;
      const first = cell("name", name, null, "name");
      first.title =
        name + (v.last_activity_at ? ` · last active ${dateTime(v.last_activity_at)}` : "");
      return el("tr", { "data-testid": testid, "data-key": name }, [
        first,
        cell("requests", v.requests, fmtInt),
        cell("tokens_saved", v.tokens_saved, fmtTok, "saved"),
        cell("savings_percent", v.savings_percent, fmtPct),
        cell("compression_savings_usd", v.compression_savings_usd, fmtUsd),
      ]);
    });
}

/** Fills the rows of a table, hiding it and showing its empty note when there are none. */
function fill(bodyId: string, emptyId: string, rows: readonly HTMLElement[]): HTMLElement {
  const body = byId(bodyId);
  replace(body, rows);
  byId(emptyId).hidden = rows.length > 0;
  (body.closest(".table-wrap") as HTMLElement).hidden = rows.length === 0;
  return body;
}

export function renderModels(table: SliceTable): void {
  fill("model-rows", "model-empty", sliceRows(table, "model-row"));
}

export function renderAgents(agents: readonly AgentFigures[]): void {
  const rows = agents
    .filter((a) => a.requests > 0)
    .map((a) => {
      const share = el(
        "td",
        {
          "data-field": "share_of_saved_percent",
          "data-value": String(a.share_of_saved_percent),
          title: `share of tokens saved; ${fmtPct(a.share_of_requests_percent)} of requests`,
        },
        [
          el("span", { class: "minibar" }, [
            el("i", { style: `width:${width(a.share_of_saved_percent)}` }),
          ]),
          text(fmtPct(a.share_of_saved_percent)),
        ],
      );
      return el("tr", { "data-testid": "agent-row", "data-key": a.agent }, [
        cell("agent", a.agent, null, "name"),
        cell("requests", a.requests, fmtInt),
        cell("tokens_saved", a.tokens_saved, fmtTok, "saved"),
        cell("savings_percent", a.savings_percent, fmtPct),
        share,
      ]);
    });
  fill("agent-rows", "agent-empty", rows);
}

/** The project table in the view the viewer picked. */
export function renderProjects(): void {
  const s = state.stats;
  if (!s) return;
  const view = state.projectView;
  const table =
    view === "lifetime"
      ? s.persistent_savings?.projects
      : view === "display"
        ? s.display_session?.per_project
        : s.savings?.per_project;
  const body = fill("project-rows", "project-empty", sliceRows(table || {}, "project-row"));
  body.closest("table")?.setAttribute("data-view", view);
  for (const b of document.querySelectorAll("#project-view button"))
    b.setAttribute("aria-pressed", String(b.getAttribute("data-v") === view));
}

const OUTCOME: Readonly<Record<string, string>> = {
  ok: "green",
  upstream_error: "red",
  failed: "red",
  aborted: "amber",
  rejected: "amber",
  cached: "blue",
};

function recentRow(r: RecentRequest): HTMLTableRowElement {
  const status = el("td", { class: "l", "data-field": "status", "data-value": String(r.status) }, [
    el("span", {
      class: `chip ${OUTCOME[r.outcome] || ""}`,
      text: `${r.status} ${String(r.outcome).replace(/_/g, " ")}`,
    }),
  ]);
  const applied = r.transforms_applied || [];
  const transforms = el(
    "td",
    { class: "l", "data-field": "transforms_applied" },
    applied.slice(0, 3).map((t) => el("span", { class: "chip", text: t, title: t })),
  );
  if (applied.length > 3)
    transforms.appendChild(el("span", { class: "subtle", text: ` +${applied.length - 3}` }));
  const flags: string[] = [];
  if (r.streamed) flags.push("stream");
  if (r.cached) flags.push("cached");
  if (r.layer && r.layer !== "proxy") flags.push(r.layer);
  const time = el("td", {
    class: "muted",
    "data-field": "timestamp",
    "data-value": r.timestamp,
    title: r.timestamp + (flags.length ? ` · ${flags.join(", ")}` : ""),
    text: stamp(r.timestamp),
  });
  const saved = cell(
    "tokens_saved",
    r.tokens_saved,
    (v) => (v ? `−${fmtTok(v)}` : "–"),
    r.tokens_saved ? "saved" : "muted",
  );
  if (r.tokens_saved)
    saved.title = `${fmtInt(r.tokens_saved)} tokens, ${fmtPct(r.savings_percent)}`;
  const input = cell("input_tokens_original", r.input_tokens_original, fmtTok);
  input.title = `${fmtInt(r.input_tokens_original)} → ${fmtInt(r.input_tokens_optimized)} tokens`;
  return el("tr", { "data-testid": "recent-row", "data-key": String(r.request_id) }, [
    time,
    cell("model", r.model || "–", null, "l name"),
    cell("agent", r.agent || "–", null, "l"),
    cell("project", r.project || "–", null, "l muted"),
    status,
    input,
    saved,
    cell("output_tokens", r.output_tokens, fmtTok),
    cell("total_latency_ms", r.total_latency_ms, fmtMs),
    cell("ttfb_ms", r.ttfb_ms, fmtMs),
    transforms,
  ]);
}

export function renderRecent(recent: readonly RecentRequest[] | undefined): void {
  const empty = byId("recent-empty");
  const body = byId("recent-rows");
  const wrap = body.closest(".table-wrap") as HTMLElement;
  if (!Array.isArray(recent)) {
    replace(body, []);
    wrap.hidden = true;
    empty.hidden = false;
    replace(empty, [
      el("b", { text: "Recent requests are shown on this machine only" }),
      el("span", { text: "Open the dashboard through 127.0.0.1 or localhost to see them." }),
    ]);
    return;
  }
  const rows = recent.map(recentRow);
  replace(body, rows);
  wrap.hidden = rows.length === 0;
  empty.hidden = rows.length > 0;
  if (!rows.length) replace(empty, emptyStart("No requests yet"));
}

/** An empty panel's invitation: how to point an agent at this proxy. */
export function emptyStart(title: string): HTMLElement[] {
  return [
    el("b", { text: title }),
    el("span", { text: "Point an agent at this proxy:" }),
    el("code", { text: `ANTHROPIC_BASE_URL=${location.origin} claude` }),
    el("code", { text: `OPENAI_BASE_URL=${location.origin}/v1 codex` }),
  ];
}
