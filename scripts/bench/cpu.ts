/**
 * CPU time a process has used (Linux /proc): read before and after a load run, divided by the
 * requests it served, it gives the CPU one request costs, a figure that other work on the
 * machine moves far less than throughput.
 */

import { readFileSync } from "node:fs";

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
