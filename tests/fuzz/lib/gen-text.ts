/**
 * Structure-aware generators of tool outputs: JSON, logs, grep output, diffs, listings, tables,
 * HTML, plus prose and code for the "left alone" path. Each is random but shaped like what the
 * tools really print, so mutations of them reach deep into the parsers and compressors.
 * @module
 */

import type { Rng } from "./rng.ts";

// ------------------------------------------------------------------------------------ JSON

const NUMBER_LEXEMES = [
  "0",
  "-0",
  "1",
  "-17",
  "1.0",
  "0.10",
  "3.14159",
  "1e5",
  "1E+05",
  "-2.5e-3",
  "12345678901234567890123",
  "9007199254740993",
  "1e308",
  "1e400",
  "5e-324",
];

function jsonString(rng: Rng): string {
  const r = rng.next();
  if (r < 0.05) return rng.hex(rng.pick([24, 40, 64, 400]));
  if (r < 0.08) {
    // Base64-ish blob (opaque string).
    let s = "";
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (let i = rng.range(300, 1200); i > 0; i--) s += alphabet[rng.int(64)];
    return s;
  }
  if (r < 0.1)
    return `${2020 + rng.int(6)}-0${1 + rng.int(9)}-1${rng.int(10)}T0${rng.int(10)}:${10 + rng.int(50)}:00Z`;
  if (r < 0.13) return JSON.stringify({ nested: rng.word(), n: rng.int(100) }); // embedded JSON
  if (r < 0.16)
    return rng.pick(["\ud800", "a\u0000b", "tab\there", "nl\nx", 'q"q', "back\\", "\u2028"]);
  if (r < 0.2) return rng.pick(["error", "ERROR", "warning", "failed", "ok", "success", "info"]);
  if (r < 0.23) return rng.pick(["$columns", "$rows", "$same", "$repeat", "[headroom: x]"]);
  return rng.words(rng.range(0, 6));
}

export type Json = null | boolean | RawNumber | string | Json[] | JsonObj;
/** A number written exactly as its lexeme. */
export class RawNumber {
  constructor(readonly text: string) {}
}
/** An object as ordered entries (duplicate keys allowed). */
export class JsonObj {
  constructor(readonly entries: [string, Json][]) {}
}

function jsonScalar(rng: Rng): Json {
  const r = rng.next();
  if (r < 0.1) return null;
  if (r < 0.2) return rng.chance(0.5);
  if (r < 0.5)
    return new RawNumber(
      rng.chance(0.6) ? String(rng.int(rng.pick([10, 1000, 1e6]))) : rng.pick(NUMBER_LEXEMES),
    );
  return jsonString(rng);
}

export function jsonValue(rng: Rng, depth = 0): Json {
  if (depth > 4 || rng.chance(0.35)) return jsonScalar(rng);
  if (rng.chance(0.5))
    return Array.from({ length: rng.size(6, 40) }, () => jsonValue(rng, depth + 1));
  const keys = Array.from({ length: rng.size(5, 15) }, () =>
    rng.chance(0.9) ? rng.ident() : rng.pick(["", "2", "10", "a b", "é", "$columns", "__proto__"]),
  );
  return new JsonObj(keys.map((k) => [k, jsonValue(rng, depth + 1)]));
}

/** An array of records, the shape API and CLI tools return most. */
export function jsonRecords(rng: Rng): Json {
  const fields = Array.from({ length: rng.range(1, 9) }, () => rng.ident());
  const kinds = fields.map(() => rng.int(6));
  const n = rng.size(40, 400);
  const constant = jsonScalar(rng);
  const rows: Json[] = [];
  let seq = rng.int(1000);
  for (let i = 0; i < n; i++) {
    const entries: [string, Json][] = [];
    fields.forEach((field, f) => {
      if (rng.chance(0.03)) return; // a missing field
      const kind = kinds[f]!;
      let v: Json;
      if (kind === 0) v = new RawNumber(String(seq + i));
      else if (kind === 1)
        v = rng.chance(0.95)
          ? rng.pick(["ok", "ok", "ok", "pending"])
          : rng.pick(["error", "failed", "timeout"]);
      else if (kind === 2)
        v = new RawNumber(String(rng.chance(0.97) ? 100 + rng.int(20) : 90000 + rng.int(9999)));
      else if (kind === 3) v = constant;
      else if (kind === 4) v = rng.chance(0.2) ? jsonValue(rng, 3) : rng.words(rng.range(1, 8));
      else v = jsonString(rng);
      entries.push([field, v]);
    });
    rows.push(new JsonObj(entries));
    if (rng.chance(0.02)) seq += rng.int(50);
  }
  if (rng.chance(0.3))
    return new JsonObj([
      ["data", rows],
      ["total", new RawNumber(String(n))],
      ["next", rng.chance(0.5) ? null : rng.hex(16)],
    ]);
  return rows;
}

function escapeString(text: string, rng: Rng): string {
  const plain = JSON.stringify(text);
  if (rng.chance(0.8)) return plain;
  // Another tool's escaping: \u for non-ASCII and '/', which a minifier may rewrite.
  return plain.replace(
    /[^\x20-\x7e]|\//g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** Writes JSON in one of the styles tools use (compact, 2/4-space, tabs, odd spacing). */
export function writeJson(value: Json, rng: Rng, style = rng.int(5)): string {
  const indentUnit = ["", "  ", "    ", "\t", " "][style]!;
  const walk = (v: Json, indent: string): string => {
    if (v === null) return "null";
    if (typeof v === "boolean") return String(v);
    if (v instanceof RawNumber) return v.text;
    if (typeof v === "string") return escapeString(v, rng);
    const inner = indent + indentUnit;
    const nl = indentUnit ? `\n${inner}` : style === 4 && rng.chance(0.3) ? " " : "";
    const end = indentUnit ? `\n${indent}` : "";
    if (Array.isArray(v)) {
      if (v.length === 0) return "[]";
      return `[${nl}${v.map((x) => walk(x, inner)).join(`,${nl}`)}${end}]`;
    }
    if (v.entries.length === 0) return "{}";
    const sep = indentUnit || style === 4 ? ": " : ":";
    return `{${nl}${v.entries.map(([k, x]) => `${escapeString(k, rng)}${sep}${walk(x, inner)}`).join(`,${nl}`)}${end}}`;
  };
  return walk(value, "");
}

export function genJson(rng: Rng): string {
  const r = rng.next();
  if (r < 0.55) return writeJson(jsonRecords(rng), rng);
  if (r < 0.8) return writeJson(jsonValue(rng), rng);
  // JSON Lines.
  const n = rng.size(30, 300);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    out.push(
      writeJson(
        new JsonObj([
          ["ts", new RawNumber(String(1700000000 + i))],
          ["level", rng.pick(["info", "info", "warn", "error"])],
          ["msg", rng.words(rng.range(1, 8))],
        ]),
        rng,
        0,
      ),
    );
  }
  return out.join(rng.pick(["\n", "\r\n"]));
}

// ------------------------------------------------------------------------------------ logs

function timestamp(rng: Rng, i: number): string {
  const s = 10 + (i % 50);
  return rng.pick([
    `2024-03-0${1 + rng.int(9)}T12:34:${s}.${100 + rng.int(900)}Z`,
    `2024-03-01 12:34:${s},${100 + rng.int(900)}`,
    `[12:34:${s}]`,
    `Mar  1 12:34:${s}`,
  ]);
}

function logLine(rng: Rng, i: number): string[] {
  const r = rng.next();
  const level = rng.weighted([
    [60, "INFO"],
    [15, "DEBUG"],
    [10, "WARN"],
    [6, "ERROR"],
    [2, "FATAL"],
    [7, "info"],
  ]);
  if (r < 0.35)
    return [
      `${timestamp(rng, i)} ${level} [${rng.pick(["main", "worker-1", "http", "db"])}] ${rng.words(rng.range(2, 12))}${rng.chance(0.3) ? ` id=${rng.int(1e6)}` : ""}`,
    ];
  if (r < 0.45) {
    const frames = Array.from(
      { length: rng.range(1, 12) },
      () =>
        `    at ${rng.ident()} (${rng.pick(["src", "node_modules/x"])}/${rng.ident()}.js:${rng.int(500)}:${rng.int(80)})`,
    );
    return [
      `${rng.pick(["Error", "TypeError", "RangeError"])}: ${rng.words(rng.range(2, 8))}`,
      ...frames,
    ];
  }
  if (r < 0.5) {
    return [
      "Traceback (most recent call last):",
      ...Array.from(
        { length: rng.range(1, 5) },
        () =>
          `  File "/app/${rng.ident()}.py", line ${rng.int(400)}, in ${rng.ident()}\n    ${rng.ident()}(${rng.ident()})`,
      ),
      `${rng.pick(["ValueError", "KeyError", "AssertionError"])}: ${rng.words(3)}`,
    ];
  }
  if (r < 0.6)
    return [
      `${rng.pick(["PASSED", "FAILED", "ok", "not ok", "✓", "✗", "PASS", "FAIL"])} ${rng.pick(["tests/", "src/"])}${rng.ident()}.${rng.pick(["py", "ts", "rs"])}::test_${rng.ident()}${rng.chance(0.3) ? ` (${rng.int(900)} ms)` : ""}`,
    ];
  if (r < 0.66)
    return [
      `${rng.pick(["src/main.c", "lib/x.cpp", "pkg/a.go"])}:${rng.int(300)}:${rng.int(80)}: ${rng.pick(["error", "warning", "note"])}: ${rng.words(rng.range(2, 9))}`,
    ];
  if (r < 0.7)
    return [
      `error[E0${rng.range(100, 799)}]: ${rng.words(4)}`,
      `  --> src/${rng.ident()}.rs:${rng.int(200)}:${rng.int(40)}`,
      "   |",
      `${rng.int(200)} |     let x = ${rng.ident()};`,
      "   |         ^ expected `u32`",
    ];
  if (r < 0.75)
    return [`npm ${rng.pick(["WARN", "ERR!", "notice"])} ${rng.words(rng.range(2, 7))}`];
  if (r < 0.8)
    return [
      `${rng.pick(["gcc", "cc", "clang++", "rustc", "javac", "tsc"])} -O2 -c ${rng.ident()}.c -o ${rng.ident()}.o`,
    ];
  if (r < 0.84)
    return [
      `${"=".repeat(rng.range(3, 30))} ${rng.int(20)} failed, ${rng.int(300)} passed in ${rng.int(90)}.${rng.int(99)}s ${"=".repeat(rng.range(3, 30))}`,
    ];
  if (r < 0.88)
    return [
      `${rng.pick(["Downloading", "Compiling", "Installing", "Resolving"])} ${rng.ident()} v${rng.int(5)}.${rng.int(20)}.${rng.int(9)}`,
    ];
  if (r < 0.91) {
    // Progress bar redrawn with carriage returns.
    return [
      Array.from(
        { length: rng.range(2, 20) },
        (_, k) => `\r[${"#".repeat(k)}${" ".repeat(20 - Math.min(20, k))}] ${k * 5}%`,
      ).join(""),
    ];
  }
  if (r < 0.94)
    return [
      `\x1b[${rng.pick(["31", "32", "33", "1;31"])}m${level}\x1b[0m ${rng.words(rng.range(1, 8))}`,
    ];
  return [rng.words(rng.range(0, 14))];
}

export function genLog(rng: Rng): string {
  const n = rng.size(60, 800);
  const out: string[] = [];
  for (let i = 0; out.length < n; i++) {
    const lines = logLine(rng, i);
    const repeats = rng.chance(0.1) ? rng.range(2, 40) : 1;
    for (let k = 0; k < repeats; k++) out.push(...lines);
  }
  return out.join("\n") + (rng.chance(0.5) ? "\n" : "");
}

// ------------------------------------------------------------------------------------ search

const PATHS = [
  "src/index.ts",
  "src/app/edge.ts",
  "lib/x_2/y-3-z.py",
  "./web/app.jsx",
  "C:\\repo\\main.go",
  "docs/My Notes/todo.md",
  "Makefile",
  "node_modules/pkg/dist/index.min.js",
  "tests/ünïcode/tëst.rs",
  "a.b",
  "deep/er/and/deeper/still/file.txt",
];

function codeText(rng: Rng): string {
  return rng.pick([
    `  const ${rng.ident()} = ${rng.ident()}(${rng.ident()});`,
    `export function ${rng.ident()}(input: number) {`,
    `// TODO: ${rng.words(4)}`,
    `    raise ValueError('bad: 1:2:3')`,
    `import { ${rng.ident()} } from './${rng.ident()}';`,
    "\tif err != nil { return err }",
    "",
    "a:1:b-2-c",
    `def ${rng.ident()}(self, ${rng.ident()}):`,
    `    return ${rng.words(3)}`,
    `😀 ${rng.words(3)}`,
  ]);
}

export function genSearch(rng: Rng): string {
  const heading = rng.chance(0.25);
  const context = rng.chance(0.3);
  const n = rng.size(60, 600);
  const out: string[] = [];
  let path = rng.pick(PATHS);
  let lineNo = 1;
  while (out.length < n) {
    if (rng.chance(0.1)) {
      path = rng.pick(PATHS);
      lineNo = 1 + rng.int(50);
      if (heading) out.push("", path);
    }
    lineNo += 1 + rng.int(30);
    if (rng.chance(0.03)) {
      out.push(
        rng.pick(["--", "grep: x: Permission denied", "Binary file a.bin matches", "random junk"]),
      );
      continue;
    }
    const text = rng.chance(0.02) ? "x".repeat(rng.range(500, 5000)) : codeText(rng);
    const sep = context && rng.chance(0.4) ? "-" : ":";
    const column = sep === ":" && rng.chance(0.2) ? `${1 + rng.int(80)}:` : "";
    out.push(
      heading ? `${lineNo}${sep}${column}${text}` : `${path}${sep}${lineNo}${sep}${column}${text}`,
    );
  }
  return out.join("\n");
}

// ------------------------------------------------------------------------------------ diffs

function hunk(rng: Rng, start: number): { lines: string[]; oldLen: number; newLen: number } {
  const lines: string[] = [];
  let oldLen = 0;
  let newLen = 0;
  for (let k = rng.range(1, 40); k > 0; k--) {
    const r = rng.next();
    const body = codeText(rng);
    if (r < 0.6) {
      lines.push(` ${body}`);
      oldLen++;
      newLen++;
    } else if (r < 0.8) {
      lines.push(`+${body}`);
      newLen++;
    } else {
      lines.push(`-${body}`);
      oldLen++;
    }
  }
  if (rng.chance(0.05)) lines.push("\\ No newline at end of file");
  void start;
  return { lines, oldLen, newLen };
}

export function genDiff(rng: Rng): string {
  const out: string[] = [];
  const files = rng.range(1, 8);
  for (let f = 0; f < files; f++) {
    const name = rng.pick([
      ...PATHS.slice(0, 4),
      "package-lock.json",
      "yarn.lock",
      "dist/app.min.js",
      "img/logo.png",
    ]);
    const kind = rng.int(10);
    out.push(`diff --git a/${name} b/${kind === 8 ? `${name}.moved` : name}`);
    if (kind === 0) out.push("new file mode 100644");
    if (kind === 1) out.push("deleted file mode 100644");
    if (kind === 8)
      out.push("similarity index 90%", `rename from ${name}`, `rename to ${name}.moved`);
    out.push(`index ${rng.hex(7)}..${rng.hex(7)}${kind < 2 ? "" : " 100644"}`);
    if (kind === 9) {
      if (rng.chance(0.5)) out.push(`Binary files a/${name} and b/${name} differ`);
      else
        out.push(
          "GIT binary patch",
          `literal ${rng.int(9999)}`,
          ...Array.from({ length: rng.range(1, 20) }, () => `z${rng.hex(60)}`),
          "",
          "literal 0",
          "HcmV?d00001",
          "",
        );
      continue;
    }
    out.push(
      kind === 0 ? "--- /dev/null" : `--- a/${name}`,
      kind === 1 ? "+++ /dev/null" : `+++ b/${name}`,
    );
    let start = 1 + rng.int(20);
    for (let h = rng.range(1, 6); h > 0; h--) {
      const { lines, oldLen, newLen } = hunk(rng, start);
      // Occasionally wrong counts, as hand-edited or truncated patches have.
      const fudge = rng.chance(0.05) ? rng.range(-2, 2) : 0;
      out.push(
        `@@ -${start},${oldLen + fudge} +${start},${newLen} @@${rng.chance(0.5) ? ` function ${rng.ident()}()` : ""}`,
      );
      out.push(...lines);
      start += oldLen + rng.int(100);
    }
  }
  return out.join("\n") + (rng.chance(0.7) ? "\n" : "");
}

// ------------------------------------------------------------------------------------ listings

function fileName(rng: Rng): string {
  return `${rng.ident()}${rng.pick([".ts", ".js", ".py", ".md", ".json", "", ".test.ts", ".png", ".o"])}`;
}

export function genListing(rng: Rng): string {
  const kind = rng.int(5);
  const n = rng.size(60, 600);
  const out: string[] = [];
  const dirs = [
    "src",
    "src/app",
    "node_modules/left-pad",
    "node_modules/x/lib",
    ".git/objects/ab",
    "tests",
    "build/out",
    "docs",
  ];
  if (kind === 0) {
    out.push(`total ${rng.int(9999)}`);
    for (let i = 0; i < n; i++) {
      const dir = rng.chance(0.2);
      out.push(
        `${dir ? "d" : "-"}rw${rng.pick(["x", "-"])}r-xr-x ${rng.range(1, 30)} ${rng.pick(["user", "root"])} ${rng.pick(["staff", "wheel"])} ${String(rng.int(99999)).padStart(6)} ${rng.pick(["Jan", "Feb", "Mar"])} ${String(1 + rng.int(28)).padStart(2)} ${rng.chance(0.5) ? "12:00" : " 2023"} ${dir ? rng.ident() : fileName(rng)}`,
      );
    }
  } else if (kind === 1) {
    out.push(".");
    let depth = 0;
    for (let i = 0; i < n; i++) {
      depth = Math.max(0, Math.min(6, depth + rng.range(-1, 1)));
      const prefix = "│   ".repeat(depth);
      out.push(
        `${prefix}${rng.chance(0.8) ? "├── " : "└── "}${rng.chance(0.3) ? rng.ident() : fileName(rng)}`,
      );
    }
    out.push("", `${rng.int(99)} directories, ${n} files`);
  } else if (kind === 2) {
    for (let i = 0; i < n; i++)
      out.push(`${rng.chance(0.5) ? "./" : ""}${rng.pick(dirs)}/${fileName(rng)}`);
  } else if (kind === 3) {
    for (let i = 0; i < n; i++)
      out.push(
        `${rng.pick(["4.0K", "12K", "1.5M", "512", "2,1G"])}\t./${rng.pick(dirs)}${rng.chance(0.5) ? `/${rng.ident()}` : ""}`,
      );
  } else {
    for (const dir of dirs.slice(0, rng.range(2, dirs.length))) {
      out.push(
        `./${dir}:`,
        Array.from({ length: rng.range(1, 30) }, () => fileName(rng)).join(
          rng.chance(0.5) ? "\n" : "  ",
        ),
        "",
      );
    }
  }
  return out.join("\n");
}

// ------------------------------------------------------------------------------------ tables

function cell(rng: Rng): string {
  const r = rng.next();
  if (r < 0.3) return String(rng.int(10000));
  if (r < 0.4) return rng.pick(["Running", "Running", "Running", "Pending", "CrashLoopBackOff"]);
  if (r < 0.45) return rng.pick(["", "a,b", '"quoted"', "x y", "ü"]);
  return rng.ident();
}

export function genTable(rng: Rng): string {
  const cols = rng.range(2, 9);
  const n = rng.size(40, 400);
  const header = Array.from({ length: cols }, () => rng.ident().toUpperCase());
  const rows = Array.from({ length: n }, () => Array.from({ length: cols }, () => cell(rng)));
  const kind = rng.int(4);
  if (kind === 0 || kind === 1) {
    const d = kind === 0 ? rng.pick([",", ";"]) : "\t";
    const esc = (c: string) =>
      c.includes(d) || c.includes('"') ? `"${c.replace(/"/g, '""')}"` : c;
    return [header, ...rows].map((r) => r.map(esc).join(d)).join(rng.pick(["\n", "\r\n"]));
  }
  if (kind === 2) {
    const line = (r: string[]) => `| ${r.join(" | ")} |`;
    return [
      line(header),
      `|${header.map(() => rng.pick(["---", ":--", "--:", ":-:"])).join("|")}|`,
      ...rows.map((r) => line(r.map((c) => c.replace(/\|/g, "\\|")))),
    ].join("\n");
  }
  // Aligned columns (ps, docker ps, kubectl get).
  const all = [header, ...rows.map((r) => r.map((c) => c.replace(/\s/g, "_") || "-"))];
  const widths = header.map((_, c) => Math.max(...all.map((r) => r[c]!.length)) + rng.range(1, 4));
  return all
    .map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join(""))
    .join("\n");
}

// ------------------------------------------------------------------------------------ HTML

export function genHtml(rng: Rng): string {
  const parts: string[] = [];
  const text = () => rng.words(rng.range(3, 30)).replace(/&/g, "&amp;");
  parts.push(
    rng.pick(["<!DOCTYPE html>", "<!doctype html>", ""]),
    `<html lang="en"><head><meta charset="utf-8"><title>${rng.words(3)}</title>`,
  );
  if (rng.chance(0.7)) parts.push(`<script>var x = "</div>"; if (a < b && c > d) {}</script>`);
  if (rng.chance(0.7)) parts.push("<style>body { color: red } .x > p { margin: 0 }</style>");
  parts.push("</head><body>");
  if (rng.chance(0.6))
    parts.push(
      `<nav class="sidebar"><ul>${Array.from({ length: rng.range(3, 20) }, () => `<li><a href="/${rng.ident()}">${rng.word()}</a></li>`).join("")}</ul></nav>`,
    );
  parts.push(rng.pick(["<main>", '<div class="content">', "<article>", "<div>"]));
  for (let i = rng.size(30, 200); i > 0; i--) {
    const r = rng.next();
    if (r < 0.4) parts.push(`<p>${text()}</p>`);
    else if (r < 0.5) parts.push(`<h${rng.range(1, 4)}>${rng.words(4)}</h2>`);
    else if (r < 0.6) parts.push(`<pre><code>${codeText(rng).replace(/</g, "&lt;")}</code></pre>`);
    else if (r < 0.7)
      parts.push(
        `<table><tr><th>${rng.word()}</th><th>${rng.word()}</th></tr><tr><td>${rng.int(99)}</td><td>${rng.word()}</td></tr></table>`,
      );
    else if (r < 0.75) parts.push(`<!-- ${rng.words(3)} -->`);
    else if (r < 0.8)
      parts.push(`<div hidden>${text()}</div><span style="display:none">${rng.word()}</span>`);
    else if (r < 0.85)
      parts.push(`<img src="data:image/png;base64,${rng.hex(200)}" alt='${rng.word()}'>`);
    else if (r < 0.9)
      parts.push(
        `<p>${rng.pick(["&nbsp;", "&#x1F600;", "&copy;", "&unknown;", "&#0;", "&#xD800;"])} ${text()}`,
      );
    else
      parts.push(
        `<ul>${Array.from({ length: rng.range(1, 8) }, () => `<li>${text()}`).join("")}</ul>`,
      );
  }
  parts.push(
    rng.pick(["</main>", "</div>", "</article>", ""]),
    '<footer class="footer">© 2024</footer></body></html>',
  );
  return parts.join(rng.pick(["", "\n", "\n  "]));
}

// ------------------------------------------------------------------------------------ others

export function genProse(rng: Rng): string {
  return Array.from({ length: rng.size(20, 200) }, () => `${rng.words(rng.range(4, 20))}.`).join(
    rng.pick([" ", "\n", "\n\n"]),
  );
}

export function genCode(rng: Rng): string {
  return Array.from({ length: rng.size(40, 300) }, () => codeText(rng)).join("\n");
}

/** A short structured mix: exec headers, fences, a bit of everything. */
export function genMixed(rng: Rng): string {
  const header = rng.chance(0.5)
    ? `Exit code: ${rng.int(3)}\nWall time: 0.${rng.int(9)} seconds\nOutput:\n`
    : "";
  const gens = [genLog, genSearch, genListing, genTable, genDiff];
  const a = rng.pick(gens)(rng);
  const b = rng.pick(gens)(rng);
  return `${header}${a.slice(0, rng.int(a.length + 1))}\n${b.slice(0, rng.int(b.length + 1))}`;
}

/**
 * Another kind's output inside one of the framings agents send (docs/agent-shapes.md): Claude
 * Code's numbered Read, Codex's exec header with or without its middle cut, Claude Code's exit
 * line and cut of a failed command, or JSON cut off before its end.
 */
export function genFramed(rng: Rng): string {
  const inner = rng.pick([genLog, genSearch, genListing, genTable, genJson, genCode, genDiff])(rng);
  const style = rng.int(5);
  if (style === 0) {
    const first = rng.chance(0.5) ? 1 : rng.range(2, 5000);
    return inner
      .split("\n")
      .map((line, i) => `${first + i}\t${line}`)
      .join("\n");
  }
  const cutAt = rng.int(inner.length + 1);
  const keep = rng.int(Math.max(1, inner.length - cutAt) + 1);
  const middle = (note: string) => `${inner.slice(0, cutAt)}${note}${inner.slice(cutAt + keep)}`;
  if (style === 1 || style === 2) {
    const tokens = Math.ceil(inner.length / 4);
    const header = `Chunk ID: ${rng.hex(6)}\nWall time: 0.${rng.int(9999)} seconds\nProcess exited with code ${rng.int(3)}\nOriginal token count: ${tokens}\nOutput:\n`;
    if (style === 1) return header + inner;
    return `${header}Warning: truncated output (original token count: ${tokens})\nTotal output lines: ${inner.split("\n").length}\n\n${middle(`…${rng.int(5000)} tokens truncated…`)}`;
  }
  if (style === 3)
    return `Exit code ${rng.range(1, 3)}\n${middle(`\n\n... [${keep} characters truncated] ...\n\n`)}`;
  return genJson(rng).slice(0, cutAt);
}

export const TEXT_GENERATORS = {
  json: genJson,
  log: genLog,
  search: genSearch,
  diff: genDiff,
  listing: genListing,
  table: genTable,
  html: genHtml,
  prose: genProse,
  code: genCode,
  mixed: genMixed,
  framed: genFramed,
} as const;

export type TextKind = keyof typeof TEXT_GENERATORS;
