/**
 * How the dashboard writes numbers, money, durations and times. Display only: the raw value of
 * every figure goes into its data-value attribute untouched.
 * @module
 */

/** A finite number (not NaN, not Infinity, not null). */
export function isNum(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v);
}

/** Drops trailing zeros after a decimal point ("1.50" → "1.5", "2.00" → "2"). */
export function trim(s: string): string {
  return s.includes(".") ? s.replace(/\.?0+$/, "") : s;
}

export function fmtInt(n: unknown): string {
  return isNum(n) ? Math.round(n).toLocaleString("en-US") : "–";
}

/** Token counts as 950, 12.5k, 3.40M. */
export function fmtTok(n: unknown): string {
  if (!isNum(n)) return "–";
  const a = Math.abs(n);
  if (a < 1000) return String(Math.round(n));
  if (a < 1e6) return `${trim((n / 1e3).toFixed(a < 1e4 ? 2 : a < 1e5 ? 1 : 0))}k`;
  if (a < 1e9) return `${(n / 1e6).toFixed(a < 1e7 ? 2 : a < 1e8 ? 1 : 0)}M`;
  return `${trim((n / 1e9).toFixed(2))}B`;
}

export function fmtUsd(x: unknown): string {
  if (!isNum(x)) return "–";
  if (x === 0) return "$0.00";
  if (Math.abs(x) < 0.01) return `${x < 0 ? "-" : ""}<$0.01`;
  const cents = Math.abs(x).toLocaleString("en-US", {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  });
  return `${x < 0 ? "-$" : "$"}${cents}`;
}

/** A dollar amount to six decimals, for the hover text. */
export function exactUsd(x: unknown): string {
  return isNum(x) ? `$${x.toLocaleString("en-US", { maximumFractionDigits: 6 })}` : "";
}

export function fmtPct(p: unknown): string {
  return isNum(p) ? `${trim(p.toFixed(2))}%` : "–";
}

export function fmtMs(ms: unknown): string {
  if (!isNum(ms)) return "–";
  if (ms >= 1000) return `${trim((ms / 1000).toFixed(2))} s`;
  if (ms >= 100) return `${Math.round(ms)} ms`;
  if (ms >= 10) return `${trim(ms.toFixed(1))} ms`;
  return `${trim(ms.toFixed(2))} ms`;
}

export function fmtBytes(bytes: unknown): string {
  if (!isNum(bytes)) return "–";
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let b = bytes;
  let i = -1;
  do {
    b /= 1024;
    i++;
  } while (b >= 1024 && i < units.length - 1);
  return `${trim(b.toFixed(b < 10 ? 1 : 0))} ${units[i]}`;
}

export function fmtDuration(s: unknown): string {
  if (!isNum(s)) return "–";
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  if (s < 172800) return `${trim((s / 3600).toFixed(1))} h`;
  return `${Math.round(s / 86400)} days`;
}

/** "just now", "12s ago", "3m ago", "2h ago", "4d ago". */
export function ago(iso: string | null | undefined): string {
  if (!iso) return "";
  const s = (Date.now() - Date.parse(iso)) / 1000;
  if (!Number.isFinite(s)) return "";
  if (s < 5) return "just now";
  if (s < 60) return `${Math.round(s)}s ago`;
  if (s < 3600) return `${Math.round(s / 60)}m ago`;
  if (s < 86400) return `${Math.round(s / 3600)}h ago`;
  return `${Math.round(s / 86400)}d ago`;
}

function validDate(iso: string): Date | undefined {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** The local clock time of `iso` (hours, minutes, seconds). */
export function clock(iso: string): string {
  const d = validDate(iso);
  return d
    ? d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" })
    : "";
}

/** A short local date and time. */
export function dateTime(iso: string): string {
  const d = validDate(iso);
  return d
    ? d.toLocaleString([], { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" })
    : "";
}

/** A clock time for today, a short date and time otherwise. */
export function stamp(iso: string): string {
  const d = validDate(iso);
  if (!d) return "";
  return d.toDateString() === new Date().toDateString() ? clock(iso) : dateTime(iso);
}

/** `prefix` and the time of `iso` if it is today, else its date (with the year if not this one). */
export function sinceText(iso: string | null | undefined, prefix: string): string {
  if (!iso) return "";
  const d = new Date(iso);
  const now = new Date();
  if (d.toDateString() === now.toDateString())
    return prefix + d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  const year = d.getFullYear() === now.getFullYear() ? undefined : "numeric";
  return prefix + d.toLocaleDateString([], { month: "short", day: "numeric", year });
}
