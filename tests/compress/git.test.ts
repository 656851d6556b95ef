import { describe, expect, test } from "bun:test";
import { compressText } from "../../src/compress/compress-text.ts";
import { detectContent } from "../../src/compress/detect.ts";
import { compressGit } from "../../src/compress/git.ts";
import { originalHash } from "../../src/compress/marker.ts";
import { contextFor } from "../helpers/compress-context.ts";
import { outputFixture } from "../helpers/output-fixture.ts";

const LOG = outputFixture("git/log-default.txt");
const ONELINE = outputFixture("git/log-oneline.txt");
const GRAPH = outputFixture("git/log-graph-all.txt");
const STATUS = outputFixture("git/status-many.txt");
const SHORT = outputFixture("git/status-short.txt");
const BRANCHES = outputFixture("git/branch-all.txt");
const UNTRACKED = outputFixture("git/status-untracked-all.txt");

function route(text: string, lossy: boolean, query = "") {
  return compressText(text, { query, lossy, hash: () => originalHash(text) });
}

/** The lines of `text` that look like `commit <hash>`, as hashes. */
function commitHashes(text: string): string[] {
  return [...text.matchAll(/^commit ([0-9a-f]{40})/gm)].map((m) => m[1]!);
}

/** Expands `dir/{a,b}` groups back into one path per entry, keeping the state prefix. */
function expandBraces(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split("\n")) {
    const group = /^(.*?)([^\s{]*)\{([^}]*)\}$/.exec(line);
    if (!group) out.push(line);
    else for (const name of group[3]!.split(",")) out.push(`${group[1]}${group[2]}${name}`);
  }
  return out;
}

describe("git: detection", () => {
  test("every captured git listing is detected as git", () => {
    for (const text of [LOG, ONELINE, GRAPH, STATUS, SHORT, BRANCHES]) {
      expect(detectContent(text)).toBe("git");
    }
  });

  test("git log -p stays a diff", () => {
    expect(detectContent(outputFixture("git/log-patch.txt"))).toBe("diff");
  });
});

describe("git log (default form)", () => {
  test("lossless keeps every hash, author, date and message line", () => {
    const out = route(LOG, false);
    expect(out?.lossy).toBe(false);
    const text = out!.text;
    expect(text.length).toBeLessThan(LOG.length);
    for (const hash of commitHashes(LOG)) expect(text).toContain(hash);
    for (const line of LOG.split("\n")) {
      if (line.startsWith("    ") && line.trim() !== "") expect(text).toContain(line);
      if (line.startsWith("Author: ")) expect(text).toContain(line.slice(8));
      if (line.startsWith("Date:   ")) expect(text).toContain(line.slice(8));
    }
  });

  test("lossy shows newest commits one line each and marks the rest", () => {
    const out = route(LOG, true);
    expect(out?.strategy).toBe("git:log-summary");
    const text = out!.text;
    // The newest commit: abbreviated hash, day, author name and subject on one line.
    expect(text).toContain(
      "28a9c12891 2026-08-22 ADITYA KUMAR JHA: fix(accepts): support wildcard media types",
    );
    expect(text).toContain(`hash=${originalHash(LOG)}`);
    expect(text).toContain("300 commits");
    expect(text.length).toBeLessThan(LOG.length / 4);
  });

  test("a commit deep in the history that matches the question stays", () => {
    const deep = "53b66aeac5";
    const subject = "fix(lambda-edge): avoid callback handler deprecation on NODEJS_24_X (#4782)";
    expect(LOG).toContain(subject);
    expect(route(LOG, true)!.text).not.toContain(deep);
    const withQuery = route(LOG, true, "when was the NODEJS_24_X deprecation fixed?");
    expect(withQuery!.text).toContain(`${deep} 2026-`);
    expect(withQuery!.text).toContain(subject);
  });
});

describe("git log --oneline / --graph", () => {
  test("lossless leaves them alone; lossy keeps head, tail and matches", () => {
    expect(route(ONELINE, false)).toBeUndefined();
    const lines = ONELINE.trimEnd().split("\n");
    const middle = lines[700]!;
    const out = route(ONELINE, true, middle.slice(middle.indexOf(" ") + 1))!.text;
    expect(out).toContain(lines[0]!);
    expect(out).toContain(lines[lines.length - 1]!);
    expect(out).toContain(middle);
    expect(out).toMatch(/… [\d,]+ lines omitted …/);
    expect(out).toContain(`hash=${originalHash(ONELINE)}`);
  });

  test("graph lines keep their drawing", () => {
    const out = route(GRAPH, true)!.text;
    const first = GRAPH.split("\n").slice(0, 100);
    for (const line of first) expect(out).toContain(line);
  });
});

describe("git status", () => {
  test("long form: folder groups expand back to exactly the original entries", () => {
    const out = route(STATUS, false);
    expect(out?.strategy).toBe("git:status-grouped");
    expect(expandBraces(out!.text.trimEnd()).join("\n")).toBe(STATUS.trimEnd());
  });

  test("short form: folder groups expand back to exactly the original entries", () => {
    const out = route(SHORT, false);
    expect(out?.lossy).toBe(false);
    expect(expandBraces(out!.text.trimEnd()).join("\n")).toBe(SHORT.trimEnd());
  });

  test("lossy cuts large folders but keeps a file the question names", () => {
    const ctx = contextFor(UNTRACKED, { query: "is trailing-slash/index.js built?" });
    const out = compressGit(UNTRACKED, ctx);
    expect(out?.lossy).toBe(true);
    // The 28th of 36 built files, kept inside its cut group because the question names it.
    expect(out!.text).toMatch(
      /\tgenerated\/middleware\/\{[^}]*,trailing-slash\/index\.js,…\d+ more\}/,
    );
    expect(out!.text).toMatch(/\tsrc\/new-feature\/\{a\/file1\.ts,[^}]*…\d+ more\}/);
    expect(out!.text).toContain(`hash=${originalHash(UNTRACKED)}`);
    expect(out!.text.length).toBeLessThan(UNTRACKED.length / 2);
    expect(out!.text).toMatch(/…\d+ more/);
    expect(out!.text).toContain("renamed:    src/utils/url.ts -> src/utils/url-new.ts");
  });
});

describe("git branch -a", () => {
  test("remote branches are grouped per remote without losing one", () => {
    const out = route(BRANCHES, false);
    expect(out?.lossy).toBe(false);
    for (const line of BRANCHES.trimEnd().split("\n")) {
      const name = line.trim().replace(/^remotes\/origin\//, "");
      expect(out!.text).toContain(name);
    }
    expect(out!.text).toContain("remotes/origin/ (45):");
  });
});
