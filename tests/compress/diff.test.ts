import { describe, expect, test } from "bun:test";
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { compressDiff } from "../../src/compress/diff.ts";
import { originalHash } from "../../src/compress/marker.ts";
import { contextFor } from "../helpers/compress-context.ts";
import { parityCases } from "../helpers/parity.ts";
import { mulberry32 } from "../helpers/random.ts";

// ---------------------------------------------------------------------------------------------
// Deterministic, realistic diff inputs: source files with edits, rendered as `git diff` would
// (three lines of context, merged hunks, index lines), and a tiny patch applier to prove that
// trimmed output is still a correct patch.
// ---------------------------------------------------------------------------------------------

/** One edit of a file: at old line `at` (0-based), remove `remove` lines and insert `add`. */
interface Edit {
  at: number;
  remove: number;
  add: string[];
}

/** A file of a generated diff. */
interface FileChange {
  path: string;
  old: string[];
  edits: Edit[];
}

/** Applies edits to the old lines. */
function applyEdits(old: readonly string[], edits: readonly Edit[]): string[] {
  const out: string[] = [];
  let pos = 0;
  for (const edit of edits) {
    while (pos < edit.at) out.push(old[pos++]!);
    out.push(...edit.add);
    pos += edit.remove;
  }
  while (pos < old.length) out.push(old[pos++]!);
  return out;
}

function range(start: number, len: number): string {
  if (len === 1) return `${start}`;
  return `${len === 0 ? start - 1 : start},${len}`;
}

/** Renders one file's unified diff body (hunks with `context` lines) as git would. */
function unifiedHunks(old: readonly string[], edits: readonly Edit[], context = 3): string[] {
  const groups: Edit[][] = [];
  for (const edit of edits) {
    const last = groups[groups.length - 1];
    const prev = last?.[last.length - 1];
    if (last && prev && edit.at - (prev.at + prev.remove) <= 2 * context) last.push(edit);
    else groups.push([edit]);
  }
  const out: string[] = [];
  let delta = 0;
  for (const group of groups) {
    const first = group[0]!;
    const lastEdit = group[group.length - 1]!;
    const start = Math.max(0, first.at - context);
    const end = Math.min(old.length, lastEdit.at + lastEdit.remove + context);
    const body: string[] = [];
    let pos = start;
    let added = 0;
    let removed = 0;
    for (const edit of group) {
      while (pos < edit.at) body.push(` ${old[pos++]}`);
      for (let k = 0; k < edit.remove; k++) body.push(`-${old[pos++]}`);
      for (const line of edit.add) body.push(`+${line}`);
      added += edit.add.length;
      removed += edit.remove;
    }
    while (pos < end) body.push(` ${old[pos++]}`);
    const oldLen = end - start;
    const newLen = oldLen - removed + added;
    out.push(`@@ -${range(start + 1, oldLen)} +${range(start + 1 + delta, newLen)} @@`);
    out.push(...body);
    delta += added - removed;
  }
  return out;
}

/** Renders a whole `git diff` for the given changes. */
function gitDiff(files: readonly FileChange[]): string {
  const out: string[] = [];
  let n = 0;
  for (const file of files) {
    n++;
    out.push(`diff --git a/${file.path} b/${file.path}`);
    out.push(
      `index ${(0x1a2b3c4 + n * 7919).toString(16)}..${(0x5d6e7f8 + n * 104729).toString(16)} 100644`,
    );
    out.push(`--- a/${file.path}`, `+++ b/${file.path}`);
    out.push(...unifiedHunks(file.old, file.edits));
  }
  return `${out.join("\n")}\n`;
}

/** A plausible TypeScript module of `n` lines. */
function tsModule(name: string, n: number): string[] {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    switch (i % 8) {
      case 0:
        lines.push(`/** Handles step ${i} of the ${name} pipeline. */`);
        break;
      case 1:
        lines.push(`export function ${name}Step${i}(input: Request, options: Options): Result {`);
        break;
      case 2:
        lines.push(`  const value = options.values[${i}] ?? defaultValue(${i});`);
        break;
      case 3:
        lines.push(`  if (!input.headers.has("x-${name}-${i}")) return { ok: false, step: ${i} };`);
        break;
      case 4:
        lines.push(`  logger.debug("${name} step ${i}", { value });`);
        break;
      case 5:
        lines.push(`  return { ok: true, step: ${i}, value };`);
        break;
      case 6:
        lines.push("}");
        break;
      default:
        lines.push("");
    }
  }
  return lines;
}

/** A minimal patch applier for one file's hunks: returns the new lines, or throws. */
function applyPatch(old: readonly string[], patchLines: readonly string[]): string[] {
  const out: string[] = [];
  let pos = 0;
  let i = 0;
  while (i < patchLines.length) {
    const header = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(patchLines[i]!);
    if (!header) {
      i++;
      continue;
    }
    const oldLen = header[2] === undefined ? 1 : Number(header[2]);
    const newLen = header[4] === undefined ? 1 : Number(header[4]);
    const oldStart = oldLen === 0 ? Number(header[1]) : Number(header[1]) - 1;
    while (pos < oldStart) out.push(old[pos++]!);
    i++;
    let seenOld = 0;
    let seenNew = 0;
    while (i < patchLines.length && (seenOld < oldLen || seenNew < newLen)) {
      const line = patchLines[i]!;
      const tag = line[0];
      const text = line.slice(1);
      if (tag === " " || tag === "-") {
        if (old[pos] !== text) throw new Error(`context mismatch at old line ${pos + 1}: ${line}`);
        pos++;
        seenOld++;
        if (tag === " ") {
          out.push(text);
          seenNew++;
        }
      } else if (tag === "+") {
        out.push(text);
        seenNew++;
      } else {
        throw new Error(`unexpected hunk line: ${line}`);
      }
      i++;
    }
    if (seenOld !== oldLen || seenNew !== newLen)
      throw new Error(`hunk counts do not match: ${header[0]}`);
  }
  while (pos < old.length) out.push(old[pos++]!);
  return out;
}

const RELAY_OLD = tsModule("relay", 240);
const RELAY_EDITS: Edit[] = [
  { at: 18, remove: 1, add: ['  const value = options.values[18] ?? fallbackValue(18, "relay");'] },
  {
    at: 90,
    remove: 2,
    add: ["  // Retry once on a reset connection.", "  return retryOnce(input, options);"],
  },
  { at: 96, remove: 0, add: ['  logger.warn("relay fallback used", { step: 96 });'] },
  { at: 200, remove: 3, add: [] },
];
const CONFIG_OLD = tsModule("config", 60);
const CONFIG_EDITS: Edit[] = [
  { at: 30, remove: 1, add: ["  const token = options.secret ?? readTokenFile();"] },
];
const LOCK_OLD = Array.from({ length: 120 }, (_, i) =>
  i % 4 === 0
    ? `    "node_modules/pkg-${i}": {`
    : i % 4 === 1
      ? `      "version": "1.${i}.0",`
      : i % 4 === 2
        ? `      "integrity": "sha512-${"Ab3x".repeat(8)}${i}"`
        : "    },",
);
const LOCK_EDITS: Edit[] = [
  {
    at: 9,
    remove: 2,
    add: [
      '      "version": "2.0.1",',
      '      "integrity": "sha512-lodashNEW0000000000000000000000000000"',
    ],
  },
  {
    at: 61,
    remove: 2,
    add: [
      '      "version": "1.61.5",',
      '      "integrity": "sha512-zzzzNEW0000000000000000000000000000"',
    ],
  },
];

/** A realistic `git show`-like diff: commit header, three edited files, a lock file, a binary. */
function realisticDiff(): string {
  const header = [
    "commit 4c1f0e7a9b2d3c4e5f60718293a4b5c6d7e8f901",
    "Author: Dana Developer <dana@example.com>",
    "Date:   Tue Mar 3 14:22:10 2026 +0100",
    "",
    "    relay: retry once on connection reset",
    "",
    "    The upstream sometimes resets idle keep-alive connections.",
    "",
  ].join("\n");
  const body = gitDiff([
    { path: "src/proxy/relay.ts", old: RELAY_OLD, edits: RELAY_EDITS },
    { path: "src/config.ts", old: CONFIG_OLD, edits: CONFIG_EDITS },
    { path: "package-lock.json", old: LOCK_OLD, edits: LOCK_EDITS },
  ]);
  const binary = [
    "diff --git a/assets/logo.png b/assets/logo.png",
    "index 3f4e5d6..7a8b9c0 100644",
    "GIT binary patch",
    "literal 1024",
    "zcmV-q1DLT<-(e)9wU%5E%3!Yj3bvRzT4Hl#(uT7`MyIb3Mdn-vy!uHp|ZXRBt",
    "zcmV-q1DLT<-(e)9wU%5E%3!Yj3bvRzT4Hl#(uT7`MyIb3Mdn-vy!uHp|ZXRBt",
    "",
    "literal 980",
    "zcmV-q1DLT<-(e)9wU%5E%3!Yj3bvRzT4Hl#(uT7`MyIb3Mdn-vy!uHp|ZXRBu",
    "",
    "diff --git a/scripts/deploy.sh b/scripts/deploy.sh",
    "old mode 100644",
    "new mode 100755",
    "",
  ].join("\n");
  return `${header}\n${body}${binary}`;
}

/** The lines between the `diff --git` line of `path` and the next file header. */
function fileSection(text: string, path: string): string[] {
  const lines = text.split("\n");
  const start = lines.indexOf(`diff --git a/${path} b/${path}`);
  if (start < 0) throw new Error(`no section for ${path}`);
  const out: string[] = [];
  for (
    let i = start + 1;
    i < lines.length && !lines[i]!.startsWith("diff ") && !lines[i]!.startsWith("[headroom");
    i++
  ) {
    out.push(lines[i]!);
  }
  return out;
}

/** Lines of a diff that change something (so must survive), as an independent reading. */
function changedLines(input: string): string[] {
  const combined = input.includes("\n@@@ ");
  return input.split("\n").filter((line) => {
    if (line.startsWith("+++ ") || line.startsWith("--- ")) return false;
    if (/^[+-]/.test(line)) return true;
    return combined && /^ [+-]/.test(line);
  });
}

function savedTokens(input: string, output: string | undefined): number {
  return output === undefined ? 0 : countTokens(input) - countTokens(output);
}

describe("compressDiff on the original's parity cases", () => {
  const cases = parityCases("diff_compressor");

  test("there are 27 recorded cases", () => {
    expect(cases.length).toBe(27);
  });

  for (const c of cases) {
    test(`${c.file}: saves at least as much as the original and keeps every changed line`, () => {
      const input = c.input as string;
      const original = (c.output as { compressed: string }).compressed;
      const theirs = savedTokens(input, original);
      const lossy = compressDiff(input, contextFor(input, { lossy: true }));
      const lossless = compressDiff(input, contextFor(input, { lossy: false }));
      expect(savedTokens(input, lossy?.text)).toBeGreaterThanOrEqual(theirs);
      // Where the original saved something, so do we; elsewhere declining (saving 0) ties it.
      expect(lossy !== undefined || theirs <= 0).toBe(true);
      for (const out of [lossy, lossless]) {
        if (!out) continue;
        const kept = new Set(out.text.split("\n"));
        for (const line of changedLines(input)) expect(kept.has(line)).toBe(true);
        expect(out.text.length).toBeLessThan(input.length);
      }
      if (lossless) expect(lossless.lossy).toBe(false);
      if (lossy?.lossy) expect(lossy.text).toContain(`hash=${originalHash(input)}`);
    });
  }

  test("the multi-file case saves clearly more than the original did", () => {
    const c = cases.find((x) => x.file.startsWith("0cf5e189"))!;
    const input = c.input as string;
    const out = compressDiff(input, contextFor(input, { lossy: true }))!;
    const theirs = savedTokens(input, (c.output as { compressed: string }).compressed);
    expect(savedTokens(input, out.text)).toBeGreaterThan(theirs * 1.2);
    expect(out.strategy).toBe("diff:trim-context");
    expect(out.text).toContain("64 unchanged context lines omitted");
    expect(out.text).toContain("8 files, +40 -24");
    // Recomputed headers describe the trimmed hunk exactly.
    expect(out.text).toContain("@@ -5,5 +5,7 @@\n context_4_0\n-removed_0_0");
    expect(out.text).not.toContain("context_0_0");
    expect(out.text).not.toContain("tail_2_0");
  });
});

describe("compressDiff lossless", () => {
  const input = realisticDiff();
  const out = compressDiff(input, contextFor(input, { lossy: false }))!;

  test("drops only the ---/+++ lines the diff --git header already states", () => {
    expect(out.lossy).toBe(false);
    expect(out.strategy).toBe("diff:headers");
    const expected = input
      .split("\n")
      .filter((line) => !/^(---|\+\+\+) [ab]\/(src|package-lock)/.test(line))
      .join("\n");
    expect(out.text).toBe(expected);
    expect(out.text).not.toContain("[headroom");
  });

  test("keeps index lines, binary payloads and every hunk line", () => {
    expect(out.text.match(/^index /gm)?.length).toBe(input.match(/^index /gm)?.length);
    expect(out.text).toContain("literal 1024");
    expect(out.text).toContain("    relay: retry once on connection reset");
  });

  test("a diff whose headers are not redundant is declined", () => {
    const plain = [
      "--- old/notes.txt\t2026-03-01 10:00:00.000000000 +0100",
      "+++ new/notes.txt\t2026-03-02 11:00:00.000000000 +0100",
      "@@ -1,3 +1,3 @@",
      " first",
      "-second",
      "+SECOND",
      " third",
      "",
    ].join("\n");
    expect(compressDiff(plain, contextFor(plain, { lossy: false }))).toBeUndefined();
  });

  test("without an index line the ---/+++ lines stay, since git apply needs a header", () => {
    const text = [
      "diff --git a/a.py b/a.py",
      "--- a/a.py",
      "+++ b/a.py",
      "@@ -1,3 +1,3 @@",
      "-x = 1",
      "+x = 2",
      " y = 3",
      " z = 4",
      "",
    ].join("\n");
    expect(compressDiff(text, contextFor(text, { lossy: false }))).toBeUndefined();
  });

  test("new and deleted files lose their /dev/null side lines too", () => {
    const text = [
      "diff --git a/docs/new.md b/docs/new.md",
      "new file mode 100644",
      "index 0000000..e69de29",
      "--- /dev/null",
      "+++ b/docs/new.md",
      "@@ -0,0 +1,2 @@",
      "+# New",
      "+text",
      "diff --git a/old.txt b/old.txt",
      "deleted file mode 100644",
      "index e69de29..0000000",
      "--- a/old.txt",
      "+++ /dev/null",
      "@@ -1 +0,0 @@",
      "-gone",
    ].join("\n");
    const result = compressDiff(text, contextFor(text, { lossy: false }))!;
    expect(result.text).not.toContain("/dev/null");
    expect(result.text).toContain("new file mode 100644");
    expect(result.text).toContain("deleted file mode 100644");
    expect(result.text).toContain("+# New");
    expect(result.text).toContain("-gone");
  });
});

describe("compressDiff lossy", () => {
  const input = realisticDiff();
  const out = compressDiff(input, contextFor(input, { lossy: true }))!;

  test("keeps every changed line of source files and the commit message", () => {
    expect(out.lossy).toBe(true);
    expect(out.strategy).toBe("diff:trim-context");
    for (const edit of [...RELAY_EDITS, ...CONFIG_EDITS]) {
      for (const line of edit.add) expect(out.text).toContain(`+${line}`);
    }
    expect(out.text).toContain(`-${RELAY_OLD[18]}`);
    expect(out.text).toContain(`-${RELAY_OLD[200]}`);
    expect(out.text).toContain("    relay: retry once on connection reset");
    expect(out.text).toContain("old mode 100644\nnew mode 100755");
  });

  test("trimmed hunks still apply and produce the new file", () => {
    for (const [path, old, edits] of [
      ["src/proxy/relay.ts", RELAY_OLD, RELAY_EDITS],
      ["src/config.ts", CONFIG_OLD, CONFIG_EDITS],
    ] as const) {
      const section = fileSection(out.text, path);
      expect(applyPatch(old, section)).toEqual(applyEdits(old, edits));
      // Context is trimmed to at most two lines on each side of a change.
      expect(section.filter((l) => l.startsWith(" ")).length).toBeLessThan(
        fileSection(input, path).filter((l) => l.startsWith(" ")).length,
      );
    }
  });

  test("drops lock-file hunks, binary payloads and index lines, and says so", () => {
    expect(out.text).toContain("diff --git a/package-lock.json b/package-lock.json");
    expect(out.text).not.toContain("lodashNEW");
    expect(out.text).toContain("GIT binary patch");
    expect(out.text).not.toContain("zcmV-q1DLT");
    // The two source files keep their index line: it is all git apply needs before the hunks.
    expect(out.text.match(/^index /gm)?.length).toBe(2);
    expect(out.text).toContain("diff --git a/src/config.ts b/src/config.ts\nindex ");
    const marker = out.text.split("\n").find((l) => l.startsWith("[headroom:"))!;
    expect(marker).toContain("package-lock.json +4 -4");
    expect(marker).toContain("binary patch data of 1 file omitted");
    expect(marker).toContain("2 index lines omitted");
    expect(marker).toContain("all other changed lines kept");
    expect(marker).toContain(`hash=${originalHash(input)}`);
  });

  test("a question about the lock file keeps its hunks", () => {
    const result = compressDiff(
      input,
      contextFor(input, { lossy: true, query: "why did lodashNEW change?" }),
    )!;
    expect(result.text).toContain("lodashNEW");
    expect(result.text).not.toContain("lock/generated");
  });

  test("unchanged lines that match the question are kept", () => {
    const old = tsModule("queue", 60);
    old[24] = "  const retryBudget = computeBudget(options);";
    const edits: Edit[] = [
      { at: 30, remove: 1, add: ["  const value = options.values[30] ?? 0;"] },
    ];
    const text = [
      "diff --git a/q.ts b/q.ts",
      "--- a/q.ts",
      "+++ b/q.ts",
      ...unifiedHunks(old, edits, 8),
      "",
    ].join("\n");
    const plain = compressDiff(text, contextFor(text, { lossy: true }))!;
    expect(plain.text).not.toContain("retryBudget");
    const asked = compressDiff(
      text,
      contextFor(text, { lossy: true, query: "where is retryBudget computed?" }),
    )!;
    expect(asked.text.split("\n")).toContain(` ${old[24]}`);
    for (const result of [plain, asked]) {
      expect(applyPatch(old, result.text.split("\n"))).toEqual(applyEdits(old, edits));
    }
  });

  test("saves most of the tokens", () => {
    const ratio = countTokens(out.text) / countTokens(input);
    expect(ratio).toBeLessThan(0.6);
  });

  test("small diffs stay lossless: a marker would cost more than the context saves", () => {
    const small = gitDiff([
      { path: "a.ts", old: tsModule("a", 20), edits: [{ at: 10, remove: 1, add: ["x"] }] },
    ]);
    const result = compressDiff(small, contextFor(small, { lossy: true }))!;
    expect(result.lossy).toBe(false);
    expect(result.text).not.toContain("[headroom");
  });

  test("combined diffs get consistent per-parent headers", () => {
    const ctx = Array.from(
      { length: 12 },
      (_, i) => `  shared_${i} = resolveConflict(ours.section${i}, theirs.section${i});`,
    );
    const text = [
      "diff --cc src/merge.ts",
      "index 1111111,2222222..3333333",
      "--- a/src/merge.ts",
      "+++ b/src/merge.ts",
      "@@@ -1,25 -1,25 +1,26 @@@",
      ...ctx,
      "- from_ours",
      " -from_theirs",
      "++resolved",
      " +also_added",
      ...ctx.map((l) => l.replace("shared", "after")),
      "",
    ].join("\n");
    const result = compressDiff(text, contextFor(text, { lossy: true }))!;
    expect(result.lossy).toBe(true);
    const kept = result.text.split("\n").map((line) => line.replace(/ = .*/, ""));
    expect(kept.join("\n")).toContain(
      "@@@ -12,4 -12,3 +12,4 @@@\n  shared_11\n- from_ours\n -from_theirs\n++resolved\n +also_added\n  after_0\n[headroom",
    );
  });

  test("a missing newline note stays with its line", () => {
    const old = tsModule("tail", 30);
    const lines = unifiedHunks(old, [{ at: 29, remove: 1, add: ["// end"] }]);
    const text = [
      "diff --git a/t.ts b/t.ts",
      "index 83db48f..bf269f4 100644",
      "--- a/t.ts",
      "+++ b/t.ts",
      ...lines,
      "\\ No newline at end of file",
      "",
    ].join("\n");
    const result = compressDiff(text, contextFor(text, { lossy: false }))!;
    expect(result.text).toContain("+// end\n\\ No newline at end of file");
  });

  test("CRLF diffs keep their line endings", () => {
    const lf = gitDiff([
      {
        path: "w.ts",
        old: tsModule("w", 80),
        edits: [
          { at: 40, remove: 1, add: ["changed();"] },
          { at: 70, remove: 0, add: ["more();"] },
        ],
      },
    ]);
    const crlf = lf.replaceAll("\n", "\r\n");
    const result = compressDiff(crlf, contextFor(crlf, { lossy: true }))!;
    expect(result).toBeDefined();
    expect(result.text).toContain("+changed();\r\n");
    expect(result.text).not.toContain("--- a/w.ts");
  });
});

describe("compressDiff robustness", () => {
  test("declines what is not a diff", () => {
    for (const text of ["", "hello\nworld\n", "@@ not a hunk @@", "--- only\n", "diff"]) {
      expect(compressDiff(text, contextFor(text))).toBeUndefined();
    }
  });

  test("is deterministic", () => {
    const input = realisticDiff();
    const a = compressDiff(input, contextFor(input, { lossy: true, query: "relay retry" }));
    const b = compressDiff(input, contextFor(input, { lossy: true, query: "relay retry" }));
    expect(a).toEqual(b);
  });

  test("random mutations never throw, never grow, stay deterministic", () => {
    const rand = mulberry32(20260303);
    const base = realisticDiff().split("\n");
    const pieces = [
      "@@ -1,3 +1,4 @@",
      "@@@ -1 -1 +1 @@@",
      "+",
      "-",
      " ",
      "\\ No newline",
      "diff --git a/x b/x",
      "--- a/x",
      "+++ b/x",
      "GIT binary patch",
      "index 0..1",
      "",
      "\r",
    ];
    for (let round = 0; round < 300; round++) {
      const lines = [...base];
      const edits = 1 + Math.floor(rand() * 8);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rand() * lines.length);
        const kind = rand();
        if (kind < 0.3) lines.splice(at, 1 + Math.floor(rand() * 5));
        else if (kind < 0.6) lines.splice(at, 0, pieces[Math.floor(rand() * pieces.length)]!);
        else if (kind < 0.8) lines[at] = (lines[at] ?? "").slice(0, Math.floor(rand() * 10));
        else lines.splice(at, 0, ...lines.slice(at, at + 7));
      }
      const text =
        rand() < 0.2
          ? lines.slice(0, Math.floor(rand() * lines.length)).join("\n")
          : lines.join("\n");
      for (const lossy of [false, true]) {
        const ctx = contextFor(text, { lossy, query: rand() < 0.3 ? "relay lodash" : "" });
        const first = compressDiff(text, ctx);
        const second = compressDiff(text, ctx);
        expect(first).toEqual(second);
        if (first) {
          expect(first.text.length).toBeLessThanOrEqual(text.length);
          if (!lossy) expect(first.lossy).toBe(false);
          if (first.lossy) expect(first.text).toContain(`hash=${originalHash(text)}`);
        }
      }
    }
  });
});
