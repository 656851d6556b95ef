// Compiler and linter output captured from the real tools on this machine
// (tests/fixtures/outputs/diagnostics): tsc on a copy of this repository with stricter options
// or a broken signature, plain and --pretty; eslint 9 (stylish and eslint-formatter-unix) and
// biome 2 (lint, check, coloured) on copies of old-style JavaScript files; gcc 12 through make,
// cargo 1.95 build (warnings, errors, coloured), mypy 1.0 and flake8 5 on scratch projects. The
// rewrite must keep every diagnostic's code or rule with its file, line and column.
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { compressText } from "../../src/compress/compress-text.ts";
import { detectContent } from "../../src/compress/detect.ts";
import { compressDiagnostics } from "../../src/compress/diagnostics.ts";
import { terminalLines } from "../../src/compress/log-clean.ts";
import { originalHash } from "../../src/compress/marker.ts";
import { contextFor } from "../helpers/compress-context.ts";

const dir = join(import.meta.dir, "..", "fixtures", "outputs", "diagnostics");
const FIXTURES = readdirSync(dir)
  .filter((name) => name.endsWith(".txt"))
  .sort()
  .map((name) => ({ name, text: readFileSync(join(dir, name), "utf8") }));

function fixture(name: string): string {
  return FIXTURES.find((f) => f.name === name)!.text;
}

function lossy(text: string) {
  return compressText(text, { query: "", lossy: true, hash: () => originalHash(text) });
}

interface Fact {
  readonly file: string;
  readonly place: string;
  readonly code: string;
  error: boolean;
}

/** Every diagnostic of the original, read with each tool's own layout. */
function facts(text: string): Fact[] {
  const out: Fact[] = [];
  let file = "";
  let rustHeader: RegExpExecArray | null = null;
  let biome: Fact | undefined;
  const add = (file: string, place: string, code: string, error: boolean) => {
    const fact = { file, place, code, error };
    out.push(fact);
    return fact;
  };
  for (const line of terminalLines(text)) {
    const rust = rustHeader && /^ *--> (\S+):(\d+):(\d+)$/.exec(line);
    if (rust) {
      add(rust[1]!, `${rust[2]}:${rust[3]}`, rustHeader![2] ?? "", rustHeader![1] === "error");
    }
    rustHeader = /^(warning|error)(?:\[(E\d+)\])?: /.exec(line);
    // biome says how severe a diagnostic is on the first line of its body.
    if (biome && /^ {2}× /.test(line)) biome.error = true;
    if (biome && /^ {2}[×!i] /.test(line)) biome = undefined;
    const gcc = /^(\S+):(\d+):(\d+): (warning|error): .*?(?:\[(-W\S+)\])?$/.exec(line);
    if (gcc) {
      add(gcc[1]!, `${gcc[2]}:${gcc[3]}`, gcc[5] ?? "", gcc[4] === "error");
      continue;
    }
    const mypy = /^(\S+):(\d+(?::\d+)?): error: .* {2}\[([\w-]+)\]$/.exec(line);
    if (mypy) {
      add(mypy[1]!, mypy[2]!, mypy[3]!, true);
      continue;
    }
    const flake8 = /^(\S+):(\d+:\d+): ([A-Z]+\d+) /.exec(line);
    if (flake8) {
      add(flake8[1]!, flake8[2]!, flake8[3]!, /^[EF]/.test(flake8[3]!));
      continue;
    }
    const tsc =
      /^(\S+)\((\d+),(\d+)\): error (TS\d+):/.exec(line) ??
      /^(\S+):(\d+):(\d+) - error (TS\d+):/.exec(line);
    if (tsc) {
      add(tsc[1]!, `${tsc[2]}:${tsc[3]}`, tsc[4]!, true);
      continue;
    }
    const unix = /^(\S+):(\d+):(\d+): .* \[(Error|Warning)\/(\S+)\]$/.exec(line);
    if (unix) {
      add(unix[1]!, `${unix[2]}:${unix[3]}`, unix[5]!, unix[4] === "Error");
      continue;
    }
    const biomeHeader = /^(\S+):(\d+):(\d+) (lint\/\S+)/.exec(line);
    if (biomeHeader) {
      biome = add(biomeHeader[1]!, `${biomeHeader[2]}:${biomeHeader[3]}`, biomeHeader[4]!, false);
      continue;
    }
    const stylish = /^ +(\d+):(\d+) +(error|warning) +.*? {2}(\S+)$/.exec(line);
    if (stylish) add(file, `${stylish[1]}:${stylish[2]}`, stylish[4]!, stylish[3] === "error");
    else if (line.startsWith("/")) file = line;
  }
  return out;
}

/**
 * Whether the rewrite lists `fact`'s place on a line of its file, under a header with its code;
 * a warning may instead be among the "(+N more)" of its file's line.
 */
function keeps(output: string, fact: Fact): boolean {
  const lines = output.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.startsWith(`  ${fact.file}:`)) continue;
    const places = ` ${line.slice(fact.file.length + 3)};`;
    const listed =
      places.includes(` ${fact.place} `) ||
      places.includes(` ${fact.place};`) ||
      line.startsWith(`  ${fact.file}:${fact.place}`);
    const counted = !fact.error && / \(\+\d+ more\)$/.test(line);
    if (!listed && !counted) continue;
    let h = i;
    while (h > 0 && lines[h]!.startsWith(" ")) h--;
    if (lines[h]!.includes(` ${fact.code}`)) return true;
  }
  return false;
}

describe("compiler and linter diagnostics, as the tools printed them", () => {
  for (const { name, text } of FIXTURES) {
    test(`${name}: every code with its file, line and column is kept`, () => {
      expect(detectContent(text)).toBe("log");
      const result = lossy(text);
      expect(result).toBeDefined();
      expect(result!.strategy).toContain("diagnostics:");
      const out = result!.text;
      // Even a regrouping that drops nothing keeps the exact lines one retrieval away.
      expect(result!.lossy).toBe(true);
      expect(out).toContain(`hash=${originalHash(text)}`);
      const all = facts(text);
      expect(all.length).toBeGreaterThanOrEqual(3);
      const lost = all.filter((fact) => !keeps(out, fact));
      expect(lost).toEqual([]);
    });
  }

  test("515 errors of one kind become one header and their places, with each quoted name", () => {
    const text = fixture("tsc-index-signature-plain.txt");
    const out = lossy(text)!.text;
    expect(out).toStartWith(
      "error TS4111 ×515: Property '…' comes from an index signature, so it must be accessed with ['…'].\n  scripts/bench-proxy.ts:183:32 direct; 184:32 bare; 185:32 headroom\n",
    );
    expect(out).toContain("  src/cli/main.ts:56:21 HEADROOM_DEBUG\n");
    expect(out.length).toBeLessThan(text.length * 0.3);
  });

  test("different messages under one code stay apart, each written out in full", () => {
    const out = lossy(fixture("tsc-pretty.txt"))!.text;
    expect(out).toContain(
      "error TS2345 ×6: Argument of type 'string' is not assignable to parameter of type 'number'.",
    );
    expect(out).toContain(
      "error TS2345 ×6: Argument of type 'string | undefined' is not assignable to parameter of type 'string'.\n  Type 'undefined' is not assignable to type 'string'.",
    );
    // One code frame per group, the first one; the per-file table is dropped, the total stays.
    expect(out).toContain("  134   marker: (summary: string) => formatMarker(summary, bigHash),");
    expect(out).not.toContain("queryTerms(ctx.query),");
    expect(out).toContain("Found 12 errors in 11 files.");
    expect(out).not.toContain("Errors  Files");
  });

  test("eslint: rules grouped across files, summary lines kept", () => {
    const out = lossy(fixture("eslint-stylish.txt"))!.text;
    expect(out).toContain("error no-var ×78: Unexpected var, use let or const instead\n");
    // Every message written out: regrouping alone already saves most.
    expect(out).toContain("error no-redeclare ×7: 'i' is already defined\n");
    expect(out).toContain("error no-redeclare: 'validate' is already defined\n");
    expect(out).toContain("every message and frame kept;");
    // Two messages under one rule are too few for a template: each is written out.
    expect(out).toContain("error eqeqeq ×21: Expected '===' and instead saw '=='\n");
    expect(out).toContain("error eqeqeq ×7: Expected '!==' and instead saw '!='\n");
    expect(out).toContain("✖ 129 problems (120 errors, 9 warnings)");
    expect(out).toContain("79 errors and 8 warnings potentially fixable with the `--fix` option.");
  });

  test("biome: the first frame of a rule stays, the tool's closing counts stay", () => {
    const out = lossy(fixture("biome-lint.txt"))!.text;
    expect(out).toContain(
      "info lint/style/useTemplate ×3: Template literals are preferred over string concatenation.",
    );
    expect(out.match(/return '\(' \+ value\.join/g)?.length).toBe(1);
    expect(out).toContain("Found 79 errors.");
    expect(out).toContain("Diagnostics not shown: 119.");
  });

  test("without a way to retrieve the original, only the layout changes", () => {
    const text = fixture("tsc-pretty.txt");
    const out = compressDiagnostics(text, contextFor(text, { lossy: false }))!;
    expect(out.lossy).toBe(false);
    expect(out.text).not.toContain("[headroom:");
    // Every code frame stays, the second group's too.
    expect(out.text).toContain("  78     queryTerms(ctx.query),");
    // Every message is written out in full: no template.
    const tsc = fixture("tsc-index-signature-plain.txt");
    const whole = compressDiagnostics(tsc, contextFor(tsc, { lossy: false }))!;
    expect(whole.text).toContain(
      "error TS4111: Property 'HEADROOM_DEBUG' comes from an index signature, so it must be accessed with ['HEADROOM_DEBUG'].\n  src/cli/main.ts:56:21\n",
    );
    expect(whole.text).not.toContain("'…'");
  });

  test("a warning repeated with one message shows a few places per file and how many more", () => {
    const out = lossy(fixture("biome-lint-all.txt"))!.text;
    expect(out).toContain("  src/validate.js:56:31; 66:36; 261:23 (+4 more)\n");
    expect(out).toMatch(/\d+ places of repeated warnings left out;/);
    // Errors are never cut short: no error group's place line ends in "more)".
    const lines = out.split("\n");
    for (let i = 0; i < lines.length; i++) {
      if (!/ \(\+\d+ more\)$/.test(lines[i]!)) continue;
      let h = i;
      while (lines[h]!.startsWith(" ")) h--;
      expect(lines[h]!.startsWith("error ")).toBe(false);
    }
  });

  test("coloured output reads the same as plain", () => {
    const plain = lossy(fixture("eslint-stylish.txt"))!.text;
    const coloured = lossy(fixture("eslint-stylish-color.txt"))!.text;
    const body = (s: string) => s.slice(0, s.lastIndexOf("\n[headroom:"));
    expect(body(coloured)).toBe(body(plain));
  });
});

describe("compressDiagnostics declines", () => {
  const tsc = fixture("tsc-index-signature-plain.txt");

  test("fewer than three diagnostics", () => {
    const two = tsc.split("\n").slice(0, 2).join("\n");
    expect(compressDiagnostics(two, contextFor(two))).toBeUndefined();
  });

  test("a few diagnostics among much other output", () => {
    const bun = readFileSync(
      join(import.meta.dir, "..", "fixtures", "outputs", "testrun", "bun-pass.txt"),
      "utf8",
    );
    const mixed = `${tsc.split("\n").slice(0, 4).join("\n")}\n${bun}`;
    expect(compressDiagnostics(mixed, contextFor(mixed))).toBeUndefined();
  });

  test("is deterministic and never longer than its input, on every cut", () => {
    for (const { text } of FIXTURES) {
      for (const share of [0.1, 0.37, 0.5, 0.81]) {
        const cut = text.slice(0, Math.floor(text.length * share));
        const a = compressDiagnostics(cut, contextFor(cut));
        const b = compressDiagnostics(cut, contextFor(cut));
        expect(a).toEqual(b);
        if (a) expect(a.text.length).toBeLessThan(cut.length);
      }
    }
  });
});
