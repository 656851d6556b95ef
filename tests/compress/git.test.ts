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

  test("lossy shows the newest commit whole, the next ones one line each, and marks the rest", () => {
    const out = route(LOG, true);
    expect(out?.strategy).toBe("git:log-summary");
    const text = out!.text;
    expect(text).toContain("commit 28a9c128912de19f3fb28b00ae289c9b93f6f392 | ADITYA KUMAR JHA");
    expect(text).toContain(
      "    * test(accepts): add test for subtype wildcard specificity ordering",
    );
    // The second commit: abbreviated hash, day, author name and subject on one line.
    expect(text).toContain(
      "1096d66e03 2026-08-22 ADITYA KUMAR JHA: fix(client): support custom buildSearchParams",
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

describe("git log: a short history", () => {
  test("is not worth a marker: lossy mode gives the lossless form", () => {
    const threeCommits = LOG.slice(0, LOG.indexOf("commit ", LOG.indexOf("commit 2059584f")));
    expect(commitHashes(threeCommits).length).toBe(3);
    const out = route(threeCommits, true)!;
    expect(out.lossy).toBe(false);
    expect(out.strategy).toBe("git:log-compact");
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
  /** The path of every entry line of a status (long or short form). */
  function entryPaths(text: string): string[] {
    return text
      .split("\n")
      .filter((line) => /^\t(?:modified|deleted|new file):|^\t[^\s(]|^[ MADRCU?!]{2} /.test(line))
      .map((line) => line.replace(/^\t(?:[a-z ]+: +)?|^.. /, ""))
      .filter((path) => !path.includes(" -> "));
  }

  test("long form: every path stays whole and in order, labels once per run", () => {
    const out = route(STATUS, false);
    expect(out?.strategy).toBe("git:status-joined");
    const paths = entryPaths(STATUS);
    expect(paths.length).toBeGreaterThan(190);
    const text = out!.text;
    let at = 0;
    for (const path of paths) {
      at = text.indexOf(path, at);
      expect(at).toBeGreaterThan(0);
    }
    expect(text).toContain("renamed:    src/utils/url.ts -> src/utils/url-new.ts");
    expect(text.length).toBeLessThan(STATUS.length * 0.8);
  });

  test("short form: every path stays whole", () => {
    const out = route(SHORT, false);
    expect(out?.lossy).toBe(false);
    for (const path of entryPaths(SHORT)) expect(out!.text).toContain(path);
    expect(out!.text).toContain(" M src/adapter/aws-lambda/handler.test.ts ");
  });

  test("lossy cuts long runs but keeps a file the question names", () => {
    const ctx = contextFor(UNTRACKED, { query: "is trailing-slash/index.js built?" });
    const out = compressGit(UNTRACKED, ctx);
    expect(out?.lossy).toBe(true);
    expect(out!.text).toContain("generated/middleware/trailing-slash/index.js");
    expect(out!.text).toMatch(/\t… \d+ more/);
    expect(out!.text).toContain(`hash=${originalHash(UNTRACKED)}`);
  });
});

describe("git branch -a", () => {
  test("a long list keeps the first and last branches, the current one and matches", () => {
    const lines = BRANCHES.trimEnd().split("\n");
    expect(lines.length).toBeGreaterThan(120);
    expect(route(BRANCHES, false)).toBeUndefined();
    const out = route(BRANCHES, true, "is there a branch for the etag get body option?")!;
    expect(out.lossy).toBe(true);
    for (const line of [...lines.slice(0, 60), ...lines.slice(-15)])
      expect(out.text).toContain(line);
    expect(out.text).toContain("* work");
    expect(out.text).toContain("  remotes/upstream/feat/etag-get-body-option");
    expect(out.text).toMatch(/… \d+ branches omitted …/);
  });
});
