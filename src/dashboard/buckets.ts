/**
 * The history charts' time axis: UTC buckets of each granularity, how many to show, their labels,
 * and a y scale with round steps.
 * @module
 */

import type { Granularity, HistoryPoint } from "./api-types.ts";

const HOUR = 3600000;
const DAY = 86400000;
/** At most this many buckets are drawn... */
const WINDOW: Readonly<Record<Granularity, number>> = {
  hourly: 48,
  daily: 30,
  weekly: 26,
  monthly: 12,
};
/** ...and at least this many, so a young ledger still reads as a timeline. */
const MIN_BUCKETS: Readonly<Record<Granularity, number>> = {
  hourly: 24,
  daily: 14,
  weekly: 12,
  monthly: 6,
};
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** The start of the bucket holding `ts` (weeks start on Monday). */
function bucketStart(ts: number, g: Granularity): number {
  if (g === "hourly") return Math.floor(ts / HOUR) * HOUR;
  const day = Math.floor(ts / DAY) * DAY;
  if (g === "daily") return day;
  if (g === "weekly") return day - ((new Date(day).getUTCDay() + 6) % 7) * DAY;
  const d = new Date(ts);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

function prevBucket(ts: number, g: Granularity): number {
  if (g === "monthly") {
    const d = new Date(ts);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1);
  }
  return ts - (g === "hourly" ? HOUR : g === "daily" ? DAY : 7 * DAY);
}

/** A bucket's axis label, or with `long` its tooltip title. */
export function bucketLabel(ts: number, g: Granularity, long: boolean): string {
  const d = new Date(ts);
  if (g === "hourly") {
    if (!long) return d.toLocaleTimeString([], { hour: "numeric" });
    const day = d.toLocaleDateString([], { month: "short", day: "numeric" });
    return `${day}, ${d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}`;
  }
  const md = `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`;
  if (g === "daily") return long ? `${md}, ${d.getUTCFullYear()}` : md;
  if (g === "weekly") return long ? `Week of ${md}, ${d.getUTCFullYear()}` : md;
  return MONTHS[d.getUTCMonth()] + (long || d.getUTCMonth() === 0 ? ` ${d.getUTCFullYear()}` : "");
}

/** A bucket to draw, with its point of the series when something happened in it. */
export interface Bucket {
  readonly ts: number;
  readonly point: HistoryPoint | null;
}

/** The buckets to draw: the series' own points, plus empty buckets where nothing happened. */
export function buckets(points: readonly HistoryPoint[], g: Granularity): Bucket[] {
  const byTs = new Map<number, HistoryPoint>();
  for (const p of points) byTs.set(Date.parse(p.timestamp), p);
  const end = bucketStart(Date.now(), g);
  const first = points.length ? Date.parse(points[0]!.timestamp) : end;
  const out: number[] = [];
  let ts = end;
  while (out.length < WINDOW[g] && (ts >= first || out.length < MIN_BUCKETS[g])) {
    out.push(ts);
    ts = prevBucket(ts, g);
  }
  // Points newer than "now" (a clock skew) are still shown.
  for (const p of points) {
    const t = Date.parse(p.timestamp);
    if (t > end) out.unshift(t);
  }
  out.sort((a, b) => a - b);
  return out.map((t) => ({ ts: t, point: byTs.get(t) || null }));
}

/** A y scale: its top and 2–4 round gridline steps above zero. */
export interface Scale {
  readonly max: number;
  readonly ticks: number;
}

export function niceScale(v: number): Scale {
  if (!(v > 0)) return { max: 1, ticks: 4 };
  const raw = v / 4;
  const p = 10 ** Math.floor(Math.log10(raw));
  const n = raw / p;
  const steps = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];
  const nice = steps.find((s) => n <= s + 1e-9);
  const step = nice === undefined ? 10 * p : nice * p;
  const ticks = Math.max(2, Math.ceil(v / step - 1e-9));
  return { max: step * ticks, ticks };
}
