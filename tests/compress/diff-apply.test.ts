import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compressText } from "../../src/compress/compress-text.ts";
import { originalHash } from "../../src/compress/marker.ts";

// A real repository: some of this project's own sources committed, then edited; `git diff` is
// what git prints, and the compressed diffs must apply to the committed state with `git apply`.
const SOURCES = ["diff.ts", "diff-hunk.ts", "diff-parse.ts", "table.ts", "git-log.ts"];
let repo = "";
let diff = "";
const edited = new Map<string, string>();

function git(...args: string[]): string {
  const run = Bun.spawnSync(["git", ...args], { cwd: repo, env: { ...process.env, LC_ALL: "C" } });
  if (run.exitCode !== 0) throw new Error(`git ${args.join(" ")}: ${run.stderr.toString()}`);
  return run.stdout.toString();
}

/** Deterministic edits spread through a file: a line changed, one removed, one added. */
function edit(text: string, seed: number): string {
  const lines = text.split("\n");
  for (let i = 10 + seed; i < lines.length - 5; i += 37) {
    lines[i] = `${lines[i]} // reviewed`;
    lines.splice(i + 3, 1);
    lines.splice(i + 6, 0, `// note ${seed}.${i}`);
  }
  return lines.join("\n");
}

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), "headroom-diff-apply-"));
  git("init", "-q");
  git("config", "user.email", "test@example.com");
  git("config", "user.name", "Test");
  for (const name of SOURCES) {
    writeFileSync(
      join(repo, name),
      readFileSync(join(import.meta.dir, "../../src/compress", name)),
    );
  }
  git("add", ".");
  git("commit", "-q", "-m", "base");
  SOURCES.forEach((name, seed) => {
    const text = edit(readFileSync(join(repo, name), "utf8"), seed);
    edited.set(name, text);
    writeFileSync(join(repo, name), text);
  });
  diff = git("diff");
  git("checkout", "-q", "--", ".");
});

afterAll(() => {
  if (repo) rmSync(repo, { recursive: true, force: true });
});

/** Applies `patch` to the committed state and returns whether the files came out as edited. */
function appliesToEdited(patch: string): boolean {
  const file = join(repo, "change.patch");
  writeFileSync(file, patch);
  try {
    git("apply", "change.patch");
    return SOURCES.every((name) => readFileSync(join(repo, name), "utf8") === edited.get(name));
  } finally {
    rmSync(file);
    git("checkout", "-q", "--", ".");
  }
}

describe("compressed diffs apply with the real git", () => {
  test("the captured diff itself applies (sanity)", () => {
    expect(diff).toContain("diff --git a/diff.ts b/diff.ts");
    expect(appliesToEdited(diff)).toBe(true);
  });

  test("lossless output applies and gives the same files", () => {
    const out = compressText(diff, { query: "", lossy: false, hash: () => originalHash(diff) });
    expect(out?.lossy).toBe(false);
    expect(out!.text.length).toBeLessThan(diff.length);
    expect(appliesToEdited(out!.text)).toBe(true);
  });

  test("lossy output, context trimmed to one line, still applies without its marker line", () => {
    const out = compressText(diff, { query: "", lossy: true, hash: () => originalHash(diff) });
    expect(out?.lossy).toBe(true);
    const patch = out!.text
      .split("\n")
      .filter((line) => !line.startsWith("[headroom:"))
      .join("\n");
    expect(appliesToEdited(patch)).toBe(true);
  });
});
