import { describe, expect, test } from "bun:test";
import { compressText } from "../../src/compress/compress-text.ts";
import { detectContent } from "../../src/compress/detect.ts";
import { originalHash } from "../../src/compress/marker.ts";
import type { ContentKind } from "../../src/compress/types.ts";
import { outputFixture } from "../helpers/output-fixture.ts";
import { parityCases } from "../helpers/parity.ts";
import { mulberry32 } from "../helpers/random.ts";

// ---------------------------------------------------------------------------------------------
// Parity with the original's regex detector (tests/fixtures/headroom-parity/content_detector).

/** Their content types mapped to our kinds. */
const THEIR_KIND: Record<string, ContentKind> = {
  json_array: "json",
  source_code: "code",
  build: "log",
  search: "search",
  diff: "diff",
  html: "html",
  text: "text",
};

/**
 * Deliberate differences, by fixture file:
 * - 9fb76321d31ed64c: '{"foo": "bar"}' is a JSON object. The original's regex detector only
 *   accepted top-level arrays (its Magika stage sends objects to the JSON compressor anyway);
 *   we call every object or array json.
 */
const DIFFERENT: Record<string, ContentKind> = {
  "9fb76321d31ed64c.json": "json",
};

describe("detectContent: parity fixtures", () => {
  const cases = parityCases("content_detector");
  test("there are 21 recorded cases", () => {
    expect(cases.length).toBe(21);
  });
  for (const c of cases) {
    const theirs = (c.output as { content_type: string }).content_type;
    const expected = DIFFERENT[c.file] ?? THEIR_KIND[theirs];
    test(`${c.file} (${theirs})`, () => {
      expect(expected).toBeDefined();
      expect(detectContent(c.input as string)).toBe(expected as ContentKind);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Realistic tool outputs, written the way the programs print them.

const lines = (...rows: string[]) => rows.join("\n");
const repeat = (n: number, row: (i: number) => string) =>
  Array.from({ length: n }, (_, i) => row(i)).join("\n");

/**
 * What `make` prints for a C project of `units` files with gcc and kbuild-style quiet rules: a
 * command line and a "  CC" line per unit, and gcc's diagnostic for one undeclared macro in unit
 * `broken` (the only error, near the end).
 */
function makeGccLog(units: number, broken: number): string {
  const out: string[] = [];
  for (let i = 0; i < units; i++) {
    out.push(`gcc -Wall -O2 -c module_${i}.c -o module_${i}.o`);
    if (i === broken) {
      out.push(
        `module_${i}.c: In function 'run_${i}':`,
        `module_${i}.c:3:47: error: 'MAX_CONN' undeclared (first use in this function)`,
        `    3 | int run_${i}(int x) { int y = x * 2; return y + MAX_CONN; }`,
        "      |                                               ^~~~~~~~",
        `module_${i}.c:3:47: note: each undeclared identifier is reported only once for each function it appears in`,
      );
    }
    out.push(`  CC      module_${i}.o`);
  }
  return out.join("\n");
}

/** `rows` lines of a sales export under a CSV header; no line holds a space. */
function salesCsv(rows: number, spikeAt: number): string {
  const out = ["date,sku,store,units,revenue"];
  for (let i = 0; i < rows; i++) {
    const units = i === spikeAt ? 9400 : 10 + ((i * 37) % 90);
    out.push(
      `2026-10-${String((i % 30) + 1).padStart(2, "0")},SKU-${100 + (i % 25)},store-${i % 6},${units},${(units * 12.5).toFixed(2)}`,
    );
  }
  return out.join("\n");
}

const SAMPLES: Record<ContentKind, Record<string, string>> = {
  json: {
    "pretty array of objects": JSON.stringify(
      Array.from({ length: 30 }, (_, i) => ({ id: i, name: `user${i}`, active: i % 3 !== 0 })),
      null,
      2,
    ),
    "compact API response object": JSON.stringify({
      data: { items: [{ id: 1, tags: ["a", "b"] }], next: null },
      meta: { took_ms: 12.5, total: 1e3 },
    }),
    "empty array": "[]",
    "empty object with whitespace": "  \n{ }\n\n",
    "container logs as JSON Lines": lines(
      '{"level":"info","ts":1714640100,"msg":"started"}',
      '{"level":"error","ts":1714640101,"msg":"db down","err":{"code":"ECONNREFUSED"}}',
    ),
    "JSON Lines": repeat(20, (i) => JSON.stringify({ ts: i, level: "info", msg: `step ${i}` })),
    "escapes and unicode":
      '{"path":"C:\\\\tmp\\\\x","quote":"\\"hi\\"","u":"\\u00e9\\ud83d\\ude80","e":-1.5e-3}',
    "array of numbers": "[1, 2, 3, 4, 5, -0.5, 1E+9]",
    "byte order mark": "\ufeff[true,false,null]",
  },
  log: {
    pytest: lines(
      "============================= test session starts ==============================",
      "platform linux -- Python 3.11.2, pytest-7.4.0, pluggy-1.2.0",
      "rootdir: /home/dev/api",
      "collected 48 items",
      "",
      "tests/test_auth.py ........F.....                                         [ 31%]",
      "tests/test_orders.py ...............s.................                    [100%]",
      "",
      "=================================== FAILURES ===================================",
      "___________________________ test_refresh_token_expired ___________________________",
      "",
      "    def test_refresh_token_expired():",
      ">       assert refresh(token) is None",
      "E       AssertionError: assert 'abc' is None",
      "",
      "tests/test_auth.py:88: AssertionError",
      "=========================== short test summary info ============================",
      "FAILED tests/test_auth.py::test_refresh_token_expired - AssertionError",
      "=================== 1 failed, 46 passed, 1 skipped in 2.31s ====================",
    ),
    jest: lines(
      "PASS src/utils/date.test.ts",
      "FAIL src/components/Form.test.tsx",
      "  ● Form › submits the entered values",
      "",
      "    expect(received).toHaveBeenCalledWith(...expected)",
      "",
      "      at Object.<anonymous> (src/components/Form.test.tsx:41:22)",
      "",
      "Test Suites: 1 failed, 1 passed, 2 total",
      "Tests:       1 failed, 17 passed, 18 total",
      "Snapshots:   0 total",
      "Time:        3.842 s",
    ),
    cargo: lines(
      "   Compiling serde v1.0.197",
      "   Compiling app v0.1.0 (/home/dev/app)",
      "error[E0308]: mismatched types",
      "  --> src/main.rs:14:20",
      "   |",
      '14 |     let n: u32 = "5";',
      "   |            ---   ^^^ expected `u32`, found `&str`",
      "",
      'error: could not compile `app` (bin "app") due to 1 previous error',
    ),
    "go test": lines(
      "=== RUN   TestParse",
      "--- PASS: TestParse (0.00s)",
      "=== RUN   TestServe",
      "    server_test.go:57: got status 500, want 200",
      "--- FAIL: TestServe (0.01s)",
      "FAIL",
      "FAIL\tgithub.com/acme/api/server\t0.214s",
      "ok  \tgithub.com/acme/api/store\t(cached)",
    ),
    "npm install": lines(
      "npm WARN deprecated rimraf@3.0.2: Rimraf versions prior to v4 are no longer supported",
      "npm WARN deprecated glob@7.2.3: Glob versions prior to v9 are no longer supported",
      "",
      "added 312 packages, and audited 313 packages in 9s",
      "",
      "48 packages are looking for funding",
      "  run `npm fund` for details",
      "",
      "found 0 vulnerabilities",
    ),
    gradle: lines(
      "> Task :app:compileJava",
      "> Task :app:processResources NO-SOURCE",
      "> Task :app:test FAILED",
      "",
      "FAILURE: Build failed with an exception.",
      "BUILD FAILED in 12s",
    ),
    tsc: lines(
      "src/app.ts(12,7): error TS2322: Type 'string' is not assignable to type 'number'.",
      "src/db.ts(40,3): error TS2554: Expected 2 arguments, but got 1.",
      "Found 2 errors in 2 files.",
    ),
    "gcc diagnostics (file:line:col: error)": lines(
      "main.c:12:5: error: expected ';' before 'return'",
      "main.c:20:9: warning: unused variable 'x' [-Wunused-variable]",
      "util.c:3:1: note: declared here",
    ),
    "docker build": lines(
      '#0 building with "default" instance using docker driver',
      "#1 [internal] load build definition from Dockerfile",
      "#1 DONE 0.0s",
      "#5 [2/4] RUN npm ci",
      "#5 6.201 added 120 packages in 6s",
      "#5 DONE 6.9s",
      "#6 [3/4] COPY . .",
      "#6 DONE 0.1s",
    ),
    "application log with timestamps": repeat(
      40,
      (i) =>
        `2024-05-02T10:15:${String(i % 60).padStart(2, "0")}.120Z ${i % 9 === 4 ? "ERROR" : "INFO"} [worker-${i % 4}] job ${1000 + i} ${i % 9 === 4 ? "failed: timeout" : "done"}`,
    ),
    "java stack trace": lines(
      'Exception in thread "main" java.lang.NullPointerException: user is null',
      "\tat com.acme.api.UserService.load(UserService.java:42)",
      "\tat com.acme.api.Controller.get(Controller.java:17)",
      "\tat java.base/java.lang.Thread.run(Thread.java:833)",
      "Caused by: java.sql.SQLException: connection closed",
      "\t... 3 more",
    ),
    "python traceback": lines(
      "Traceback (most recent call last):",
      '  File "/app/main.py", line 10, in <module>',
      "    main()",
      '  File "/app/main.py", line 6, in main',
      "    return 1 / 0",
      "ZeroDivisionError: division by zero",
    ),
    "pip install": lines(
      "Collecting requests",
      "  Downloading requests-2.31.0-py3-none-any.whl (62 kB)",
      "Collecting idna<4,>=2.5",
      "  Using cached idna-3.6-py3-none-any.whl (61 kB)",
      "Installing collected packages: idna, requests",
      "Successfully installed idna-3.6 requests-2.31.0",
    ),
    "cargo test": lines(
      "running 3 tests",
      "test parse::tests::empty ... ok",
      "test parse::tests::nested ... ok",
      "test parse::tests::bad ... FAILED",
      "",
      "test result: FAILED. 2 passed; 1 failed; 0 ignored; 0 measured",
    ),
    syslog: repeat(
      12,
      (i) => `May  2 10:15:0${i % 10} web-1 nginx[812]: 10.0.0.${i} "GET /health HTTP/1.1" 200`,
    ),
    "make + gcc, 120 units, the one error near the end": makeGccLog(120, 110),
    "make + gcc, no error at all": makeGccLog(40, -1),
    "kbuild quiet rules": lines(
      "  CALL    scripts/checksyscalls.sh",
      "  CC      kernel/fork.o",
      "  CC      kernel/exit.o",
      "  CC [M]  drivers/net/dummy.o",
      "  AR      kernel/built-in.a",
      "  LD      vmlinux.o",
      "  MODPOST vmlinux.symvers",
    ),
    "cmake configure and build": lines(
      "-- The C compiler identification is GNU 12.2.0",
      "-- Detecting C compiler ABI info - done",
      "-- Configuring done",
      "-- Generating done",
      "-- Build files have been written to: /src/build",
      "[ 25%] Building C object CMakeFiles/app.dir/main.c.o",
      "[ 50%] Building C object CMakeFiles/app.dir/util.c.o",
      "[ 75%] Linking C executable app",
      "[100%] Built target app",
    ),
    "cmake verbose (cd && compiler)": repeat(
      6,
      (i) =>
        `cd /src/build && /usr/bin/cc -I/src/include -O2 -o CMakeFiles/app.dir/m${i}.c.o -c /src/m${i}.c`,
    ),
    "libtool and ccache": lines(
      "libtool: compile:  gcc -DHAVE_CONFIG_H -I. -g -O2 -c src/buf.c  -fPIC -DPIC -o src/.libs/buf.o",
      "libtool: compile:  gcc -DHAVE_CONFIG_H -I. -g -O2 -c src/io.c  -fPIC -DPIC -o src/.libs/io.o",
      "ccache g++ -std=c++17 -O2 -c src/main.cpp -o build/main.o",
      "libtool: link: ar cru .libs/libbuf.a src/buf.o src/io.o",
    ),
    "javac, go build, cargo build command lines": lines(
      "+ javac -d out src/com/acme/App.java src/com/acme/Util.java",
      "+ go build -o bin/api ./cmd/api",
      "+ cargo build --release",
      "+ ./gradlew assemble --no-daemon",
      "+ mvn -B package -DskipTests",
    ),
    "npm run build (tsc, vite, esbuild)": lines(
      "> app@1.0.0 build",
      "> tsc -p . && vite build",
      "",
      "vite v5.2.0 building for production...",
      "transforming...",
      "dist/index.html                  0.46 kB │ gzip:  0.30 kB",
      "dist/assets/index-4sK2hL.js    143.36 kB │ gzip: 46.07 kB",
      "> esbuild src/worker.ts --bundle --outfile=dist/worker.js",
    ),
  },
  search: {
    "grep -rn": lines(
      "src/server.ts:12:import { serve } from './serve.js';",
      "src/server.ts:40:  serve(app, { port });",
      "src/cli/main.ts:7:import { serve } from '../server.js';",
      "tests/server.test.ts:3:import { serve } from '../src/server.js';",
    ),
    "rg --vimgrep (with columns)": lines(
      "src/app.py:14:5:    def handler(event):",
      "src/app.py:88:9:        return handler(event)",
      "lib/util.py:3:1:def handler_name():",
    ),
    "rg --heading": lines(
      "src/store/memory.ts",
      "12:export function createMemoryStore() {",
      "40:  return createMemoryStore();",
      "",
      "src/store/sqlite.ts",
      "8:import { createMemoryStore } from './memory.ts';",
      "77:    const fallback = createMemoryStore();",
    ),
    "grep -C context": lines(
      "src/db.ts-10-  const pool = createPool();",
      "src/db.ts:11:  await pool.connect(); // TODO retry",
      "src/db.ts-12-  return pool;",
      "--",
      "src/api.ts-30-export async function load() {",
      "src/api.ts:31:  // TODO paginate",
      "src/api.ts-32-  return db.all();",
    ),
    "Windows paths": lines(
      "C:\\src\\app\\main.cs:12:    var x = Load();",
      "C:\\src\\app\\util.cs:40:    return Load(id);",
    ),
  },
  diff: {
    "git diff": lines(
      "diff --git a/src/app.ts b/src/app.ts",
      "index 3b18e51..a9c2f1d 100644",
      "--- a/src/app.ts",
      "+++ b/src/app.ts",
      "@@ -10,7 +10,8 @@ export function createApp() {",
      "   const app = new Hono();",
      "-  app.get('/health', health);",
      "+  app.get('/health', healthHandler);",
      "+  app.get('/livez', live);",
      "   return app;",
      " }",
    ),
    "git show (commit header first)": lines(
      "commit 8f3a2c1d9e0b7a6f5c4d3e2f1a0b9c8d7e6f5a4b",
      "Author: Dev <dev@example.com>",
      "Date:   Thu May 2 10:15:00 2024 +0200",
      "",
      "    Rename the health handler",
      "",
      "diff --git a/src/app.ts b/src/app.ts",
      "index 3b18e51..a9c2f1d 100644",
      "--- a/src/app.ts",
      "+++ b/src/app.ts",
      "@@ -10,3 +10,3 @@",
      "   const app = new Hono();",
      "-  app.get('/health', health);",
      "+  app.get('/health', healthHandler);",
    ),
    "diff -u": lines(
      "--- config.old.yaml\t2024-05-01 10:00:00.000000000 +0200",
      "+++ config.yaml\t2024-05-02 10:00:00.000000000 +0200",
      "@@ -1,3 +1,3 @@",
      " port: 8787",
      "-budget_ms: 30000",
      "+budget_ms: 50",
      " lossy: true",
    ),
    "rename only": lines(
      "diff --git a/old.txt b/new.txt",
      "similarity index 100%",
      "rename from old.txt",
      "rename to new.txt",
    ),
  },
  git: {
    "git log": outputFixture("git/log-default.txt").slice(0, 6000),
    "git log --oneline": outputFixture("git/log-oneline.txt").slice(0, 3000),
    "git log --graph --all --oneline": outputFixture("git/log-graph-all.txt"),
    "git status": outputFixture("git/status-many.txt"),
    "git status --short": outputFixture("git/status-short.txt"),
    "git branch -a": outputFixture("git/branch-all.txt"),
  },
  install: {
    "apt-get install through a terminal": outputFixture("aptlog/apt-get-install-pty.txt"),
  },
  listing: {
    "ls -la": lines(
      "total 48",
      "drwxr-xr-x  6 dev dev 4096 May  2 10:15 .",
      "drwxr-xr-x 18 dev dev 4096 May  1 09:00 ..",
      "-rw-r--r--  1 dev dev  220 May  1 09:00 .bashrc",
      "drwxr-xr-x  8 dev dev 4096 May  2 10:14 .git",
      "-rw-r--r--  1 dev dev 1067 May  2 10:10 package.json",
      "lrwxrwxrwx  1 dev dev   11 May  2 10:10 latest -> v1.2.3",
      "drwxr-xr-x  4 dev dev 4096 May  2 10:12 src",
    ),
    "ls -R": lines(
      ".:",
      "package.json",
      "src",
      "",
      "./src:",
      "app.ts",
      "cli",
      "",
      "./src/cli:",
      "main.ts",
      "args.ts",
    ),
    find: lines(
      ".",
      "./src",
      "./src/app.ts",
      "./src/cli",
      "./src/cli/main.ts",
      "./tests/app.test.ts",
      "./package.json",
    ),
    tree: lines(
      ".",
      "├── package.json",
      "├── src",
      "│   ├── app.ts",
      "│   └── cli",
      "│       └── main.ts",
      "└── tests",
      "    └── app.test.ts",
      "",
      "3 directories, 4 files",
    ),
    "npm ls": lines(
      "app@1.0.0 /home/dev/app",
      "├── hono@4.13.19",
      "├─┬ openai@7.57.0",
      "│ └── undici-types@6.0.0",
      "└── typescript@5.9.3",
    ),
    "find under a Codex exec header": lines(
      "Exit code: 0",
      "Wall time: 0.1 seconds",
      "Output:",
      "src/app.ts",
      "src/cli/main.ts",
      "src/core/api.ts",
      "tests/app.test.ts",
      "package.json",
    ),
    "find with a comma in one name": lines(
      "./docs",
      "./docs/notes, draft.md",
      "./docs/a,b.txt",
      "./docs/index.md",
      "./src/app.ts",
    ),
    "du -ah": lines(
      "4.0K\t./src/app.ts",
      "8.0K\t./src/cli/main.ts",
      "12K\t./src/cli",
      "20K\t./src",
      "24K\t.",
    ),
  },
  table: {
    csv: lines(
      "id,name,email,plan,mrr",
      "1,Ada Lovelace,ada@example.com,pro,49.00",
      "2,Alan Turing,alan@example.com,team,199.00",
      '3,"Hopper, Grace",grace@example.com,free,0.00',
      "4,Edsger Dijkstra,edsger@example.com,pro,49.00",
    ),
    tsv: lines(
      "name\tversion\tlicense",
      "hono\t4.13.19\tMIT",
      "gpt-tokenizer\t4.0.0\tMIT",
      "bun\t1.4.4\tMIT",
    ),
    markdown: lines(
      "| Package | Current | Wanted | Latest |",
      "|---------|---------|--------|--------|",
      "| hono    | 4.12.0  | 4.13.19 | 4.13.19 |",
      "| typescript | 5.8.2 | 5.9.3 | 5.9.3 |",
    ),
    "ps aux": lines(
      "USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND",
      "root           1  0.0  0.0   4628  3512 ?        Ss   09:00   0:00 /bin/bash",
      "dev          812  2.1  1.3 912344 105220 ?       Sl   09:01   1:12 node server.js",
      "dev         1022  0.0  0.0   7064  1588 pts/0    R+   10:15   0:00 ps aux",
    ),
    "docker ps": lines(
      "CONTAINER ID   IMAGE         COMMAND                  CREATED        STATUS        PORTS                    NAMES",
      'a1b2c3d4e5f6   postgres:16   "docker-entrypoint.s…"   2 hours ago    Up 2 hours    0.0.0.0:5432->5432/tcp   db',
      'f6e5d4c3b2a1   redis:7       "docker-entrypoint.s…"   2 hours ago    Up 2 hours    6379/tcp                 cache',
      '0a9b8c7d6e5f   nginx:1.25    "/docker-entrypoint.…"   3 hours ago    Up 3 hours    0.0.0.0:80->80/tcp       web',
    ),
    "kubectl get pods": lines(
      "NAME                       READY   STATUS             RESTARTS      AGE",
      "api-7d9f8b6c5d-2xkqp       1/1     Running            0             3d",
      "api-7d9f8b6c5d-9mzt4       0/1     CrashLoopBackOff   14 (2m ago)   3d",
      "worker-5c6b7d8e9f-lq2ws    1/1     Running            1             12h",
    ),
    "CSV whose rows hold no space (dates, SKUs, numbers)": salesCsv(300, 211),
    "CSV export of log records under a header": lines(
      "timestamp,level,service,message",
      "2024-05-02 10:15:00,INFO,api,started",
      "2024-05-02 10:15:01,ERROR,api,db down",
      "2024-05-02 10:15:02,INFO,worker,retrying",
      "2024-05-02 10:15:03,INFO,api,recovered",
    ),
    "semicolon CSV (European locale)": lines(
      "Datum;Artikel;Menge;Preis",
      "01.10.2026;A-100;4;12,50",
      "02.10.2026;A-101;7;3,20",
      "03.10.2026;A-102;1;99,00",
    ),
    "df -h": lines(
      "Filesystem      Size  Used Avail Use% Mounted on",
      "overlay          98G   41G   53G  44% /",
      "tmpfs            64M     0   64M   0% /dev",
      "/dev/sda1        98G   41G   53G  44% /etc/hosts",
    ),
  },
  html: {
    document: lines(
      "<!DOCTYPE html>",
      '<html lang="en"><head><meta charset="utf-8"><title>Docs</title></head>',
      "<body><main><h1>Install</h1><p>Run the installer.</p></main></body></html>",
    ),
    "fragment of a page": `<div class="nav"><ul>${repeat(6, (i) => `<li><a href="/p${i}">Page ${i}</a></li>`)}</ul></div><section><h2>News</h2><p>Text</p><img src="a.png"></section>`,
    "xml declaration then html":
      '<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body><p>x</p></body></html>',
  },
  code: {
    typescript: lines(
      'import { Hono } from "hono";',
      'import type { Store } from "./store.ts";',
      "",
      "export interface AppDeps {",
      "  store: Store;",
      "}",
      "",
      "export function createApp(deps: AppDeps): Hono {",
      "  const app = new Hono();",
      '  app.get("/health", (c) => c.json({ status: "healthy" }));',
      "  return app;",
      "}",
    ),
    python: lines(
      "import json",
      "from pathlib import Path",
      "",
      "",
      "class Config:",
      '    """Loads settings from disk."""',
      "",
      "    def __init__(self, path: Path):",
      "        self.path = path",
      "        self.values = {}",
      "",
      "    def load(self):",
      "        with self.path.open() as f:",
      "            self.values = json.load(f)",
      "        return self.values",
    ),
    go: lines(
      "package store",
      "",
      'import "errors"',
      "",
      "type Memory struct {",
      "\titems map[string][]byte",
      "}",
      "",
      "func (m *Memory) Get(key string) ([]byte, error) {",
      "\tv, ok := m.items[key]",
      "\tif !ok {",
      '\t\treturn nil, errors.New("not found")',
      "\t}",
      "\treturn v, nil",
      "}",
    ),
    c: lines(
      "#include <stdio.h>",
      "#define MAX 16",
      "",
      "int main(int argc, char **argv) {",
      "    for (int i = 0; i < MAX; i++) {",
      '        printf("%d\\n", i);',
      "    }",
      "    return 0;",
      "}",
    ),
    "file viewer with line numbers": lines(
      '     1→import { readFileSync } from "node:fs";',
      "     2→",
      "     3→export function load(path: string) {",
      '     4→  const text = readFileSync(path, "utf8");',
      "     5→  return JSON.parse(text);",
      "     6→}",
    ),
  },
  text: {
    prose:
      "The proxy sits between the agent and the provider. It only rewrites tool output, and every elision leaves a marker so the original can be fetched again. Errors are never hidden.",
    "markdown with a code example": lines(
      "# headroom",
      "",
      "A local proxy that compresses tool output before it reaches the model.",
      "",
      "## Usage",
      "",
      "```ts",
      'import { compress } from "headroom";',
      "const out = compress(text);",
      "```",
      "",
      "Run `headroom proxy` and point your agent at it.",
    ),
    "git status": lines(
      "On branch main",
      "Your branch is up to date with 'origin/main'.",
      "",
      "Changes not staged for commit:",
      '  (use "git add <file>..." to update what will be committed)',
      "\tmodified:   src/app.ts",
      "",
      'no changes added to commit (use "git add" and/or "git commit -a")',
    ),
    "prose that mentions errors":
      "If the build reports an error, read the first error message first: later errors are often caused by it. A warning is not a failure.",
    "truncated JSON": '[{"id": 1, "name": "a"}, {"id": 2, "na',
    "JSON followed by a note": '{"ok": true}\n(output truncated)',
    "JSON scalar": "42",
    "two objects on one line": '{"a":1}{"b":2}',
    "concatenated pretty objects": '{\n  "a": 1\n}\n{\n  "b": 2\n}',
    "environment variables": lines(
      "PATH=/usr/bin:/bin",
      "HOME=/root",
      "LANG=C.UTF-8",
      "TERM=xterm",
    ),
    "JSON under a Codex exec header (would not parse)": lines(
      "Exit code: 0",
      "Wall time: 0.2 seconds",
      "Output:",
      '{"ok": true}',
    ),
    "build instructions in prose": lines(
      "To build the tool, run",
      "make -j4",
      "and then compile the example with",
      "gcc -O2 -o demo demo.c",
      "before you start it. The demo prints its version and exits.",
      "See the manual for the other options it understands.",
    ),
    "shell script with unexpanded variables": lines(
      "#!/bin/sh",
      "set -e",
      'CFLAGS="-O2 -Wall"',
      "gcc $CFLAGS -c a.c -o a.o",
      "gcc $CFLAGS -c b.c -o b.o",
      "gcc -o app a.o b.o",
      "echo built",
    ),
    "sentences that start with tool names": lines(
      "make sure the cache is warm before measuring.",
      "go build the release on the CI machine, not locally.",
      "cc me on the thread when it lands.",
    ),
    "small HTML snippet": "<p>just a paragraph with <b>bold</b> text</p>",
    "svg image": `<svg xmlns="http://www.w3.org/2000/svg">${repeat(12, (i) => `<rect x="${i}" y="0" width="1" height="1"/>`)}</svg>`,
  },
};

describe("detectContent: realistic tool outputs", () => {
  for (const [kind, samples] of Object.entries(SAMPLES)) {
    for (const [name, text] of Object.entries(samples)) {
      test(`${kind}: ${name}`, () => {
        expect(detectContent(text)).toBe(kind as ContentKind);
      });
    }
  }
});

// ---------------------------------------------------------------------------------------------
// Large inputs: detection reads a bounded sample, so these must be correct (their speed is
// measured outside the tests).

describe("detectContent: large inputs", () => {
  test("a 10 MB single line of text is text", () => {
    expect(detectContent("lorem ipsum ".repeat(900_000))).toBe("text");
  });

  test("a 10 MB line of one repeated character is text", () => {
    expect(detectContent("a".repeat(10_000_000))).toBe("text");
  });

  test("a 10 MB minified JSON array is json (prefix validated, closer checked)", () => {
    const row = '{"id":1,"name":"item","tags":["a","b"],"price":12.5},';
    const big = `[${row.repeat(200_000)}{"id":0}]`;
    expect(big.length).toBeGreaterThan(10_000_000);
    expect(detectContent(big)).toBe("json");
  });

  test("the same JSON cut short is not json", () => {
    const row = '{"id":1,"name":"item","tags":["a","b"],"price":12.5},';
    expect(detectContent(`[${row.repeat(200_000)}{"id":0`)).not.toBe("json");
  });

  test("a large JSON whose sampled prefix is invalid is not json", () => {
    expect(detectContent(`[{"a": tru}, ${'"x",'.repeat(100_000)} 1]`)).not.toBe("json");
  });

  test("a 100,000-line log is log", () => {
    const log = repeat(
      100_000,
      (i) => `2024-05-02 10:15:${String(i % 60).padStart(2, "0")} INFO request ${i} ok`,
    );
    expect(detectContent(log)).toBe("log");
  });

  test("a 100,000-line grep result is search", () => {
    expect(
      detectContent(repeat(100_000, (i) => `src/f${i % 97}.ts:${i + 1}:  const x${i} = ${i};`)),
    ).toBe("search");
  });

  test("the end of a long output is read: a traceback after 1,000 plain lines is a log", () => {
    const plain = repeat(1000, (i) => `processed record ${i}: ok`);
    const trace = lines(
      "Traceback (most recent call last):",
      '  File "/app/run.py", line 10, in <module>',
      "    main()",
      '  File "/app/run.py", line 6, in main',
      "    load(record)",
      "ValueError: bad record 1001",
    );
    // The head alone says nothing; only the tail shows what went wrong.
    expect(detectContent(`${plain}\n`)).toBe("text");
    expect(detectContent(`${plain}\n${trace}\n\n`)).toBe("log");
  });

  test("a 10 MB build log is log", () => {
    const log = makeGccLog(240_000, 239_990);
    expect(log.length).toBeGreaterThan(10_000_000);
    expect(detectContent(log)).toBe("log");
  });

  test("a 100,000-row CSV without spaces is a table, not a path listing", () => {
    expect(detectContent(salesCsv(100_000, 50_000))).toBe("table");
  });

  test("a 10 MB line followed by a short tail stays bounded and does not throw", () => {
    const text = `${"x".repeat(10_000_000)}\n${repeat(5, (i) => `2024-05-02 10:15:0${i} INFO ok`)}`;
    expect(KINDS.has(detectContent(text))).toBe(true);
  });

  test("leading blank lines do not hide the content", () => {
    expect(detectContent(`\n\n\n   \n${SAMPLES.diff["git diff"]}`)).toBe("diff");
    expect(detectContent(`\n\n${SAMPLES.table["ps aux"]}`)).toBe("table");
  });
});

// ---------------------------------------------------------------------------------------------
// Detection decides which compressor runs: the kinds found above must reach the right one and
// keep what matters.

describe("detectContent: routing keeps the critical facts", () => {
  const compress = (text: string, query: string) =>
    compressText(text, { query, lossy: true, hash: () => originalHash(text) });

  test("a make + gcc log goes to the log compressor, which keeps the one error", () => {
    const log = makeGccLog(120, 110);
    const out = compress(log, "why does the build fail?");
    expect(out?.kind).toBe("log");
    expect(out?.text).toContain("error: 'MAX_CONN' undeclared");
    expect(out?.text).toContain("module_110.c:3:47");
    expect(out!.text.length).toBeLessThan(log.length * 0.3);
  });

  test("a headed CSV goes to the table compressor, which keeps the anomalous row", () => {
    const csv = salesCsv(300, 211);
    const out = compress(csv, "any unusual sales?");
    expect(out?.kind).toBe("table");
    expect(out?.text).toContain("date,sku,store,units,revenue");
    expect(out?.text).toContain(",9400,117500.00");
  });
});

// ---------------------------------------------------------------------------------------------
// Properties over random and mutated inputs.

const KINDS = new Set<ContentKind>([
  "json",
  "log",
  "search",
  "diff",
  "git",
  "install",
  "listing",
  "table",
  "html",
  "code",
  "text",
]);
const ALL_SAMPLES = Object.values(SAMPLES).flatMap((group) => Object.values(group));
const ALPHABET = ' \n\t{}[]":,.-_/\\0123456789abcXYZ<>|=#@✓é中🚀\r';

function mutate(text: string, random: () => number): string {
  const chars = [...text];
  const edits = 1 + Math.floor(random() * 6);
  for (let k = 0; k < edits; k++) {
    const at = Math.floor(random() * (chars.length + 1));
    const op = random();
    const ch = ALPHABET[Math.floor(random() * ALPHABET.length)] ?? " ";
    if (op < 0.4) chars.splice(at, 1);
    else if (op < 0.8) chars.splice(at, 0, ch);
    else chars.splice(at, 0, ...chars.slice(0, Math.floor(random() * 40)));
  }
  return chars.join("");
}

describe("detectContent: properties", () => {
  test("never throws, always returns a known kind, is deterministic (400 mutated inputs)", () => {
    const random = mulberry32(7);
    for (let i = 0; i < 400; i++) {
      const base = ALL_SAMPLES[i % ALL_SAMPLES.length] ?? "";
      const text = mutate(base, random);
      const kind = detectContent(text);
      expect(KINDS.has(kind)).toBe(true);
      expect(detectContent(text)).toBe(kind);
    }
  });

  test("random strings never throw", () => {
    const random = mulberry32(11);
    for (let i = 0; i < 300; i++) {
      const length = Math.floor(random() * 300);
      let text = "";
      for (let k = 0; k < length; k++) text += ALPHABET[Math.floor(random() * ALPHABET.length)];
      expect(KINDS.has(detectContent(text))).toBe(true);
    }
  });

  test("lone surrogates and control characters are handled", () => {
    expect(detectContent("\ud800\u0000\u0001[")).toBe("text");
    expect(detectContent('["\ud800"]')).toBe("json");
  });
});
