/**
 * A corpus of realistic agent tool outputs for the compression benchmark. Where this machine has
 * the program, the output is produced by running it (ls, find, ps, git, grep, gcc, tsc, bun test,
 * sqlite); the rest is generated deterministically in the shapes real APIs return. Each sample
 * carries planted critical facts the compressed result must keep (or make retrievable).
 */

import { Database } from "bun:sqlite";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** One benchmark input. */
export interface Sample {
  readonly kind: string;
  readonly name: string;
  readonly text: string;
  /** The user's question the agent was answering. */
  readonly query: string;
  /** Strings that must survive compression or be retrievable through the marker. */
  readonly facts: readonly string[];
  /** "real" when a program on this machine produced it. */
  readonly source: "real" | "generated";
}

const root = join(import.meta.dir, "..", "..");

function run(command: string[], cwd = root): string {
  const proc = Bun.spawnSync(command, {
    cwd,
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, NO_COLOR: "1" },
  });
  return proc.stdout.toString() + proc.stderr.toString();
}

function has(program: string): boolean {
  return Bun.which(program) !== null;
}

/** A seeded PRNG, so generated samples are the same on every run. */
export function prng(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function githubIssues(count: number): Sample {
  const random = prng(7);
  const labels = ["bug", "enhancement", "docs", "good first issue", "performance", "question"];
  const issues = Array.from({ length: count }, (_, i) => ({
    number: 4200 + i,
    title: `${["Crash when", "Slow response for", "Support", "Docs unclear about", "Regression in"][i % 5]} ${["streaming", "auth tokens", "retries", "the CLI", "config reload"][Math.floor(random() * 5)]}`,
    state: random() < 0.75 ? "open" : "closed",
    user: {
      login: `dev${Math.floor(random() * 40)}`,
      id: 10_000 + Math.floor(random() * 90_000),
      type: "User",
    },
    labels: labels.filter(() => random() < 0.25).map((name) => ({ name, color: "d73a4a" })),
    comments: Math.floor(random() * 12),
    created_at: new Date(Date.UTC(2026, 5, 1) + i * 3_600_000).toISOString(),
    body: `Steps to reproduce: run the command with flag ${i % 7} and observe the output. Expected the request to complete; got a timeout after ${(i % 5) + 1} minutes.`,
  }));
  issues[63] = {
    ...issues[63]!,
    title: "Data loss: SIGKILL during compaction corrupts the WAL",
    labels: [{ name: "critical", color: "b60205" }],
  };
  return {
    kind: "json",
    name: "GitHub issues API, 100 items",
    text: JSON.stringify(issues, null, 2),
    query: "Is there any critical data loss issue open?",
    facts: ["Data loss: SIGKILL during compaction corrupts the WAL", `"number": 4263`],
    source: "generated",
  };
}

function databaseRows(): Sample {
  const db = new Database(":memory:");
  db.run(
    "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT, amount REAL, currency TEXT, status TEXT, created_at TEXT)",
  );
  const random = prng(11);
  const insert = db.query(
    "INSERT INTO orders (customer, amount, currency, status, created_at) VALUES (?, ?, ?, ?, ?)",
  );
  for (let i = 0; i < 500; i++) {
    const anomaly = i === 313;
    insert.run(
      `cus_${(1000 + Math.floor(random() * 300)).toString(36)}`,
      anomaly ? 98_765.43 : Math.round((20 + random() * 180) * 100) / 100,
      "USD",
      anomaly ? "chargeback" : random() < 0.97 ? "paid" : "refunded",
      new Date(Date.UTC(2026, 9, 1) + i * 600_000).toISOString(),
    );
  }
  const rows = db.query("SELECT * FROM orders ORDER BY id").all();
  return {
    kind: "json",
    name: "database rows (sqlite), 500 orders",
    text: JSON.stringify(rows, null, 2),
    query: "any suspicious orders?",
    facts: ["98765.43", "chargeback"],
    source: "real",
  };
}

function apiPage(): Sample {
  const random = prng(3);
  const items = Array.from({ length: 100 }, (_, i) => ({
    id: `evt_${(0x10000 + i * 7919).toString(16)}`,
    type: "deployment",
    service: ["api", "web", "worker", "billing"][i % 4],
    region: "eu-west-1",
    status: i === 41 ? "failed" : "succeeded",
    duration_ms: i === 41 ? 93_210 : 1000 + Math.floor(random() * 500),
    commit: ((i * 2654435761) >>> 0).toString(16).padStart(8, "0"),
    triggered_by: "ci",
    error: i === 41 ? "ImagePullBackOff: registry.example.com/billing:2.14.0 not found" : null,
  }));
  return {
    kind: "json",
    name: "deployments API page, 100 items",
    text: JSON.stringify({ data: items, has_more: false, total: 100 }, null, 2),
    query: "why did a deployment fail?",
    facts: ["ImagePullBackOff: registry.example.com/billing:2.14.0 not found", "93210"],
    source: "generated",
  };
}

function testLog(): Sample {
  const dir = mkdtempSync(join(tmpdir(), "headroom-bench-test-"));
  const cases = Array.from({ length: 120 }, (_, i) =>
    i === 87
      ? `test("parses invoice total ${i}", () => { expect(parseTotal("1,234.50")).toBe(1234.5); });`
      : `test("case ${i} keeps working", () => { expect(${i} + 1).toBe(${i + 1}); });`,
  ).join("\n");
  writeFileSync(
    join(dir, "invoice.test.ts"),
    `import { expect, test } from "bun:test";\nconst parseTotal = (s: string) => Number(s);\n${cases}\n`,
  );
  const output = run([process.execPath, "test", "invoice.test.ts"], dir);
  return {
    kind: "log",
    name: "bun test output, 120 tests, 1 failing",
    text: output,
    query: "which test fails and why?",
    facts: ["parses invoice total 87", "1234.5"],
    source: "real",
  };
}

function buildLog(): Sample {
  if (!has("gcc")) {
    const lines = Array.from(
      { length: 200 },
      (_, i) => `gcc -O2 -c src/module_${i}.c -o build/module_${i}.o`,
    );
    lines.splice(
      150,
      0,
      "src/module_150.c:42:17: error: 'MAX_CONN' undeclared (first use in this function)",
    );
    return {
      kind: "log",
      name: "make + gcc build log",
      text: lines.join("\n"),
      query: "",
      facts: ["'MAX_CONN' undeclared"],
      source: "generated",
    };
  }
  const dir = mkdtempSync(join(tmpdir(), "headroom-bench-build-"));
  const lines: string[] = [];
  for (let i = 0; i < 120; i++) {
    const broken = i === 97;
    writeFileSync(
      join(dir, `module_${i}.c`),
      `#include <stdio.h>\nint unused_${i};\nint run_${i}(int x) { int y = x * 2; ${broken ? "return y + MAX_CONN;" : "return y;"} }\n`,
    );
    lines.push(`gcc -Wall -O2 -c module_${i}.c -o module_${i}.o`);
    lines.push(
      run(
        ["gcc", "-Wall", "-Wextra", "-O2", "-c", `module_${i}.c`, "-o", `module_${i}.o`],
        dir,
      ).trimEnd(),
    );
    lines.push(`  CC      module_${i}.o`);
  }
  return {
    kind: "log",
    name: "make + gcc build log, 120 units, 1 error",
    text: lines.filter((line) => line !== "").join("\n"),
    query: "why does the build fail?",
    facts: ["MAX_CONN"],
    source: "real",
  };
}

function typecheckLog(): Sample {
  const dir = mkdtempSync(join(tmpdir(), "headroom-bench-tsc-"));
  const files: string[] = [];
  for (let i = 0; i < 40; i++) {
    writeFileSync(
      join(dir, `mod${i}.ts`),
      `export const value${i}: number = ${i === 23 ? '"not a number"' : i};\n`,
    );
    files.push(`mod${i}.ts`);
  }
  const tsc = join(root, "node_modules", ".bin", "tsc");
  const output = run([tsc, "--noEmit", "--listFiles", "--strict", ...files], dir);
  return {
    kind: "log",
    name: "tsc --listFiles with one type error",
    text: output,
    query: "",
    facts: ["mod23.ts", "TS2322"],
    source: "real",
  };
}

function shellOutput(): Sample {
  const lines = run(["ps", "aux"]).split("\n").filter(Boolean);
  const extra = Array.from(
    { length: 150 },
    (_, i) =>
      `2026-11-26T07:${String(10 + (i % 50)).padStart(2, "0")}:00Z INFO [scheduler] job ${i} finished in ${(i * 37) % 900}ms`,
  );
  extra.splice(
    111,
    0,
    "2026-11-26T07:21:00Z ERROR [scheduler] job 111 failed: disk quota exceeded on /var/lib/app",
  );
  return {
    kind: "log",
    name: "shell session: scheduler log, 151 lines",
    text: extra.join("\n"),
    query: "",
    facts: ["disk quota exceeded on /var/lib/app"],
    source: lines.length > 0 ? "generated" : "generated",
  };
}

function grepResults(): Sample {
  const output = run(["grep", "-rn", "--include=*.ts", "function ", "src"]);
  return {
    kind: "search",
    name: "grep -rn 'function ' src (this repository)",
    text: output,
    query: "where is relayBody defined?",
    facts: ["export function relayBody("],
    source: "real",
  };
}

function ripgrepLike(): Sample {
  const output = run([
    "grep",
    "-rn",
    "-i",
    "--include=*.d.ts",
    "timeout",
    "node_modules/bun-types",
  ]);
  return {
    kind: "search",
    name: "grep -rni timeout node_modules/bun-types",
    text: output,
    query: "idleTimeout option of Bun.serve",
    facts: ["idleTimeout"],
    source: "real",
  };
}

function gitDiff(): Sample {
  // An agent's typical diff: edits scattered through existing files, shown with generous context.
  const dir = mkdtempSync(join(tmpdir(), "headroom-bench-diff-"));
  const files = [
    "src/core/sse.ts",
    "src/core/relay.ts",
    "src/app/proxy-routes.ts",
    "src/compress/slots.ts",
  ];
  const diffs: string[] = [];
  const changed: string[] = [];
  for (const [index, file] of files.entries()) {
    const before = readFileSync(join(root, file), "utf8");
    const lines = before.split("\n");
    for (let at = 20 + index * 3; at < lines.length; at += 45) {
      lines[at] = `${lines[at]} // reviewed ${index}-${at}`;
      changed.push(lines[at]!);
    }
    writeFileSync(join(dir, `a${index}.ts`), before);
    writeFileSync(join(dir, `b${index}.ts`), lines.join("\n"));
    diffs.push(run(["git", "diff", "--no-index", "-U10", `a${index}.ts`, `b${index}.ts`], dir));
  }
  return {
    kind: "diff",
    name: "git diff -U10, 4 files with scattered edits",
    text: diffs.join(""),
    query: "",
    facts: changed.slice(0, 3).map((line) => `+${line}`),
    source: "real",
  };
}

function listing(): Sample {
  const find = run(["find", "node_modules", "-maxdepth", "3"]);
  return {
    kind: "listing",
    name: "find node_modules -maxdepth 3",
    text: find,
    query: "where is the hono package.json?",
    facts: ["node_modules/hono/package.json"],
    source: "real",
  };
}

function lsLong(): Sample {
  const ls = run(["ls", "-la", "/usr/bin"]);
  return {
    kind: "listing",
    name: "ls -la /usr/bin",
    text: ls,
    query: "is git installed?",
    facts: [" git\n"],
    source: "real",
  };
}

function csv(): Sample {
  const random = prng(5);
  const rows = ["date,sku,store,units,revenue"];
  for (let i = 0; i < 300; i++) {
    const spike = i === 211;
    const units = spike ? 9_400 : 10 + Math.floor(random() * 90);
    rows.push(
      `2026-10-${String((i % 30) + 1).padStart(2, "0")},SKU-${100 + (i % 25)},store-${i % 6},${units},${(units * 12.5).toFixed(2)}`,
    );
  }
  return {
    kind: "table",
    name: "sales CSV, 300 rows",
    text: rows.join("\n"),
    query: "any unusual sales?",
    facts: ["9400"],
    source: "generated",
  };
}

function processTable(): Sample {
  const ps = run(["ps", "aux"]);
  return { kind: "table", name: "ps aux", text: ps, query: "", facts: ["COMMAND"], source: "real" };
}

/** Builds the whole corpus (takes a few seconds: it runs real programs). */
export function buildCorpus(): Sample[] {
  return [
    githubIssues(100),
    databaseRows(),
    apiPage(),
    testLog(),
    buildLog(),
    typecheckLog(),
    shellOutput(),
    grepResults(),
    ripgrepLike(),
    gitDiff(),
    listing(),
    lsLong(),
    csv(),
    processTable(),
  ].filter((sample) => sample.text.trim().length > 0);
}
