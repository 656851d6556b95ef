import { describe, expect, test } from "bun:test";
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { compressJson } from "../../src/compress/json/compress-json.ts";
import { expandJson } from "../../src/compress/json/json-expand.ts";
import { readJson } from "../../src/compress/json/json-reader.ts";
import { writeJson } from "../../src/compress/json/json-writer.ts";
import { contextFor } from "../helpers/compress-context.ts";
import { mulberry32 } from "../helpers/random.ts";

const WORDS = (
  "cache proxy request timeout retry upstream header token stream parser config build test release docs " +
  "api client server memory leak crash panic flaky windows linux macos install update dependency version " +
  "compile error warning support feature regression performance"
).split(" ");

/** A page of `GET /repos/{owner}/{repo}/issues` as GitHub returns it (fields trimmed a little). */
function githubIssues(n: number): Record<string, unknown>[] {
  const r = mulberry32(7);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const users = [
    "octocat",
    "hubot",
    "monalisa",
    "defunkt",
    "mojombo",
    "pjhyett",
    "wycats",
    "ezmobius",
  ];
  const labels = ["bug", "enhancement", "documentation", "question", "good first issue"];
  return Array.from({ length: n }, (_, i) => {
    const number = 4821 - i;
    const login = pick(users);
    const uid = 1000 + users.indexOf(login) * 7919;
    const title = Array.from({ length: 4 + Math.floor(r() * 6) }, () => pick(WORDS)).join(" ");
    const closed = r() < 0.3;
    const created = new Date(Date.UTC(2025, 0, 1) + (n - i) * 7 * 3_600_000)
      .toISOString()
      .replace(".000", "");
    return {
      url: `https://api.github.com/repos/acme/widget/issues/${number}`,
      html_url: `https://github.com/acme/widget/issues/${number}`,
      id: 2_000_000_000 + number * 13,
      node_id: `I_kwDOA${(number * 7919).toString(36).toUpperCase()}`,
      number,
      title: title[0]!.toUpperCase() + title.slice(1),
      user: {
        login,
        id: uid,
        avatar_url: `https://avatars.githubusercontent.com/u/${uid}?v=4`,
        type: "User",
        site_admin: false,
      },
      labels:
        r() < 0.6
          ? [{ name: pick(labels), color: pick(["d73a4a", "a2eeef", "0075ca", "d876e3"]) }]
          : [],
      state: closed ? "closed" : "open",
      locked: false,
      assignee: null,
      comments: Math.floor(r() * r() * 12) + (i === 41 ? 187 : 0),
      created_at: created,
      updated_at: created,
      closed_at: closed ? created : null,
      author_association: pick(["CONTRIBUTOR", "MEMBER", "NONE", "OWNER"]),
      body: Array.from({ length: 12 + Math.floor(r() * 30) }, () => pick(WORDS)).join(" "),
    };
  });
}

/** Structured service logs (pino/bunyan style), as a log search API returns them. */
function serviceLogs(n: number): Record<string, unknown>[] {
  const r = mulberry32(3);
  const services = ["api", "worker", "scheduler", "gateway"];
  return Array.from({ length: n }, (_, i) => {
    const failed = r() < 0.01;
    return {
      ts: new Date(Date.UTC(2025, 5, 1) + i * 1000).toISOString(),
      level: failed ? "error" : r() < 0.05 ? "warn" : "info",
      service: services[Math.floor(r() * services.length)],
      latency_ms: Math.round(20 + r() * 30 + (i === 777 ? 5000 : 0)),
      message: failed
        ? `upstream connect error: connection refused (attempt ${1 + Math.floor(r() * 3)})`
        : `handled GET /v1/items/${Math.floor(r() * 100_000)} in ${Math.floor(r() * 50)}ms`,
      request_id: `req-${((i * 2_654_435_761) >>> 0).toString(16)}`,
    };
  });
}

function saved(input: string, text: string): number {
  return 1 - countTokens(text) / countTokens(input);
}

function expanded(text: string): string {
  return writeJson(expandJson(readJson(text)!.value));
}

/** The rows a lossy output kept, as objects (the table expanded; the note left out). */
function keptRows(text: string): Record<string, unknown>[] {
  const rows = JSON.parse(expanded(text)) as unknown[];
  return rows.filter(
    (row): row is Record<string, unknown> => typeof row === "object" && row !== null,
  );
}

describe("realistic JSON tool outputs", () => {
  const issues = githubIssues(100);
  const input = JSON.stringify(issues, null, 2);

  test("100 GitHub issues: about 91% of tokens saved lossy, the outlier and the ends kept", () => {
    const out = compressJson(input, contextFor(input, { lossy: true }))!;
    expect(saved(input, out.text)).toBeGreaterThan(0.9);
    const table = JSON.parse(out.text);
    expect(table.$columns[6]).toEqual({
      user: ["login", "id", "avatar_url", "type", "site_admin"],
    });
    const rows = keptRows(out.text);
    const numbers = rows.map((row) => row.number);
    for (const number of [4821, 4820, 4819, 4723, 4722, 4780]) expect(numbers).toContain(number);
    const popular = rows.find((row) => row.number === 4780)!;
    expect(popular.comments).toBe(187);
    expect(table.$rows.at(-1)).toContain(`${100 - numbers.length} of 100 rows omitted`);
  });

  test("100 GitHub issues: the lossless table alone saves over 40% and loses nothing", () => {
    const out = compressJson(input, contextFor(input, { lossy: false }))!;
    expect(saved(input, out.text)).toBeGreaterThan(0.4);
    expect(expanded(out.text)).toBe(JSON.stringify(issues));
  });

  test("a question about a numeric field keeps its extremes; one naming a user keeps that user's rows", () => {
    const most = compressJson(
      input,
      contextFor(input, { query: "Which issue has the most comments?" }),
    )!;
    const comments = keptRows(most.text).map((row) => row.comments as number);
    const top = issues.map((issue) => issue.comments as number).sort((a, b) => b - a);
    for (const count of top.slice(0, 3)) expect(comments).toContain(count);
    const byUser = compressJson(
      input,
      contextFor(input, { query: "list the issues opened by wycats" }),
    )!;
    const logins = keptRows(byUser.text).map((row) => (row.user as { login: string }).login);
    const expected = issues.filter(
      (issue) => (issue.user as { login: string }).login === "wycats",
    ).length;
    expect(logins.filter((login) => login === "wycats")).toHaveLength(expected);
  });

  test("1,000 log records: every error and the latency outlier kept, over 95% saved", () => {
    const logs = serviceLogs(1000);
    const text = JSON.stringify(logs);
    const out = compressJson(text, contextFor(text, { lossy: true }))!;
    expect(saved(text, out.text)).toBeGreaterThan(0.95);
    const rows = JSON.parse(out.text).$rows.slice(0, -1) as unknown[][];
    const errors = logs.filter((log) => log.level === "error").map((log) => log.request_id);
    const keptIds = rows.map((row) => row[5]);
    for (const id of errors) expect(keptIds).toContain(id);
    expect(rows.map((row) => row[3])).toContain(5047);
    expect(JSON.parse(out.text).$rows.at(-1)).toContain(`all ${errors.length} errors`);
  });
});
