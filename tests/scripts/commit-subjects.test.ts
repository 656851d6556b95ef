import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { MAX_SUBJECT_COLUMNS, subjectOf } from "../../scripts/check-commit-subjects.ts";

const ROOT = resolve(import.meta.dir, "../..");
const SCRIPT = join(ROOT, "scripts/check-commit-subjects.ts");
const HOOKS = join(ROOT, ".githooks");
const repo = mkdtempSync(join(tmpdir(), "headroom-subjects-"));
// A repository of its own, so no user or system git configuration takes part.
const env = { ...process.env, HOME: repo, GIT_CONFIG_NOSYSTEM: "1" };
const IDENTITY = ["-c", "user.name=Test", "-c", "user.email=test@example.invalid"];

afterAll(() => rmSync(repo, { recursive: true, force: true }));

function git(...args: string[]) {
  return Bun.spawnSync(["git", ...IDENTITY, ...args], { cwd: repo, env });
}

function commit(subject: string, ...extra: string[]) {
  return git(...extra, "commit", "--allow-empty", "-q", "-m", subject, "-m", "Body line.");
}

function check(...args: string[]) {
  const run = Bun.spawnSync([process.execPath, SCRIPT, ...args], { cwd: repo, env });
  return { code: run.exitCode, text: run.stderr.toString() };
}

const LONGEST = "x".repeat(MAX_SUBJECT_COLUMNS);
const TOO_LONG = `Long ${"y".repeat(MAX_SUBJECT_COLUMNS)}`;

describe("commit subjects of at most 72 columns", () => {
  test("a subject is the message's first paragraph, comments left out", () => {
    expect(subjectOf("# a comment\n\nFix the relay\n\nWhy it broke.\n")).toBe("Fix the relay");
    expect(subjectOf("Fix the relay\nand the store\n\nBody")).toBe("Fix the relay and the store");
    expect(subjectOf("# only a comment\n")).toBe("");
  });

  test("the range check lists exactly the commits over the limit", () => {
    expect(git("init", "-q", "-b", "main").exitCode).toBe(0);
    expect(commit("Start").exitCode).toBe(0);
    expect(git("checkout", "-q", "-b", "topic").exitCode).toBe(0);
    expect(commit(LONGEST).exitCode).toBe(0);
    expect(check().code).toBe(0);
    expect(commit(TOO_LONG).exitCode).toBe(0);
    expect(commit("Short again").exitCode).toBe(0);

    const branch = check();
    expect(branch.code).toBe(1);
    expect(branch.text).toContain(TOO_LONG);
    expect(branch.text).not.toContain(LONGEST);
    expect(branch.text).toContain("1 commit(s) in main..HEAD");
    expect(check("HEAD~1..HEAD").code).toBe(0);
  });

  test("the commit-msg hook refuses a long subject and lets a short one through", () => {
    const hooks = ["-c", `core.hooksPath=${HOOKS}`];
    const before = git("rev-parse", "HEAD").stdout.toString();
    const refused = commit(TOO_LONG, ...hooks);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr.toString()).toContain(`${MAX_SUBJECT_COLUMNS + 5} columns`);
    expect(git("rev-parse", "HEAD").stdout.toString()).toBe(before);
    expect(commit(LONGEST, ...hooks).exitCode).toBe(0);
    expect(git("log", "-1", "--format=%s").stdout.toString().trim()).toBe(LONGEST);
  });
});
