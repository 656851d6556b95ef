/**
 * CPU time a process has used (Linux /proc): read before and after a load run, divided by the
 * requests it served, it gives the CPU one request costs, a figure that other work on the
 * machine moves far less than throughput.
 */

import { readdirSync, readFileSync } from "node:fs";

// /proc/<pid>/stat counts in clock ticks; Linux uses 100 per second on every common platform.
const TICK_MS = 10;

/** Milliseconds of CPU (user + system) process `pid` has used, or NaN where /proc is missing. */
export function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name may contain spaces: the fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return Number.NaN;
  }
}

/** CPU a thread has used, in milliseconds, split into user and system time. */
export interface ThreadCpu {
  readonly name: string;
  readonly userMs: number;
  readonly systemMs: number;
}

/**
 * CPU time of each thread of process `pid` (Linux /proc), keyed by thread id: which of the JS
 * thread, Bun's HTTP client thread and the GC helpers a request's CPU goes to. Empty where /proc
 * is missing.
 */
export function threadCpu(pid: number): Map<string, ThreadCpu> {
  const threads = new Map<string, ThreadCpu>();
  let ids: string[];
  try {
    ids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return threads;
  }
  for (const id of ids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${id}/stat`, "utf8");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      threads.set(id, {
        name,
        userMs: Number(fields[11]) * TICK_MS,
        systemMs: Number(fields[12]) * TICK_MS,
      });
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return threads;
}
