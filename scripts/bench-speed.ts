/**
 * Compression speed per kind of tool output, in MB/s (the target is at least 10 for every
 * kind). Inputs are real outputs of programs on this machine, each cut to about 1 MB at a line
 * boundary (a program whose output is shorter is read as it is), plus, when a sample corpus
 * directory is given, every sample in it at its own size. Token counting is not included: it
 * runs after the request has gone, in a worker. MB/s is computed from the process's CPU time,
 * which a busy shared machine disturbs far less than the wall clock (both are printed).
 *
 *   bun run scripts/bench-speed.ts [--corpus DIR] [--only KIND]
 */

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { compressText } from "../src/compress/compress-text.ts";
import { detectContent } from "../src/compress/detect.ts";
import { printTable, quantile, round } from "./bench/stats.ts";

const { values } = parseArgs({
  options: { corpus: { type: "string" }, only: { type: "string" } },
});
const MB = 1024 * 1024;
const root = join(import.meta.dir, "..");

/** The output of `command` run through sh, cut to about `max` characters at a line end. */
function capture(command: string, max = MB): string {
  const proc = Bun.spawnSync(["sh", "-c", command], {
    cwd: root,
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, NO_COLOR: "1" },
  });
  const text = proc.stdout.toString();
  if (text.length <= max) return text;
  const end = text.lastIndexOf("\n", max);
  return text.slice(0, end > 0 ? end + 1 : max);
}

/** Real programs whose output is one kind each (a file read whole counts as `cat`'s output). */
const PROGRAMS: [string, string][] = [
  [
    "jq timezones",
    "jq '{version, zones: .zones[0:117]}' /usr/share/javascript/moment-timezone/data/unpacked/latest.json",
  ],
  ["npm query", "npm query '*'"],
  ["ls -laR /usr/share", "ls -laR /usr/share 2>/dev/null"],
  [
    "find -printf table",
    "find /usr -xdev -type f -printf '%s\\t%TY-%Tm-%Td\\t%u\\t%p\\n' 2>/dev/null",
  ],
  ["dpkg -l", "dpkg -l"],
  ["grep -rn", "grep -rn 'function' node_modules/typescript/lib/*.d.ts src"],
  ["git log -p", "git log -p"],
  [
    "cat logs",
    "cat /var/log/dpkg.log /var/log/apt/term.log /var/log/alternatives.log /var/log/apt/history.log",
  ],
  ["nodejs fs.html", "cat /usr/share/doc/nodejs/api/fs.html"],
  ["typescript.js", "cat node_modules/typescript/lib/typescript.js"],
  ["python policy", "cat /usr/share/doc/python3/python-policy.html"],
];

interface Input {
  readonly name: string;
  readonly text: string;
}

function inputs(): Input[] {
  const list: Input[] = [];
  for (const [name, command] of PROGRAMS) {
    const text = capture(command);
    if (text.length > 0) list.push({ name, text });
  }
  const dir = values.corpus;
  if (dir && existsSync(dir)) {
    for (const file of readdirSync(dir).sort()) {
      if (!file.endsWith(".txt")) continue;
      list.push({ name: `corpus/${file}`, text: readFileSync(join(dir, file), "utf8") });
    }
  }
  return list;
}

/** CPU milliseconds of this process so far (user and system). */
function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/**
 * Median wall-clock and CPU milliseconds of `fn`, after one warm-up, over enough runs to take
 * about 300 ms.
 */
function timeIt(fn: () => void): { wall: number; cpu: number } {
  const start = performance.now();
  fn();
  const once = Math.max(performance.now() - start, 0.01);
  const runs = Math.min(50, Math.max(5, Math.ceil(300 / once)));
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const c = cpuMs();
    fn();
    cpu.push(cpuMs() - c);
    wall.push(performance.now() - t);
  }
  return { wall: quantile(wall, 0.5), cpu: quantile(cpu, 0.5) };
}

const hash = "0123456789abcdef01234567";
const rows: (string | number)[][] = [];
const byKind = new Map<string, { chars: number; ms: number; slowest: number }>();
for (const input of inputs()) {
  const kind = detectContent(input.text);
  if (values.only && kind !== values.only) continue;
  const options = { query: "", lossy: true, hash: () => hash };
  const result = compressText(input.text, options);
  const { wall, cpu } = timeIt(() => compressText(input.text, options));
  const ms = Math.max(cpu, 0.001);
  const detectMs = timeIt(() => detectContent(input.text)).cpu;
  const mbps = input.text.length / MB / (ms / 1000);
  const totals = byKind.get(kind) ?? { chars: 0, ms: 0, slowest: Number.POSITIVE_INFINITY };
  byKind.set(kind, {
    chars: totals.chars + input.text.length,
    ms: totals.ms + ms,
    slowest: Math.min(totals.slowest, mbps),
  });
  rows.push([
    kind,
    input.name.slice(0, 48),
    round(input.text.length / 1024, 0),
    result?.strategy ?? "-",
    round(wall, 2),
    round(ms, 2),
    round(detectMs, 2),
    round(mbps, 1),
    mbps >= 10 ? "" : "SLOW",
  ]);
}
printTable(
  ["kind", "input", "KB", "strategy", "wall ms", "CPU ms", "detect CPU ms", "MB/s", ""],
  rows,
);
console.log("");
printTable(
  ["kind", "MB", "MB/s overall", "slowest input MB/s"],
  [...byKind].map(([kind, t]) => [
    kind,
    round(t.chars / MB, 2),
    round(t.chars / MB / (t.ms / 1000), 1),
    round(t.slowest, 1),
  ]),
);
