import { describe, expect, test } from "bun:test";
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { compressLog } from "../../src/compress/log.ts";
import { classifyLine, LineKind } from "../../src/compress/log-classify.ts";
import { terminalLines } from "../../src/compress/log-clean.ts";
import { collapseRepeats } from "../../src/compress/log-collapse.ts";
import { markerHashes, originalHash } from "../../src/compress/marker.ts";
import { contextFor } from "../helpers/compress-context.ts";
import { expandRepeats, LOG_SAMPLES } from "../helpers/log-samples.ts";

function lossless(input: string) {
  return compressLog(input, contextFor(input, { lossy: false }));
}

function lossy(input: string, query = "") {
  return compressLog(input, contextFor(input, { lossy: true, query }));
}

describe("terminal clean-up", () => {
  test("drops colour codes, OSC links and charset selections", () => {
    const input =
      "\u001b[1;31merror\u001b[0m: \u001b]8;;file:///a.ts\u0007a.ts\u001b]8;;\u0007 \u001b(Bfailed";
    expect(terminalLines(input)).toEqual(["error: a.ts failed"]);
  });

  test("keeps the last drawing of a carriage-return redraw and drops CRLF endings", () => {
    const input = "Downloading 10%\rDownloading 55%\rDownloading 100%\r\nnext line\r\n";
    expect(terminalLines(input)).toEqual(["Downloading 100%", "next line", ""]);
  });

  test("a redraw cleared with spaces shows the last non-blank drawing", () => {
    expect(terminalLines("Compiling...\r            \r")).toEqual(["Compiling..."]);
  });

  test("applies backspace overstrikes (man-page bold)", () => {
    expect(terminalLines("N\bNA\bAM\bME\bE")).toEqual(["NAME"]);
  });

  test("leaves plain text untouched", () => {
    const input = "line one\n\tindented  \n";
    expect(terminalLines(input)).toEqual(["line one", "\tindented  ", ""]);
  });
});

describe("collapseRepeats", () => {
  test("writes a run of identical lines once with its count", () => {
    const lines = ["start", ...Array(37).fill("Waiting for database connection..."), "ready"];
    expect(collapseRepeats(lines)).toEqual([
      "start",
      "Waiting for database connection... [×37]",
      "ready",
    ]);
  });

  test("writes a repeated block once with its count", () => {
    const block = [
      "Retrying request to https://api.example.com/v1/items",
      "  attempt failed: ECONNRESET",
    ];
    const lines = ["begin", ...block, ...block, ...block, ...block, "end"];
    expect(collapseRepeats(lines)).toEqual(["begin", ...block, "[×4: the 2 lines above]", "end"]);
  });

  test("leaves short repeats and blank runs alone when a note would not pay", () => {
    const lines = ["}", "}", "", "", "", "x"];
    expect(collapseRepeats(lines)).toEqual(lines);
  });

  test("is inverted exactly by expanding the notes", () => {
    const lines = [
      "a",
      "bbbbbbbbbbbbbbbbbbbb",
      "bbbbbbbbbbbbbbbbbbbb",
      "bbbbbbbbbbbbbbbbbbbb",
      "c",
      "d",
    ];
    expect(expandRepeats(collapseRepeats(lines).join("\n"))).toEqual(lines);
  });
});

describe("classifyLine", () => {
  test("recognises the usual verdicts", () => {
    expect(classifyLine("error[E0308]: mismatched types")).toBe(LineKind.Error);
    expect(classifyLine("npm ERR! code ERESOLVE")).toBe(LineKind.Error);
    expect(classifyLine("tests/test_a.py::test_error_path PASSED  [ 10%]")).toBe(LineKind.Pass);
    expect(classifyLine("   Compiling error-chain v0.12.4")).toBe(LineKind.Noise);
    expect(classifyLine("npm WARN deprecated glob@7.2.3: old")).toBe(LineKind.Warning);
    expect(classifyLine("Tests:       1 failed, 94 passed, 95 total")).toBe(LineKind.Summary);
    expect(classifyLine("\tat com.acme.Foo.bar(Foo.java:12)")).toBe(LineKind.Trace);
    expect(classifyLine("Compiled with 0 errors")).not.toBe(LineKind.Error);
    expect(classifyLine("Process finished with exit code 0")).not.toBe(LineKind.Error);
    expect(classifyLine('{"level":50,"msg":"db down"}')).toBe(LineKind.Error);
    expect(classifyLine("2024-05-01T10:00:00Z DEBUG cache hit key=a")).toBe(LineKind.Debug);
    expect(classifyLine("[INFO] ")).toBe(LineKind.Blank);
  });
});

describe("compressLog, lossless", () => {
  test("removes colours and progress redraws and collapses exact repeats, nothing else", () => {
    const spinner = ["⠋", "⠙", "⠹", "⠸"]
      .map((s, i) => `\r\u001b[2K${s} Installing dependencies ${i * 25}%`)
      .join("");
    const input = [
      "\u001b[1m> app@1.0.0 build\u001b[0m",
      spinner,
      ...Array(25).fill("\u001b[33mwarn\u001b[0m  peer dependency missing: react@18"),
      "\u001b[31merror\u001b[0m Build failed in 2.1s",
    ].join("\n");
    const result = lossless(input);
    expect(result).toBeDefined();
    expect(result!.lossy).toBe(false);
    expect(result!.strategy).toBe("log:collapse");
    expect(result!.text).toBe(
      [
        "> app@1.0.0 build",
        "⠸ Installing dependencies 75%",
        "warn  peer dependency missing: react@18 [×25]",
        "error Build failed in 2.1s",
      ].join("\n"),
    );
    expect(result!.text).not.toContain("hash=");
  });

  test("round-trips: expanding the notes gives back every displayed line", () => {
    for (const sample of LOG_SAMPLES) {
      const result = lossless(sample.text);
      const text = result?.text ?? sample.text;
      expect(expandRepeats(text)).toEqual(terminalLines(sample.text));
      expect(text.length).toBeLessThanOrEqual(sample.text.length);
    }
  });

  test("declines when there is nothing to gain", () => {
    expect(
      lossless("INFO starting\nERROR database connection failed\nINFO shutting down"),
    ).toBeUndefined();
    expect(lossless("")).toBeUndefined();
  });

  test("collapses a retry loop that printed the same three lines 40 times", () => {
    const block = [
      "2024-05-01 10:00:00 WARN  pool: connection refused (db:5432)",
      "  retrying in 5s",
      "  hint: is the database up?",
    ];
    const input = ["boot", ...Array.from({ length: 40 }, () => block).flat(), "giving up"].join(
      "\n",
    );
    const result = lossless(input)!;
    expect(result.text).toBe(
      ["boot", ...block, "[×40: the 3 lines above]", "giving up"].join("\n"),
    );
    expect(countTokens(result.text)).toBeLessThan(countTokens(input) * 0.05);
  });
});

describe("compressLog, lossy, on realistic outputs", () => {
  for (const sample of LOG_SAMPLES) {
    test(`${sample.name}: keeps the facts, drops the noise, saves ${Math.round(sample.minSaved * 100)}%+`, () => {
      const result = lossy(sample.text);
      expect(result).toBeDefined();
      expect(result!.lossy).toBe(true);
      expect(result!.strategy).toBe("log:select");
      const text = result!.text;
      for (const fact of sample.keep) expect(text).toContain(fact);
      for (const noise of sample.drop) expect(text).not.toContain(noise);
      expect(markerHashes(text)).toEqual([originalHash(sample.text)]);
      const saved = 1 - countTokens(text) / countTokens(sample.text);
      expect(saved).toBeGreaterThanOrEqual(sample.minSaved);
    });
  }

  test("build logs save about 94% in aggregate and test/app logs over 85%", () => {
    const totals = new Map<string, [number, number]>();
    for (const sample of LOG_SAMPLES) {
      const text = lossy(sample.text)?.text ?? sample.text;
      const kind = sample.kind === "build" ? "build" : "other";
      const t = totals.get(kind) ?? [0, 0];
      t[0] += countTokens(sample.text);
      t[1] += countTokens(text);
      totals.set(kind, t);
    }
    const [buildIn, buildOut] = totals.get("build")!;
    const [otherIn, otherOut] = totals.get("other")!;
    expect(1 - buildOut / buildIn).toBeGreaterThan(0.9);
    expect(1 - otherOut / otherIn).toBeGreaterThan(0.85);
  });

  test("the marker's counts add up: omitted + kept = all lines", () => {
    for (const sample of LOG_SAMPLES) {
      const text = lossy(sample.text)!.text;
      const match = /\[headroom: (\d+) of (\d+) lines omitted/.exec(text);
      expect(match).not.toBeNull();
      const total = terminalLines(sample.text).length;
      expect(Number(match![2])).toBe(total);
      // Every note's count is part of the total omitted.
      let noted = 0;
      for (const note of text.matchAll(/^\[… (\d+) /gm)) noted += Number(note[1]);
      expect(noted).toBeLessThanOrEqual(Number(match![1]));
    }
  });
});

describe("compressLog, lossy, behaviour", () => {
  const requests = (from: number, to: number): string[] =>
    Array.from(
      { length: to - from },
      (_, i) =>
        `2024-05-01T10:00:${String((from + i) % 60).padStart(2, "0")}Z INFO GET /api/items/${from + i} 200 ${3 + ((from + i) % 40)}ms`,
    );

  test("keeps lines about the question even when they are ordinary", () => {
    const modules = (from: number, to: number): string[] =>
      Array.from({ length: to - from }, (_, i) => `   Compiling module_${from + i} v0.1.${i}`);
    const input = [
      ...modules(0, 100),
      "checkout: bundle size 412 KiB exceeds the 300 KiB budget",
      ...modules(100, 200),
      "error: could not compile `shop` (lib) due to 1 previous error",
    ].join("\n");
    expect(lossy(input)!.text).not.toContain("bundle size 412 KiB");
    expect(lossy(input, "why is the checkout bundle so big?")!.text).toContain(
      "checkout: bundle size 412 KiB exceeds the 300 KiB budget",
    );
  });

  test("output with nothing wrong keeps a little more of its beginning and end", () => {
    const input = [
      "$ ls -la /srv/app/releases",
      "total 96",
      ...Array.from(
        { length: 120 },
        (_, i) =>
          `drwxr-xr-x  5 deploy deploy 4096 May  1 10:${String(i % 60).padStart(2, "0")} release-${i}`,
      ),
      "lrwxrwxrwx  1 deploy deploy   38 May  1 10:59 current -> /srv/app/releases/release-119",
    ].join("\n");
    const text = lossy(input)!.text;
    expect(text).toContain("$ ls -la /srv/app/releases\ntotal 96\n");
    expect(text).toContain("current -> /srv/app/releases/release-119");
    expect(text).not.toContain("release-60");
  });

  test("in application logs keeps the first line of rare messages", () => {
    const input = [
      ...requests(0, 100),
      "2024-05-01T10:01:40Z INFO config reloaded from /etc/shop/app.yaml (3 keys changed)",
      ...requests(100, 200),
    ].join("\n");
    expect(lossy(input)!.text).toContain("config reloaded from /etc/shop/app.yaml");
  });

  test("shows a repeated error once in full, its last occurrence, and counts the repeats", () => {
    const lines: string[] = [];
    for (let i = 0; i < 30; i++) {
      lines.push(...requests(i * 5, i * 5 + 4));
      lines.push(
        `2024-05-01T10:02:${String(i).padStart(2, "0")}Z ERROR upstream timeout after 30000ms (request id ${1000 + i})`,
      );
      lines.push("    at fetchInventory (src/inventory.ts:42:11)");
    }
    const text = lossy(lines.join("\n"))!.text;
    expect(text).toContain("ERROR upstream timeout after 30000ms (request id 1000)");
    expect(text).toContain("    at fetchInventory (src/inventory.ts:42:11)");
    expect(text).toContain("ERROR upstream timeout after 30000ms (request id 1029)");
    expect(text).not.toContain("request id 1015");
    expect(text).toMatch(/28 repeated errors/);
  });

  test("keeps distinct compiler diagnostics even when only the place differs", () => {
    const lines = ["> tsc -p ."];
    for (let i = 0; i < 30; i++) lines.push(`Compiling module ${i}`);
    for (let i = 0; i < 5; i++) {
      lines.push(
        `src/file${i}.ts(${10 + i},5): error TS2322: Type 'string' is not assignable to type 'number'.`,
      );
    }
    lines.push("Found 5 errors in 5 files.");
    const text = lossy(lines.join("\n"))!.text;
    for (let i = 0; i < 5; i++)
      expect(text).toContain(`src/file${i}.ts(${10 + i},5): error TS2322`);
    expect(text).toContain("Found 5 errors in 5 files.");
  });

  test("deduplicates warnings that differ only in names and places", () => {
    const lines = ["   Compiling app v0.1.0"];
    for (let i = 0; i < 20; i++) {
      lines.push(`warning: unused variable: \`v${i}\``, `  --> src/m${i}.rs:${i + 1}:9`, "");
    }
    lines.push(
      'warning: `app` (bin "app") generated 20 warnings',
      "    Finished `dev` profile [unoptimized] target(s) in 1.1s",
    );
    const text = lossy(lines.join("\n"))!.text;
    expect(text).toContain("warning: unused variable: `v0`");
    expect(text).toContain("--> src/m0.rs:1:9");
    expect(text).not.toContain("`v7`");
    expect(text).toContain("19 repeated warnings");
    expect(text).toContain("generated 20 warnings");
  });

  test("shortens a very long line and says so", () => {
    const huge = `ERROR payload rejected: ${"x".repeat(50_000)} end-of-payload`;
    const input = ["start", ...requests(0, 20), huge, "done"].join("\n");
    const text = lossy(input)!.text;
    expect(text).toContain("ERROR payload rejected: xxx");
    expect(text).toContain("end-of-payload");
    expect(text.length).toBeLessThan(3000);
    expect(text).toMatch(/1 long line shortened/);
  });

  test("prefers the lossless rewrite when dropping would gain little", () => {
    const input = [
      "PASSED test_foo",
      "PASSED test_bar",
      "FAILED test_baz",
      "assert 1 == 2",
      "PASSED test_qux",
      "PASSED test_quux",
      "PASSED test_corge",
      "PASSED test_grault",
      "1 failed, 6 passed",
    ].join("\n");
    expect(lossy(input)).toBeUndefined();
  });

  test("is deterministic", () => {
    for (const sample of LOG_SAMPLES) {
      expect(lossy(sample.text, "checkout")).toEqual(lossy(sample.text, "checkout"));
    }
  });
});
