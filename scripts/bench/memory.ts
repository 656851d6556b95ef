/**
 * Resident memory of a process and everything it started (Linux /proc), so a wrapper process or
 * a helper child is never left out of the figure.
 */

import { readdirSync, readFileSync } from "node:fs";

/** Resident set sizes in MiB: total, anonymous (heap) and file-backed (mapped executable). */
export interface Rss {
  readonly total: number;
  readonly anon: number;
  readonly file: number;
  readonly processes: number;
}

function children(): Map<number, number[]> {
  const byParent = new Map<number, number[]>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      // The command name may contain spaces and parentheses: the fields start after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const list = byParent.get(ppid) ?? [];
      list.push(Number(name));
      byParent.set(ppid, list);
    } catch {
      // The process exited while we looked.
    }
  }
  return byParent;
}

function field(status: string, name: string): number {
  const match = status.match(new RegExp(`${name}:\\s+(\\d+) kB`));
  return match ? Number(match[1]) / 1024 : 0;
}

/** The RSS of `pid` and its descendants; zero when it is gone. */
export function treeRss(pid: number): Rss {
  const byParent = children();
  const pids = [pid];
  for (let i = 0; i < pids.length; i++) pids.push(...(byParent.get(pids[i]!) ?? []));
  let total = 0;
  let anon = 0;
  let file = 0;
  let processes = 0;
  for (const p of pids) {
    try {
      const status = readFileSync(`/proc/${p}/status`, "utf8");
      total += field(status, "VmRSS");
      anon += field(status, "RssAnon");
      file += field(status, "RssFile") + field(status, "RssShmem");
      processes++;
    } catch {
      // Exited.
    }
  }
  return { total, anon, file, processes };
}
