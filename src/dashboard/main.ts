/**
 * The dashboard's script: polls /stats, /transformations/feed, /stats-history and /health from
 * this origin, draws what they say, and wires the granularity and project-view buttons.
 * scripts/build-dashboard.ts bundles it into the page.
 * @module
 */

import type { FeedBody, Granularity, HealthBody, HistoryBody, StatsBody } from "./api-types.ts";
import { renderHistory } from "./charts.ts";
import { byId } from "./dom.ts";
import { getJson, statusOf } from "./fetch-json.ts";
import { every } from "./poll-loop.ts";
import { renderFeed } from "./render-feed.ts";
import { renderStats } from "./render-stats.ts";
import { renderProjects } from "./render-tables.ts";
import {
  FEED_MS,
  HEALTH_MS,
  HISTORY_MS,
  type ProjectView,
  STATS_MS,
  save,
  state,
} from "./state.ts";
import { renderHealth, renderStatus, setFailing } from "./status.ts";

// Each poll handles only a failed read; an error while drawing is not an outage.

async function pollStats(): Promise<void> {
  let body: StatsBody;
  try {
    body = await getJson<StatsBody>("/stats?cached=true");
  } catch (error) {
    setFailing(true, error);
    return;
  }
  const recovered = state.failing;
  state.stats = body;
  state.lastOk = Date.now();
  setFailing(false, null);
  if (recovered) {
    void pollHealth();
    void pollHistory();
  }
  renderStats(body);
}

async function pollHistory(): Promise<void> {
  try {
    state.history = await getJson<HistoryBody>("/stats-history?history_mode=none");
  } catch (error) {
    // Only an answer with an error status is news; silence is the stats poll's to report.
    if (statusOf(error)) setFailing(true, error);
    return;
  }
  renderHistory();
}

async function pollFeed(): Promise<void> {
  let body: FeedBody;
  try {
    body = await getJson<FeedBody>("/transformations/feed?limit=50");
  } catch (error) {
    // The feed is for this machine only: another machine is answered 404.
    if (statusOf(error) === 404) renderFeed(null, true);
    return;
  }
  renderFeed(body, false);
}

async function pollHealth(): Promise<void> {
  let body: HealthBody;
  try {
    body = (await (await fetch("/health", { cache: "no-store" })).json()) as HealthBody;
  } catch {
    return; // the stats poll reports the outage
  }
  renderHealth(body);
}

for (const b of document.querySelectorAll("#granularity button")) {
  b.addEventListener("click", () => {
    state.granularity = b.getAttribute("data-g") as Granularity;
    save("hr.granularity", state.granularity);
    renderHistory();
  });
}
for (const b of document.querySelectorAll("#project-view button")) {
  b.addEventListener("click", () => {
    state.projectView = b.getAttribute("data-v") as ProjectView;
    save("hr.projectView", state.projectView);
    renderProjects();
  });
}
renderHistory();

// Redraw the charts at the new width once resizing pauses.
let resizeTimer: ReturnType<typeof setTimeout> | undefined;
let lastWidth = 0;
if (typeof ResizeObserver === "function") {
  new ResizeObserver((entries) => {
    const w = entries[0]!.contentRect.width;
    if (Math.abs(w - lastWidth) < 2) return;
    lastWidth = w;
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(renderHistory, 80);
  }).observe(byId("history-body"));
}

const loops = [
  every(STATS_MS, pollStats),
  every(FEED_MS, pollFeed),
  every(HISTORY_MS, pollHistory),
  every(HEALTH_MS, pollHealth),
];
document.addEventListener("visibilitychange", () => {
  for (const loop of loops) {
    if (document.hidden) loop.stop();
    else loop.start();
  }
  renderStatus();
});
for (const loop of loops) loop.start();
// Relative times ("12s ago") age between polls.
setInterval(() => {
  if (!document.hidden) renderStatus();
}, 1000);
