/**
 * Tool outputs of a chosen kind and size, for the perf and soak scripts: `toolOutput(kind,
 * bytes, seed)` is deterministic for a (kind, bytes, seed) and varied across seeds, so repeated
 * runs neither share a cache entry nor depend on the machine's clock. Search results, listings
 * and diffs are made from the real files of this repository and its node_modules; JSON, logs,
 * tables and HTML are generated in the shapes real tools print.
 */

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { prng } from "./corpus.ts";

/** The kinds of tool output the compressors handle. */
export const KINDS = ["json", "log", "search", "diff", "listing", "table", "html"] as const;
export type SampleKind = (typeof KINDS)[number];

const root = join(import.meta.dir, "..", "..");

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)]!;
const int = (random: Random, low: number, high: number) =>
  low + Math.floor(random() * (high - low + 1));

const WORDS =
  "request response handler worker cache token stream retry upstream session config build test deploy index query record user order payment invoice queue schedule timeout connection pool buffer parser render template module package release branch commit review metric latency error warning status".split(
    " ",
  );

function words(random: Random, count: number): string {
  return Array.from({ length: count }, () => pick(random, WORDS)).join(" ");
}

/** Appends pieces from `next` until the text reaches `bytes` characters (ASCII, so bytes). */
function fill(bytes: number, next: (index: number) => string, separator = "\n"): string {
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < bytes; i++) {
    const part = next(i);
    parts.push(part);
    length += part.length + separator.length;
  }
  return parts.join(separator);
}

// ---------------------------------------------------------------- generated kinds

function json(bytes: number, random: Random): string {
  const items: unknown[] = [];
  let length = 2;
  const needle = int(random, 10, 60);
  for (let i = 0; length < bytes; i++) {
    const item = {
      id: 40_000 + i,
      number: 4200 + i,
      title: `${pick(random, ["Crash when", "Slow", "Support", "Docs for", "Regression in"])} ${words(random, 3)}`,
      state: random() < 0.8 ? "open" : "closed",
      user: { login: `dev${int(random, 1, 60)}`, id: int(random, 10_000, 99_999), type: "User" },
      labels: ["bug", "enhancement", "docs", "performance"]
        .filter(() => random() < 0.3)
        .map((name) => ({ name, color: "d73a4a" })),
      comments: int(random, 0, 30),
      created_at: new Date(Date.UTC(2026, 5, 1) + i * 3_600_000).toISOString(),
      body:
        i === needle
          ? "Data loss: SIGKILL during compaction corrupts the WAL"
          : `${words(random, int(random, 8, 30))}.`,
    };
    items.push(item);
    length += JSON.stringify(item, null, 2).length + 4;
  }
  return JSON.stringify(items, null, 2);
}

function log(bytes: number, random: Random): string {
  const services = ["api", "worker", "scheduler", "billing", "auth", "gateway"];
  const start = Date.UTC(2026, 10, 26, 7, 0, 0);
  return fill(bytes, (i) => {
    const ts = new Date(start + i * 137).toISOString();
    const roll = random();
    const service = pick(random, services);
    if (roll < 0.004) {
      return `${ts} ERROR [${service}] job ${i} failed: disk quota exceeded on /var/lib/${service}\n    at Store.write (src/store/${service}.ts:${int(random, 10, 400)}:${int(random, 3, 40)})\n    at Worker.run (src/worker.ts:${int(random, 10, 200)}:7)`;
    }
    if (roll < 0.03) {
      return `${ts} WARN  [${service}] slow ${pick(random, WORDS)} took ${int(random, 900, 9000)}ms (threshold 800ms)`;
    }
    const level = roll < 0.5 ? "INFO " : "DEBUG";
    return `${ts} ${level} [${service}] ${words(random, 4)} id=${int(random, 1, 1e6)} in ${int(random, 1, 700)}ms`;
  });
}

function table(bytes: number, random: Random): string {
  const header = "date,sku,store,region,units,unit_price,revenue,status";
  return fill(bytes, (i) => {
    if (i === 0) return header;
    const units = random() < 0.002 ? 9400 : int(random, 1, 120);
    const price = (int(random, 100, 9000) / 100).toFixed(2);
    return `2026-10-${String((i % 30) + 1).padStart(2, "0")},SKU-${int(random, 100, 999)},store-${int(random, 1, 40)},${pick(random, ["eu-west", "us-east", "ap-south"])},${units},${price},${(units * Number(price)).toFixed(2)},${random() < 0.97 ? "paid" : "refunded"}`;
  });
}

function html(bytes: number, random: Random): string {
  const head = `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>${words(random, 4)} — Docs</title>\n<link rel="stylesheet" href="/assets/site.css">\n<style>body{font-family:sans-serif}.nav a{margin:0 4px}</style>\n<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}</script>\n</head>\n<body>\n<nav class="nav">${Array.from({ length: 12 }, (_, i) => `<a href="/docs/${i}">${words(random, 2)}</a>`).join("")}</nav>\n<main><article>\n<h1>${words(random, 5)}</h1>`;
  const tail = `</article></main>\n<footer><p>© 2026 Example Inc. <a href="/privacy">Privacy</a> <a href="/terms">Terms</a></p></footer>\n<script src="/assets/app.js"></script>\n</body>\n</html>`;
  const body = fill(bytes - head.length - tail.length, (i) => {
    const roll = random();
    if (i % 9 === 0) return `<h2 id="s${i}">${words(random, 4)}</h2>`;
    if (roll < 0.1) {
      const rows = Array.from(
        { length: int(random, 3, 8) },
        () =>
          `<tr><td>${pick(random, WORDS)}</td><td>${int(random, 1, 999)}</td><td>${words(random, 3)}</td></tr>`,
      ).join("");
      return `<table class="params"><thead><tr><th>Name</th><th>Default</th><th>Description</th></tr></thead><tbody>${rows}</tbody></table>`;
    }
    if (roll < 0.2) {
      return `<pre><code class="language-ts">const ${pick(random, WORDS)} = await client.${pick(random, WORDS)}({ retries: ${int(random, 0, 5)} });</code></pre>`;
    }
    if (roll < 0.25) {
      return `<div class="ad" data-slot="${i}"><img src="/ads/${i}.png" alt="ad"><script>track(${i})</script></div>`;
    }
    return `<p>${words(random, int(random, 20, 60))}. See <a href="/docs/${pick(random, WORDS)}">${words(random, 2)}</a> for details.</p>`;
  });
  return `${head}\n${body}\n${tail}`;
}

// ---------------------------------------------------------------- kinds made from real files

let sourceFiles: string[] | undefined;

/** Text files of this repository and a few dependencies, in a stable order. */
function realFiles(): string[] {
  if (sourceFiles) return sourceFiles;
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const stat = statSync(path);
      if (stat.isDirectory()) walk(path);
      else if (/\.(ts|js|mjs|d\.ts)$/.test(name) && stat.size < 400_000) out.push(path);
    }
  };
  for (const dir of ["src", "scripts", "node_modules/hono/dist", "node_modules/typescript/lib"]) {
    walk(join(root, dir));
  }
  sourceFiles = out;
  return out;
}

function readLines(path: string): string[] {
  return readFileSync(path, "utf8").split("\n");
}

function search(bytes: number, random: Random): string {
  const files = realFiles();
  const pattern = pick(random, ["const ", "return ", "function ", "export ", "if ("]);
  let index = int(random, 0, files.length - 1);
  const lines: string[] = [];
  let length = 0;
  while (length < bytes) {
    const path = files[index++ % files.length]!;
    const name = relative(root, path);
    for (const [n, line] of readLines(path).entries()) {
      if (!line.includes(pattern)) continue;
      const hit = `${name}:${n + 1}:${line.slice(0, 300)}`;
      lines.push(hit);
      length += hit.length + 1;
      if (length >= bytes) break;
    }
  }
  return lines.join("\n");
}

function diff(bytes: number, random: Random): string {
  const files = realFiles();
  let index = int(random, 0, files.length - 1);
  const parts: string[] = [];
  let length = 0;
  while (length < bytes) {
    const path = files[index++ % files.length]!;
    const name = relative(root, path);
    const lines = readLines(path);
    if (lines.length < 20) continue;
    const hunks: string[] = [];
    for (let at = int(random, 4, 30); at < lines.length - 4; at += int(random, 25, 80)) {
      const before = lines.slice(at - 3, at);
      const after = lines.slice(at + 1, at + 4);
      const old = lines[at]!;
      const changed = `${old.replace(/\s+$/, "")} // ${pick(random, WORDS)}`;
      hunks.push(
        [
          `@@ -${at - 2},${before.length + 1 + after.length} +${at - 2},${before.length + 1 + after.length} @@`,
          ...before.map((line) => ` ${line}`),
          `-${old}`,
          `+${changed}`,
          ...after.map((line) => ` ${line}`),
        ].join("\n"),
      );
    }
    const part = `diff --git a/${name} b/${name}\nindex 1a2b3c4..5d6e7f8 100644\n--- a/${name}\n+++ b/${name}\n${hunks.join("\n")}`;
    parts.push(part);
    length += part.length + 1;
  }
  return parts.join("\n");
}

function listing(bytes: number, random: Random): string {
  const files = realFiles();
  const start = int(random, 0, files.length - 1);
  const dirs = new Set<string>();
  return fill(bytes, (i) => {
    const path = relative(root, files[(start + i) % files.length]!);
    const dir = path.slice(0, path.lastIndexOf("/"));
    if (!dirs.has(dir)) {
      dirs.add(dir);
      return `./${dir}\n./${path}`;
    }
    return `./${path}`;
  });
}

const GENERATORS: Record<SampleKind, (bytes: number, random: Random) => string> = {
  json,
  log,
  search,
  diff,
  listing,
  table,
  html,
};

/** A tool output of `kind`, about `bytes` long (within one line or item of it). */
export function toolOutput(kind: SampleKind, bytes: number, seed = 1): string {
  return GENERATORS[kind](bytes, prng(seed * 7919 + bytes));
}
