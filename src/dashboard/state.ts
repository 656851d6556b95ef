/**
 * What the dashboard last heard from the proxy and the viewer's choices (the chart granularity
 * and project view survive a reload in localStorage).
 * @module
 */

import type { Granularity, HistoryBody, StatsBody } from "./api-types.ts";

/** How often each answer is asked for, and how long one may take. */
export const STATS_MS = 3000;
export const FEED_MS = 3000;
export const HISTORY_MS = 30000;
export const HEALTH_MS = 30000;
export const TIMEOUT_MS = 8000;

export type ProjectView = "session" | "display" | "lifetime";

const GRANULARITIES: readonly string[] = ["hourly", "daily", "weekly", "monthly"];

function load(key: string, fallback: string): string {
  try {
    return localStorage.getItem(key) || fallback;
  } catch {
    return fallback;
  }
}

/** Remembers a choice; private browsing may refuse, which only costs the memory. */
export function save(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // private mode
  }
}

const storedGranularity = load("hr.granularity", "daily");

export const state = {
  stats: null as StatsBody | null,
  history: null as HistoryBody | null,
  granularity: (GRANULARITIES.includes(storedGranularity)
    ? storedGranularity
    : "daily") as Granularity,
  projectView: load("hr.projectView", "session") as ProjectView,
  /** When /stats last answered (ms), 0 before the first answer. */
  lastOk: 0,
  failing: false,
  /** Feed entries already drawn, so only new ones flash. */
  seenFeed: new Set<string>(),
  feedPrimed: false,
};
