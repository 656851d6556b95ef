// Realistic outputs of real programs, generated deterministically, and what a lossy rewrite of
// each must keep and may drop, for the log tests (tests/compress/log-samples.test.ts checks the
// samples themselves stay realistic).
import { mulberry32 } from "./random.ts";

/** One realistic log and what its lossy rewrite must keep and may drop. */
export interface LogSample {
  readonly name: string;
  /** build: compiler/bundler/installer output; test: test runner output; shell/app: other output. */
  readonly kind: "build" | "test" | "shell" | "app";
  readonly text: string;
  /** Lines (substrings) the lossy rewrite must still contain. */
  readonly keep: readonly string[];
  /** Substrings the lossy rewrite should no longer contain. */
  readonly drop: readonly string[];
  /** The least share of tokens the lossy rewrite must save. */
  readonly minSaved: number;
}

/** Rebuilds the lines a lossless rewrite stands for (the inverse of collapseRepeats). */
export function expandRepeats(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split("\n")) {
    const block = /^\[×(\d+): the (\d+) lines above\]$/.exec(line);
    if (block) {
      const copy = out.slice(out.length - Number(block[2]));
      for (let k = 1; k < Number(block[1]); k++) out.push(...copy);
      continue;
    }
    const repeat = / \[×(\d+)\]$/.exec(line);
    if (repeat) {
      for (let k = 0; k < Number(repeat[1]); k++) out.push(line.slice(0, repeat.index));
      continue;
    }
    out.push(line);
  }
  return out;
}

const CRATES = [
  "proc-macro2 v1.0.78",
  "unicode-ident v1.0.12",
  "libc v0.2.153",
  "cfg-if v1.0.0",
  "autocfg v1.1.0",
  "once_cell v1.19.0",
  "memchr v2.7.1",
  "itoa v1.0.10",
  "serde v1.0.197",
  "quote v1.0.35",
  "syn v2.0.52",
  "pin-project-lite v0.2.13",
  "bytes v1.5.0",
  "tokio v1.36.0",
  "log v0.4.21",
  "smallvec v1.13.1",
  "scopeguard v1.2.0",
  "lock_api v0.4.11",
  "parking_lot_core v0.9.9",
  "parking_lot v0.12.1",
  "mio v0.8.11",
  "socket2 v0.5.6",
  "tracing-core v0.1.32",
  "tracing v0.1.40",
  "futures-core v0.3.30",
  "futures-sink v0.3.30",
  "slab v0.4.9",
  "http v1.1.0",
  "httparse v1.8.0",
  "hyper v1.2.0",
  "regex-syntax v0.8.2",
  "aho-corasick v1.1.2",
  "regex-automata v0.4.6",
  "regex v1.10.3",
  "serde_json v1.0.114",
  "ryu v1.0.17",
  "thiserror v1.0.57",
  "anyhow v1.0.80",
  "clap_lex v0.7.0",
  "clap v4.5.2",
];

function cargoBuild(): string {
  const out: string[] = ["    Updating crates.io index"];
  for (const c of CRATES) out.push(`  Downloaded ${c}`);
  out.push(`  Downloaded ${CRATES.length} crates (4.1 MB) in 1.32s`);
  for (let round = 0; round < 3; round++) {
    for (const c of CRATES)
      out.push(`   Compiling ${c.replace(/\d+$/, (d) => String(Number(d) + round))}`);
  }
  out.push("   Compiling myapp v0.3.1 (/home/dev/myapp)");
  out.push(
    "warning: unused variable: `config`",
    "  --> src/main.rs:14:9",
    "   |",
    "14 |     let config = load_config();",
    "   |         ^^^^^^ help: if this is intentional, prefix it with an underscore: `_config`",
    "   |",
    "   = note: `#[warn(unused_variables)]` on by default",
    "",
    "warning: unused variable: `retries`",
    "  --> src/client.rs:88:13",
    "   |",
    "88 |         let retries = 3;",
    "   |             ^^^^^^^ help: if this is intentional, prefix it with an underscore: `_retries`",
    "",
    "error[E0308]: mismatched types",
    "  --> src/handlers.rs:42:22",
    "   |",
    "42 |     let count: u32 = items.len();",
    "   |                ---   ^^^^^^^^^^^ expected `u32`, found `usize`",
    "   |                |",
    "   |                expected due to this",
    "   |",
    "help: you can convert a `usize` to a `u32` and panic if the converted value doesn't fit",
    "   |",
    "42 |     let count: u32 = items.len().try_into().unwrap();",
    "   |                                 ++++++++++++++++++++",
    "",
    "Some errors have detailed explanations: E0308.",
    "For more information about this error, try `rustc --explain E0308`.",
    'warning: `myapp` (bin "myapp") generated 2 warnings',
    'error: could not compile `myapp` (bin "myapp") due to 1 previous error; 2 warnings emitted',
  );
  return out.join("\n");
}

function npmInstall(): string {
  const random = mulberry32(7);
  const pkgs = [
    "react",
    "react-dom",
    "scheduler",
    "loose-envify",
    "js-tokens",
    "@babel/core",
    "@babel/parser",
    "@babel/types",
    "@babel/traverse",
    "@babel/generator",
    "webpack",
    "webpack-cli",
    "terser",
    "acorn",
    "browserslist",
    "caniuse-lite",
    "electron-to-chromium",
    "node-releases",
    "eslint",
    "espree",
    "esquery",
    "glob",
    "minimatch",
    "brace-expansion",
    "balanced-match",
    "typescript",
    "ts-loader",
    "chalk",
    "supports-color",
    "has-flag",
  ];
  const out: string[] = [];
  for (let i = 0; i < 210; i++) {
    const pkg = pkgs[i % pkgs.length]!;
    const ms = 20 + Math.floor(random() * 400);
    const suffix =
      i % 3 === 0 ? "" : `/-/${pkg.replace("@babel/", "")}-${1 + (i % 9)}.${i % 13}.${i % 7}.tgz`;
    out.push(
      `npm http fetch GET 200 https://registry.npmjs.org/${pkg}${suffix} ${ms}ms (cache ${i % 4 === 0 ? "revalidated" : "miss"})`,
    );
    if (i === 40)
      out.push(
        "npm WARN deprecated inflight@1.0.6: This module is not supported, and leaks memory. Do not use it. Check out lru-cache if you want a good and tested way to coalesce async requests by a key value, which is much more comprehensive and powerful.",
      );
    if (i === 90)
      out.push("npm WARN deprecated glob@7.2.3: Glob versions prior to v9 are no longer supported");
    if (i === 120)
      out.push(
        "npm WARN deprecated rimraf@3.0.2: Rimraf versions prior to v4 are no longer supported",
      );
  }
  out.push(
    "",
    "> my-app@0.1.0 postinstall",
    "> node scripts/postinstall.js",
    "",
    "added 1287 packages, and audited 1288 packages in 38s",
    "",
    "214 packages are looking for funding",
    "  run `npm fund` for details",
    "",
    "8 vulnerabilities (2 moderate, 6 high)",
    "",
    "To address issues that do not require attention, run:",
    "  npm audit fix",
    "",
    "To address all issues (including breaking changes), run:",
    "  npm audit fix --force",
    "",
    "Run `npm audit` for details.",
  );
  return out.join("\n");
}

function npmEresolve(): string {
  const out: string[] = [];
  for (let i = 0; i < 60; i++) {
    out.push(`npm http fetch GET 200 https://registry.npmjs.org/pkg-${i} ${30 + i}ms (cache miss)`);
  }
  out.push(
    "npm ERR! code ERESOLVE",
    "npm ERR! ERESOLVE unable to resolve dependency tree",
    "npm ERR! ",
    "npm ERR! While resolving: my-app@0.1.0",
    "npm ERR! Found: react@18.2.0",
    "npm ERR! node_modules/react",
    'npm ERR!   react@"^18.2.0" from the root project',
    "npm ERR! ",
    "npm ERR! Could not resolve dependency:",
    'npm ERR! peer react@"^16.8.0 || ^17.0.0" from react-beautiful-dnd@13.1.1',
    "npm ERR! node_modules/react-beautiful-dnd",
    'npm ERR!   react-beautiful-dnd@"^13.1.1" from the root project',
    "npm ERR! ",
    "npm ERR! Fix the upstream dependency conflict, or retry",
    "npm ERR! this command with --force or --legacy-peer-deps",
    "npm ERR! to accept an incorrect (and potentially broken) dependency resolution.",
    "npm ERR! ",
    "npm ERR! For a full report see:",
    "npm ERR! /home/dev/.npm/_logs/2024-05-01T10_00_00_000Z-eresolve-report.txt",
    "",
    "npm ERR! A complete log of this run can be found in: /home/dev/.npm/_logs/2024-05-01T10_00_00_000Z-debug-0.log",
  );
  return out.join("\n");
}

function pnpmInstall(): string {
  const out: string[] = ["Lockfile is up to date, resolution step is skipped"];
  let line = "";
  for (let i = 1; i <= 120; i++) {
    line += `Progress: resolved ${i * 9}, reused ${i * 8}, downloaded ${i}, added ${i * 7}\r`;
  }
  out.push(`${line}Progress: resolved 1080, reused 960, downloaded 120, added 1080, done`);
  out.push("Packages: +1080");
  out.push("+".repeat(80));
  out.push(
    " WARN  deprecated @humanwhocodes/config-array@0.11.14: Use @eslint/config-array instead",
  );
  out.push(
    " WARN  deprecated @humanwhocodes/object-schema@2.0.3: Use @eslint/object-schema instead",
  );
  for (let i = 0; i < 40; i++) {
    out.push(`.../node_modules/pkg-${i} postinstall$ node install.js`);
    out.push(`.../node_modules/pkg-${i} postinstall: Done`);
  }
  out.push("", "dependencies:", "+ react 18.2.0", "+ react-dom 18.2.0", "", "devDependencies:");
  out.push("+ typescript 5.4.2", "+ vite 5.1.6", "", "Done in 14.2s");
  return out.join("\n");
}

function pytestRun(): string {
  const out: string[] = [
    "============================= test session starts ==============================",
    "platform linux -- Python 3.11.8, pytest-8.1.1, pluggy-1.4.0 -- /home/dev/venv/bin/python",
    "cachedir: .pytest_cache",
    "rootdir: /home/dev/shop",
    "configfile: pyproject.toml",
    "plugins: cov-4.1.0, asyncio-0.23.5",
    "collected 186 items",
    "",
  ];
  const modules = [
    "test_cart",
    "test_orders",
    "test_payments",
    "test_users",
    "test_inventory",
    "test_api",
  ];
  let index = 0;
  for (const mod of modules) {
    for (let t = 0; t < 31; t++) {
      const pct = Math.floor((index * 100) / 186);
      const name = `test_${mod.slice(5)}_case_${t}`;
      const failed = (mod === "test_payments" && t === 7) || (mod === "test_orders" && t === 19);
      out.push(
        `tests/${mod}.py::${name} ${failed ? "FAILED" : "PASSED"}${" ".repeat(Math.max(1, 40 - name.length))}[${String(pct).padStart(3)}%]`,
      );
      index++;
    }
  }
  out.push(
    "",
    "=================================== FAILURES ===================================",
    "________________________ test_orders_case_19 ________________________",
    "",
    "client = <FlaskClient <Flask 'shop'>>",
    "",
    "    def test_orders_case_19(client):",
    '        order = create_order(client, items=[{"sku": "A-1", "qty": 2}])',
    '>       assert order["total"] == Decimal("19.98")',
    "E       AssertionError: assert Decimal('19.97') == Decimal('19.98')",
    "E        +  where Decimal('19.97') = <Order 1042>['total']",
    "",
    "tests/test_orders.py:214: AssertionError",
    "________________________ test_payments_case_7 ________________________",
    "",
    "    def test_payments_case_7():",
    "        gateway = FakeGateway(fail_after=1)",
    ">       charge(gateway, amount=500, currency='EUR')",
    "",
    "tests/test_payments.py:88: ",
    "_ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ ",
    "shop/payments.py:41: in charge",
    "    response = gateway.post('/charges', json=payload)",
    "_ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ ",
    "",
    "self = <tests.fakes.FakeGateway object at 0x7f3a2c1d9e10>, path = '/charges'",
    "",
    "    def post(self, path, json):",
    "        self.calls += 1",
    "        if self.calls > self.fail_after:",
    ">           raise GatewayTimeout('upstream timed out after 30s')",
    "E           shop.errors.GatewayTimeout: upstream timed out after 30s",
    "",
    "tests/fakes.py:19: GatewayTimeout",
    "=============================== warnings summary ===============================",
  );
  for (let i = 0; i < 30; i++) {
    out.push(
      `tests/test_api.py::test_api_case_${i}`,
      "  /home/dev/venv/lib/python3.11/site-packages/flask/testing.py:118: DeprecationWarning: 'werkzeug.urls.url_parse' is deprecated and will be removed in Werkzeug 3.1. Use 'urllib.parse.urlsplit' instead.",
      "    url = url_parse(path)",
      "",
    );
  }
  out.push(
    "-- Docs: https://docs.pytest.org/en/stable/how-to/capture-warnings.html",
    "=========================== short test summary info ============================",
    "FAILED tests/test_orders.py::test_orders_case_19 - AssertionError: assert Decimal('19.97') == Decimal('19.98')",
    "FAILED tests/test_payments.py::test_payments_case_7 - shop.errors.GatewayTimeout: upstream timed out after 30s",
    "============ 2 failed, 184 passed, 30 warnings in 12.47s ============",
  );
  return out.join("\n");
}

function jestRun(): string {
  const out: string[] = [];
  const files = ["cart", "checkout", "price", "format", "auth", "session", "router", "store"];
  for (const f of files) {
    if (f === "price") continue;
    out.push(`PASS src/${f}/${f}.test.ts`);
    for (let t = 0; t < 12; t++) out.push(`  ✓ ${f} handles case ${t} (${2 + ((t * 7) % 11)} ms)`);
  }
  out.push("FAIL src/price/price.test.ts");
  out.push("  price");
  for (let t = 0; t < 10; t++) out.push(`    ✓ formats amount ${t} (${1 + t} ms)`);
  out.push("    ✕ applies the discount before tax (6 ms)");
  out.push(
    "",
    "  ● price › applies the discount before tax",
    "",
    "    expect(received).toBe(expected) // Object.is equality",
    "",
    "    Expected: 90",
    "    Received: 99",
    "",
    "      12 |   it('applies the discount before tax', () => {",
    "      13 |     const total = price({ amount: 100, discount: 0.1, tax: 0.1 });",
    "    > 14 |     expect(total).toBe(90);",
    "         |                   ^",
    "      15 |   });",
    "      16 | });",
    "",
    "      at Object.<anonymous> (src/price/price.test.ts:14:19)",
    "",
    "Test Suites: 1 failed, 7 passed, 8 total",
    "Tests:       1 failed, 94 passed, 95 total",
    "Snapshots:   0 total",
    "Time:        4.317 s",
    "Ran all test suites.",
  );
  return out.join("\n");
}

function goTest(): string {
  const out: string[] = [];
  const pkgs = ["config", "store", "api", "auth"];
  for (const p of pkgs) {
    for (let t = 0; t < 25; t++) {
      const name = `Test${p[0]!.toUpperCase()}${p.slice(1)}Case${t}`;
      out.push(`=== RUN   ${name}`);
      if (p === "api" && t === 13) {
        out.push(
          `    handler_test.go:88: GET /v1/orders/42: status = 500, want 200`,
          `    handler_test.go:91: body = {"error":"order not found"}`,
          `--- FAIL: ${name} (0.01s)`,
        );
      } else out.push(`--- PASS: ${name} (0.00s)`);
    }
    if (p === "api") {
      out.push("FAIL", `FAIL\tgithub.com/acme/shop/${p}\t0.412s`);
    } else out.push("PASS", `ok  \tgithub.com/acme/shop/${p}\t0.0${pkgs.indexOf(p) + 2}1s`);
  }
  out.push("FAIL");
  return out.join("\n");
}

function cargoTest(): string {
  const out: string[] = [
    "   Compiling shop v0.1.0 (/home/dev/shop)",
    "    Finished `test` profile [unoptimized + debuginfo] target(s) in 3.21s",
    "     Running unittests src/lib.rs (target/debug/deps/shop-5f2c0a1b9d3e4f67)",
    "",
    "running 64 tests",
  ];
  for (let t = 0; t < 64; t++) {
    out.push(`test cart::tests::case_${t} ... ${t === 41 ? "FAILED" : "ok"}`);
  }
  out.push(
    "",
    "failures:",
    "",
    "---- cart::tests::case_41 stdout ----",
    "thread 'cart::tests::case_41' panicked at src/cart.rs:212:9:",
    "assertion `left == right` failed: total after coupon",
    "  left: 1890",
    " right: 1899",
    "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace",
    "",
    "",
    "failures:",
    "    cart::tests::case_41",
    "",
    "test result: FAILED. 63 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.08s",
    "",
    "error: test failed, to rerun pass `--lib`",
  );
  return out.join("\n");
}

function gradleBuild(): string {
  const out: string[] = [
    "Starting a Gradle Daemon (subsequent builds will be faster)",
    "> Configure project :app",
  ];
  const tasks = [
    "compileKotlin",
    "processResources",
    "classes",
    "jar",
    "generateProto",
    "extractIncludeProto",
    "generateBuildConfig",
  ];
  for (const mod of ["core", "model", "storage", "network", "util", "billing"]) {
    for (const t of tasks) out.push(`> Task :${mod}:${t}${t === "classes" ? " UP-TO-DATE" : ""}`);
  }
  out.push(
    "> Task :app:compileJava",
    "/home/dev/shop/app/src/main/java/com/acme/shop/OrderService.java:57: error: cannot find symbol",
    "        BigDecimal total = cart.totl();",
    "                               ^",
    "  symbol:   method totl()",
    "  location: variable cart of type Cart",
    "1 error",
    "",
    "> Task :app:compileJava FAILED",
    "",
    "FAILURE: Build failed with an exception.",
    "",
    "* What went wrong:",
    "Execution failed for task ':app:compileJava'.",
    "> Compilation failed; see the compiler error output for details.",
    "",
    "* Try:",
    "> Run with --info option to get more log output.",
    "> Run with --scan to get full insights.",
    "",
    "BUILD FAILED in 8s",
    "43 actionable tasks: 43 executed",
  );
  return out.join("\n");
}

function mavenTest(): string {
  const out: string[] = [
    "[INFO] Scanning for projects...",
    "[INFO] ",
    "[INFO] ------------------------< com.acme:shop >-------------------------",
    "[INFO] Building shop 1.4.0-SNAPSHOT",
    "[INFO] --------------------------------[ jar ]---------------------------------",
  ];
  const artifacts = [
    "junit-jupiter-api",
    "opentest4j",
    "apiguardian-api",
    "junit-platform-commons",
  ];
  for (let i = 0; i < 60; i++) {
    const a = `${artifacts[i % 4]}-${i % 5}`;
    out.push(
      `[INFO] Downloading from central: https://repo.maven.apache.org/maven2/org/junit/${a}/5.10.${i % 3}/${a}-5.10.${i % 3}.pom`,
    );
    out.push(
      `[INFO] Downloaded from central: https://repo.maven.apache.org/maven2/org/junit/${a}/5.10.${i % 3}/${a}-5.10.${i % 3}.pom (${1 + (i % 9)}.${i % 10} kB at ${20 + i} kB/s)`,
    );
  }
  out.push(
    "[INFO] --- maven-surefire-plugin:3.2.5:test (default-test) @ shop ---",
    "[INFO] ",
    "[INFO] -------------------------------------------------------",
    "[INFO]  T E S T S",
    "[INFO] -------------------------------------------------------",
  );
  for (const cls of ["CartTest", "UserTest", "InventoryTest", "ShippingTest"]) {
    out.push(`[INFO] Running com.acme.shop.${cls}`);
    out.push(
      `[INFO] Tests run: 12, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: 0.0${cls.length} s - in com.acme.shop.${cls}`,
    );
  }
  out.push(
    "[INFO] Running com.acme.shop.PriceTest",
    "[ERROR] Tests run: 6, Failures: 1, Errors: 0, Skipped: 0, Time elapsed: 0.041 s <<< FAILURE! - in com.acme.shop.PriceTest",
    "[ERROR] com.acme.shop.PriceTest.appliesDiscountBeforeTax  Time elapsed: 0.012 s  <<< FAILURE!",
    "org.opentest4j.AssertionFailedError: expected: <90.00> but was: <99.00>",
    "\tat org.junit.jupiter.api.AssertionFailureBuilder.build(AssertionFailureBuilder.java:151)",
    "\tat org.junit.jupiter.api.AssertionFailureBuilder.buildAndThrow(AssertionFailureBuilder.java:132)",
    "\tat org.junit.jupiter.api.AssertEquals.failNotEqual(AssertEquals.java:197)",
    "\tat org.junit.jupiter.api.Assertions.assertEquals(Assertions.java:1145)",
    "\tat com.acme.shop.PriceTest.appliesDiscountBeforeTax(PriceTest.java:31)",
    "\tat java.base/java.lang.reflect.Method.invoke(Method.java:580)",
    "\tat java.base/java.util.ArrayList.forEach(ArrayList.java:1596)",
    "",
    "[INFO] ",
    "[INFO] Results:",
    "[INFO] ",
    "[ERROR] Failures: ",
    "[ERROR]   PriceTest.appliesDiscountBeforeTax:31 expected: <90.00> but was: <99.00>",
    "[INFO] ",
    "[ERROR] Tests run: 54, Failures: 1, Errors: 0, Skipped: 0",
    "[INFO] ",
    "[INFO] ------------------------------------------------------------------------",
    "[INFO] BUILD FAILURE",
    "[INFO] ------------------------------------------------------------------------",
    "[INFO] Total time:  6.912 s",
    "[INFO] Finished at: 2024-05-01T10:12:44Z",
    "[INFO] ------------------------------------------------------------------------",
    "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:3.2.5:test (default-test) on project shop: There are test failures.",
  );
  return out.join("\n");
}

function makeGcc(): string {
  const out: string[] = ["make -C src all", "make[1]: Entering directory '/home/dev/interp/src'"];
  const files = [
    "lexer",
    "parser",
    "ast",
    "eval",
    "gc",
    "builtins",
    "strings",
    "numbers",
    "hash",
    "vec",
    "io",
    "main",
  ];
  for (let round = 0; round < 8; round++) {
    for (const f of files) {
      if (f === "parser" && round === 7) continue;
      out.push(
        `gcc -O2 -g -Wall -Wextra -std=c11 -Iinclude -DVERSION=\\"1.4.${round}\\" -MMD -MP -c ${f}${round > 0 ? `_${round}` : ""}.c -o ../build/${f}${round > 0 ? `_${round}` : ""}.o`,
      );
    }
  }
  out.push(
    "gcc -O2 -g -Wall -Wextra -std=c11 -Iinclude -MMD -MP -c parser_7.c -o ../build/parser_7.o",
    "parser_7.c: In function 'parse_expr':",
    "parser_7.c:142:12: error: 'tok' undeclared (first use in this function); did you mean 'tk'?",
    "  142 |     return tok->value;",
    "      |            ^~~",
    "      |            tk",
    "parser_7.c:142:12: note: each undeclared identifier is reported only once for each function it appears in",
    "parser_7.c:150:5: warning: implicit declaration of function 'free_node' [-Wimplicit-function-declaration]",
    "  150 |     free_node(n);",
    "      |     ^~~~~~~~~",
    "make[1]: *** [Makefile:34: ../build/parser_7.o] Error 1",
    "make[1]: Leaving directory '/home/dev/interp/src'",
    "make: *** [Makefile:12: all] Error 2",
  );
  return out.join("\n");
}

function dockerBuild(): string {
  const out: string[] = [
    '#0 building with "default" instance using docker driver',
    "",
    "#1 [internal] load build definition from Dockerfile",
    "#1 transferring dockerfile: 612B done",
    "#1 DONE 0.0s",
    "",
    "#2 [internal] load metadata for docker.io/library/node:20-bookworm",
    "#2 DONE 1.2s",
    "",
    "#3 [internal] load .dockerignore",
    "#3 transferring context: 89B done",
    "#3 DONE 0.0s",
    "",
    "#4 [1/6] FROM docker.io/library/node:20-bookworm@sha256:3f2a9c1e0b8d7f6a5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f",
    "#4 DONE 0.0s",
    "",
    "#5 [2/6] WORKDIR /app",
    "#5 CACHED",
    "",
    "#6 [3/6] RUN apt-get update && apt-get install -y --no-install-recommends python3 build-essential",
  ];
  const debs = [
    "libpython3.11",
    "python3.11",
    "python3",
    "gcc-12",
    "g++-12",
    "make",
    "dpkg-dev",
    "libc6-dev",
  ];
  let t = 0.3;
  out.push("#6 0.312 Get:1 http://deb.debian.org/debian bookworm InRelease [151 kB]");
  for (let i = 0; i < 24; i++) {
    t += 0.21;
    out.push(
      `#6 ${t.toFixed(3)} Get:${i + 2} http://deb.debian.org/debian bookworm/main amd64 ${debs[i % 8]}-${i} amd64 1.${i}-${i % 4} [${100 + i * 37} kB]`,
    );
  }
  out.push(`#6 ${(t + 0.4).toFixed(3)} Fetched 48.2 MB in 6s (8012 kB/s)`);
  out.push(`#6 ${(t + 0.5).toFixed(3)} Reading package lists...`);
  for (let i = 0; i < 24; i++) {
    t += 0.11;
    out.push(`#6 ${t.toFixed(3)} Selecting previously unselected package ${debs[i % 8]}-${i}.`);
    out.push(`#6 ${t.toFixed(3)} Preparing to unpack .../${debs[i % 8]}-${i}_1.${i}_amd64.deb ...`);
    out.push(`#6 ${t.toFixed(3)} Unpacking ${debs[i % 8]}-${i} (1.${i}-${i % 4}) ...`);
  }
  for (let i = 0; i < 24; i++) {
    t += 0.05;
    out.push(`#6 ${t.toFixed(3)} Setting up ${debs[i % 8]}-${i} (1.${i}-${i % 4}) ...`);
  }
  out.push(
    `#6 ${(t + 0.1).toFixed(3)} Processing triggers for libc-bin (2.36-9+deb12u4) ...`,
    "#6 DONE 14.2s",
    "",
  );
  out.push(
    "#7 [4/6] COPY package.json package-lock.json ./",
    "#7 DONE 0.1s",
    "",
    "#8 [5/6] RUN npm ci",
    "#8 2.113 npm WARN deprecated inflight@1.0.6: This module is not supported, and leaks memory.",
    "#8 9.871 npm ERR! code 1",
    "#8 9.872 npm ERR! path /app/node_modules/bcrypt",
    "#8 9.872 npm ERR! command failed",
    "#8 9.872 npm ERR! command sh -c node-pre-gyp install --fallback-to-build",
    "#8 9.873 npm ERR! gyp ERR! find Python Python is not set from command line or npm configuration",
    "#8 9.874 npm ERR! gyp ERR! stack Error: Could not find any Python installation to use",
    "#8 9.880 npm ERR! A complete log of this run can be found in: /root/.npm/_logs/2024-05-01T10_31_02_812Z-debug-0.log",
    '#8 ERROR: process "/bin/sh -c npm ci" did not complete successfully: exit code: 1',
    "------",
    " > [5/6] RUN npm ci:",
    "9.872 npm ERR! command sh -c node-pre-gyp install --fallback-to-build",
    "9.873 npm ERR! gyp ERR! find Python Python is not set from command line or npm configuration",
    "9.874 npm ERR! gyp ERR! stack Error: Could not find any Python installation to use",
    "9.880 npm ERR! A complete log of this run can be found in: /root/.npm/_logs/2024-05-01T10_31_02_812Z-debug-0.log",
    "------",
    "Dockerfile:9",
    "--------------------",
    "   7 |     COPY package.json package-lock.json ./",
    "   8 |     ",
    "   9 | >>> RUN npm ci",
    "  10 |     COPY . .",
    "  11 |     RUN npm run build",
    "--------------------",
    'ERROR: failed to solve: process "/bin/sh -c npm ci" did not complete successfully: exit code: 1',
  );
  return out.join("\n");
}

function webpackBuild(): string {
  const out: string[] = [];
  for (let i = 0; i < 40; i++) {
    out.push(
      `asset ${i === 0 ? "main" : `chunk-${i}`}.${(i * 2654435761) % 99991}.js ${(i * 3.7 + 1.2).toFixed(1)} KiB [emitted] [immutable] (name: ${i === 0 ? "main" : `chunk-${i}`})`,
    );
  }
  out.push("orphan modules 412 KiB [orphan] 188 modules", "runtime modules 6.91 KiB 12 modules");
  for (let i = 0; i < 80; i++) {
    out.push(
      `./src/components/Widget${i}.tsx ${(i * 1.3 + 0.4).toFixed(2)} KiB [built] [code generated]`,
    );
  }
  out.push(
    "",
    "ERROR in ./src/pages/Checkout.tsx 7:0-49",
    "Module not found: Error: Can't resolve '../hooks/useBasket' in '/app/src/pages'",
    "resolve '../hooks/useBasket' in '/app/src/pages'",
    "  using description file: /app/package.json (relative path: ./src/pages)",
    "    using description file: /app/package.json (relative path: ./src/hooks/useBasket)",
    "      no extension",
    "        /app/src/hooks/useBasket doesn't exist",
    "      .tsx",
    "        /app/src/hooks/useBasket.tsx doesn't exist",
    " @ ./src/App.tsx 12:0-42 31:38-46",
    " @ ./src/index.tsx 4:0-24 9:36-39",
    "",
    "webpack 5.90.3 compiled with 1 error in 8421 ms",
  );
  return out.join("\n");
}

function springBootLogs(): string {
  const random = mulberry32(11);
  const out: string[] = [
    "  .   ____          _            __ _ _",
    " /\\\\ / ___'_ __ _ _(_)_ __  __ _ \\ \\ \\ \\",
    "( ( )\\___ | '_ | '_| | '_ \\/ _` | \\ \\ \\ \\",
    " :: Spring Boot ::                (v3.2.3)",
    "",
    "2024-05-01T10:00:00.101Z  INFO 1 --- [           main] com.acme.shop.ShopApplication            : Starting ShopApplication v1.4.0 using Java 21.0.2 with PID 1",
    "2024-05-01T10:00:02.518Z  INFO 1 --- [           main] o.s.b.w.embedded.tomcat.TomcatWebServer  : Tomcat initialized with port 8080 (http)",
    "2024-05-01T10:00:03.940Z  INFO 1 --- [           main] com.zaxxer.hikari.HikariDataSource       : HikariPool-1 - Start completed.",
    "2024-05-01T10:00:05.002Z  INFO 1 --- [           main] com.acme.shop.ShopApplication            : Started ShopApplication in 5.2 seconds (process running for 5.9)",
  ];
  const paths = ["/api/orders", "/api/cart", "/api/products", "/actuator/health"];
  for (let i = 0; i < 230; i++) {
    const seconds = 6 + i;
    const ms = String(Math.floor(random() * 1000)).padStart(3, "0");
    const stamp = `2024-05-01T10:${String(Math.floor(seconds / 60)).padStart(2, "0")}:${String(seconds % 60).padStart(2, "0")}.${ms}Z`;
    const thread = `http-nio-8080-exec-${1 + (i % 10)}`.padStart(15);
    if (i === 97 || i === 150 || i === 201) {
      out.push(
        `${stamp} ERROR 1 --- [${thread}] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() for servlet [dispatcherServlet] threw exception`,
        'java.lang.NullPointerException: Cannot invoke "com.acme.shop.Customer.getTier()" because "customer" is null',
        "\tat com.acme.shop.pricing.DiscountPolicy.apply(DiscountPolicy.java:48)",
        "\tat com.acme.shop.orders.OrderService.total(OrderService.java:112)",
        "\tat com.acme.shop.orders.OrderController.create(OrderController.java:57)",
        "\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)",
        "\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)",
        "\tat org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:166)",
        "\tat java.base/java.lang.Thread.run(Thread.java:1583)",
      );
      continue;
    }
    if (i === 60) {
      out.push(
        `${stamp}  WARN 1 --- [${thread}] com.zaxxer.hikari.pool.HikariPool        : HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta=1m2s).`,
      );
      continue;
    }
    const path = paths[i % 4]!;
    const status = path === "/api/orders" && i % 8 === 0 ? 201 : 200;
    out.push(
      `${stamp}  INFO 1 --- [${thread}] c.a.shop.web.RequestLoggingFilter        : ${i % 4 === 3 ? "GET" : "POST"} ${path} status=${status} duration=${3 + Math.floor(random() * 80)}ms`,
    );
  }
  return out.join("\n");
}

function pythonServiceLogs(): string {
  const out: string[] = [];
  for (let i = 0; i < 180; i++) {
    const stamp = `2024-05-01 10:${String(10 + Math.floor(i / 60)).padStart(2, "0")}:${String(i % 60).padStart(2, "0")},${String((i * 37) % 1000).padStart(3, "0")}`;
    if (i === 120) {
      out.push(
        `${stamp} ERROR [worker.jobs] job 7f3c2a91 failed`,
        "Traceback (most recent call last):",
        '  File "/srv/app/worker/jobs.py", line 88, in run',
        "    result = handler(payload)",
        '  File "/srv/app/worker/handlers/invoice.py", line 41, in handle',
        "    pdf = render_invoice(order)",
        '  File "/srv/app/worker/render.py", line 17, in render_invoice',
        "    return template.render(total=order.total.quantize(CENTS))",
        "AttributeError: 'NoneType' object has no attribute 'quantize'",
      );
      continue;
    }
    if (i % 45 === 44) {
      out.push(`${stamp} WARNING [worker.queue] queue depth 1${i} above soft limit 1000`);
      continue;
    }
    if (i % 3 === 0) out.push(`${stamp} DEBUG [worker.poll] polling queue=invoices batch=10`);
    else
      out.push(
        `${stamp} INFO [worker.jobs] job ${((i * 2654435761) >>> 0).toString(16).slice(0, 8)} done in ${20 + (i % 50)}ms`,
      );
  }
  return out.join("\n");
}

function vitestRun(): string {
  const out: string[] = ["", " RUN  v1.3.1 /home/dev/shop", ""];
  for (let f = 0; f < 30; f++)
    out.push(` ✓ src/lib/module${f}.test.ts  (${4 + (f % 7)} tests) ${10 + f}ms`);
  out.push(
    " ❯ src/lib/price.test.ts  (5 tests | 1 failed) 14ms",
    "   ❯ src/lib/price.test.ts > price > rounds half up",
    "     → expected 1.01 to be 1.02 // Object.is equality",
    "",
    "⎯⎯⎯⎯⎯⎯⎯ Failed Tests 1 ⎯⎯⎯⎯⎯⎯⎯",
    "",
    " FAIL  src/lib/price.test.ts > price > rounds half up",
    "AssertionError: expected 1.01 to be 1.02 // Object.is equality",
    "",
    "- Expected",
    "+ Received",
    "",
    "- 1.02",
    "+ 1.01",
    "",
    " ❯ src/lib/price.test.ts:21:33",
    "     19|   it('rounds half up', () => {",
    "     20|     const total = round(1.015)",
    "     21|     expect(total).toBe(1.02)",
    "       |                   ^",
    "     22|   })",
    "",
    "⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯[1/1]⎯",
    "",
    " Test Files  1 failed | 30 passed (31)",
    "      Tests  1 failed | 164 passed (165)",
    "   Start at  10:12:01",
    "   Duration  2.31s (transform 412ms, setup 0ms, collect 1.20s, tests 380ms, environment 1ms, prepare 2.10s)",
  );
  return out.join("\n");
}

function bunTest(): string {
  const out: string[] = ["bun test v1.1.8 (89d25807)", ""];
  for (let f = 0; f < 6; f++) {
    out.push(`src/feature${f}.test.ts:`);
    for (let t = 0; t < 14; t++) {
      if (f === 3 && t === 5) {
        out.push(
          "",
          "error: expect(received).toEqual(expected)",
          "",
          "  {",
          '-   "status": "paid",',
          '+   "status": "pending",',
          '    "total": 42,',
          "  }",
          "",
          "- Expected  - 1",
          "+ Received  + 1",
          "",
          "      at <anonymous> (/home/dev/shop/src/feature3.test.ts:51:28)",
          `(fail) feature3 > marks the order paid after capture [1.42ms]`,
        );
      } else
        out.push(`(pass) feature${f} > behaves in case ${t} [${(0.1 + t * 0.03).toFixed(2)}ms]`);
    }
    out.push("");
  }
  out.push(
    "1 tests failed:",
    "(fail) feature3 > marks the order paid after capture [1.42ms]",
    "",
    " 83 pass",
    " 1 fail",
    " 212 expect() calls",
    "Ran 84 tests across 6 files. [412.00ms]",
  );
  return out.join("\n");
}

function ansiProgressBuild(): string {
  // A terminal-style build: colours, spinner redraws with carriage returns, then a verdict.
  const out: string[] = [];
  let spinner = "";
  for (let i = 0; i <= 100; i += 2)
    spinner += `\u001b[2K\r\u001b[36m⠋\u001b[0m Building modules ${i}%`;
  out.push(spinner);
  for (let i = 0; i < 60; i++)
    out.push(`\u001b[32m✔\u001b[0m Compiled module ${i} \u001b[90m(${i % 9}ms)\u001b[0m`);
  out.push(
    '\u001b[31m✘ [ERROR]\u001b[0m Could not resolve "lodash-es/debounce"',
    "",
    "    src/search/SearchBox.tsx:3:22:",
    '      3 │ import debounce from "lodash-es/debounce";',
    "        ╵                       ~~~~~~~~~~~~~~~~~~~~",
    "",
    '  You can mark the path "lodash-es/debounce" as external to exclude it from the bundle.',
    "",
    "1 error",
  );
  return out.join("\n");
}

function yarnInstall(): string {
  const out: string[] = [
    "yarn install v1.22.19",
    "[1/4] Resolving packages...",
    "[2/4] Fetching packages...",
  ];
  for (let i = 0; i < 90; i++) {
    out.push(
      `info There appears to be trouble with your network connection. Retrying... (attempt ${1 + (i % 3)})`,
    );
  }
  out.push(
    'warning Pattern ["strip-ansi@^6.0.1"] is trying to unpack in the same destination "/home/dev/.cache/yarn/v6/npm-strip-ansi-cjs-6.0.1" as pattern ["strip-ansi-cjs@npm:strip-ansi@^6.0.1"]. This could result in non-deterministic behavior, skipping.',
    "[3/4] Linking dependencies...",
    'warning " > react-select@5.8.0" has unmet peer dependency "@types/react@^18.0.0".',
    "[4/4] Building fresh packages...",
    "error /home/dev/shop/node_modules/sharp: Command failed.",
    "Exit code: 1",
    "Command: (node install/libvips && node install/dll-copy && prebuild-install) || (node install/can-compile && node-gyp rebuild && node install/dll-copy)",
    "Arguments: ",
    "Directory: /home/dev/shop/node_modules/sharp",
    "Output:",
    "sharp: Installation error: connect ETIMEDOUT 140.82.121.4:443",
    "info Visit https://yarnpkg.com/en/docs/cli/install for documentation about this command.",
  );
  return out.join("\n");
}

/** Every sample, with what must survive a lossy rewrite. */
export const LOG_SAMPLES: readonly LogSample[] = [
  {
    name: "cargo build (2 warnings, 1 error)",
    kind: "build",
    text: cargoBuild(),
    keep: [
      "error[E0308]: mismatched types",
      "--> src/handlers.rs:42:22",
      "expected `u32`, found `usize`",
      "help: you can convert a `usize` to a `u32`",
      "warning: unused variable: `config`",
      "--> src/main.rs:14:9",
      'error: could not compile `myapp` (bin "myapp") due to 1 previous error; 2 warnings emitted',
      "    Updating crates.io index",
    ],
    drop: ["Compiling tokio", "Downloaded serde"],
    minSaved: 0.75,
  },
  {
    name: "npm install with deprecations and audit",
    kind: "build",
    text: npmInstall(),
    keep: [
      "npm WARN deprecated inflight@1.0.6",
      "npm WARN deprecated glob@7.2.3",
      "npm WARN deprecated rimraf@3.0.2",
      "added 1287 packages, and audited 1288 packages in 38s",
      "8 vulnerabilities (2 moderate, 6 high)",
    ],
    drop: ["npm http fetch GET 200 https://registry.npmjs.org/terser"],
    minSaved: 0.85,
  },
  {
    name: "npm ERESOLVE",
    kind: "build",
    text: npmEresolve(),
    keep: [
      "npm ERR! code ERESOLVE",
      "npm ERR! Found: react@18.2.0",
      'npm ERR! peer react@"^16.8.0 || ^17.0.0" from react-beautiful-dnd@13.1.1',
      "npm ERR! this command with --force or --legacy-peer-deps",
    ],
    drop: ["pkg-30 "],
    minSaved: 0.5,
  },
  {
    name: "pnpm install",
    kind: "build",
    text: pnpmInstall(),
    keep: [
      "Packages: +1080",
      "WARN  deprecated @humanwhocodes/config-array@0.11.14",
      "Done in 14.2s",
    ],
    drop: ["pkg-17 postinstall"],
    minSaved: 0.6,
  },
  {
    name: "yarn install failure",
    kind: "build",
    text: yarnInstall(),
    keep: [
      "error /home/dev/shop/node_modules/sharp: Command failed.",
      "sharp: Installation error: connect ETIMEDOUT 140.82.121.4:443",
      'has unmet peer dependency "@types/react@^18.0.0"',
    ],
    drop: [],
    minSaved: 0.6,
  },
  {
    name: "make + gcc error",
    kind: "build",
    text: makeGcc(),
    keep: [
      "parser_7.c: In function 'parse_expr':",
      "parser_7.c:142:12: error: 'tok' undeclared (first use in this function); did you mean 'tk'?",
      "  142 |     return tok->value;",
      "parser_7.c:150:5: warning: implicit declaration of function 'free_node'",
      "make: *** [Makefile:12: all] Error 2",
    ],
    drop: ["-c lexer_3.c"],
    minSaved: 0.85,
  },
  {
    name: "gradle compile failure",
    kind: "build",
    text: gradleBuild(),
    keep: [
      "OrderService.java:57: error: cannot find symbol",
      "        BigDecimal total = cart.totl();",
      "  symbol:   method totl()",
      "Execution failed for task ':app:compileJava'.",
      "BUILD FAILED in 8s",
    ],
    drop: ["> Task :storage:generateProto"],
    minSaved: 0.6,
  },
  {
    name: "docker build (buildkit) failure",
    kind: "build",
    text: dockerBuild(),
    keep: [
      "#8 [5/6] RUN npm ci",
      "gyp ERR! stack Error: Could not find any Python installation to use",
      'ERROR: failed to solve: process "/bin/sh -c npm ci" did not complete successfully: exit code: 1',
    ],
    drop: ["Unpacking make-5", "Setting up gcc-12-3"],
    minSaved: 0.75,
  },
  {
    name: "webpack module not found",
    kind: "build",
    text: webpackBuild(),
    keep: [
      "ERROR in ./src/pages/Checkout.tsx 7:0-49",
      "Module not found: Error: Can't resolve '../hooks/useBasket' in '/app/src/pages'",
      "webpack 5.90.3 compiled with 1 error in 8421 ms",
    ],
    drop: ["Widget42.tsx"],
    minSaved: 0.75,
  },
  {
    name: "esbuild with colours and spinner redraws",
    kind: "build",
    text: ansiProgressBuild(),
    keep: ['Could not resolve "lodash-es/debounce"', "src/search/SearchBox.tsx:3:22:", "1 error"],
    drop: ["\u001b[", "Compiled module 30"],
    minSaved: 0.6,
  },
  {
    name: "pytest -v with 2 failures and warnings",
    kind: "test",
    text: pytestRun(),
    keep: [
      "collected 186 items",
      "tests/test_orders.py::test_orders_case_19 FAILED",
      "E       AssertionError: assert Decimal('19.97') == Decimal('19.98')",
      "tests/test_orders.py:214: AssertionError",
      "E           shop.errors.GatewayTimeout: upstream timed out after 30s",
      "DeprecationWarning: 'werkzeug.urls.url_parse' is deprecated",
      "FAILED tests/test_payments.py::test_payments_case_7 - shop.errors.GatewayTimeout",
      "2 failed, 184 passed, 30 warnings in 12.47s",
    ],
    drop: ["test_cart_case_12 PASSED"],
    minSaved: 0.75,
  },
  {
    name: "jest with one failing test",
    kind: "test",
    text: jestRun(),
    keep: [
      "FAIL src/price/price.test.ts",
      "● price › applies the discount before tax",
      "Expected: 90",
      "Received: 99",
      "> 14 |     expect(total).toBe(90);",
      "at Object.<anonymous> (src/price/price.test.ts:14:19)",
      "Tests:       1 failed, 94 passed, 95 total",
    ],
    drop: ["✓ auth handles case 7"],
    minSaved: 0.6,
  },
  {
    name: "vitest with one failing test",
    kind: "test",
    text: vitestRun(),
    keep: [
      "FAIL  src/lib/price.test.ts > price > rounds half up",
      "AssertionError: expected 1.01 to be 1.02",
      "- 1.02",
      "+ 1.01",
      "src/lib/price.test.ts:21:33",
      "Tests  1 failed | 164 passed (165)",
    ],
    drop: ["module17.test.ts"],
    minSaved: 0.45,
  },
  {
    name: "bun test with one failing test",
    kind: "test",
    text: bunTest(),
    keep: [
      "error: expect(received).toEqual(expected)",
      '-   "status": "paid",',
      '+   "status": "pending",',
      "(fail) feature3 > marks the order paid after capture",
      "at <anonymous> (/home/dev/shop/src/feature3.test.ts:51:28)",
      " 1 fail",
    ],
    drop: ["(pass) feature4 > behaves in case 9"],
    minSaved: 0.55,
  },
  {
    name: "go test -v with one failure",
    kind: "test",
    text: goTest(),
    keep: [
      "=== RUN   TestApiCase13",
      "handler_test.go:88: GET /v1/orders/42: status = 500, want 200",
      'handler_test.go:91: body = {"error":"order not found"}',
      "--- FAIL: TestApiCase13 (0.01s)",
      "FAIL\tgithub.com/acme/shop/api\t0.412s",
    ],
    drop: ["--- PASS: TestAuthCase7", "ok  \tgithub.com/acme/shop/store"],
    minSaved: 0.75,
  },
  {
    name: "cargo test with one failure",
    kind: "test",
    text: cargoTest(),
    keep: [
      "test cart::tests::case_41 ... FAILED",
      "thread 'cart::tests::case_41' panicked at src/cart.rs:212:9:",
      "assertion `left == right` failed: total after coupon",
      "  left: 1890",
      " right: 1899",
      "test result: FAILED. 63 passed; 1 failed",
    ],
    drop: ["case_17 ... ok"],
    minSaved: 0.5,
  },
  {
    name: "maven surefire failure",
    kind: "test",
    text: mavenTest(),
    keep: [
      "org.opentest4j.AssertionFailedError: expected: <90.00> but was: <99.00>",
      "at com.acme.shop.PriceTest.appliesDiscountBeforeTax(PriceTest.java:31)",
      "[ERROR]   PriceTest.appliesDiscountBeforeTax:31 expected: <90.00> but was: <99.00>",
      "[ERROR] Tests run: 54, Failures: 1, Errors: 0, Skipped: 0",
      "[INFO] BUILD FAILURE",
    ],
    drop: ["Downloading from central"],
    minSaved: 0.75,
  },
  {
    name: "kubectl logs of a Spring Boot service",
    kind: "app",
    text: springBootLogs(),
    keep: [
      'java.lang.NullPointerException: Cannot invoke "com.acme.shop.Customer.getTier()" because "customer" is null',
      "at com.acme.shop.pricing.DiscountPolicy.apply(DiscountPolicy.java:48)",
      "Thread starvation or clock leap detected",
      "Started ShopApplication in 5.2 seconds",
    ],
    drop: [],
    minSaved: 0.75,
  },
  {
    name: "python worker log with a traceback",
    kind: "app",
    text: pythonServiceLogs(),
    keep: [
      "ERROR [worker.jobs] job 7f3c2a91 failed",
      "Traceback (most recent call last):",
      '  File "/srv/app/worker/render.py", line 17, in render_invoice',
      "AttributeError: 'NoneType' object has no attribute 'quantize'",
      "above soft limit 1000",
    ],
    drop: ["job 3c6ef362 done"],
    minSaved: 0.75,
  },
];
