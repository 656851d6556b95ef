// The agent framings of scripts/corpus/agent-shapes.ts on real corpus samples: when Claude Code
// spills and how its Read numbers and pages a file, how a failing command's result is cut, and
// how Codex cuts an output over its budget (the rules are in tests/corpus/README.md).

import { describe, expect, test } from "bun:test";
import {
  CLAUDE_BASH_MAX_CHARS,
  CLAUDE_READ_PAGE_LINES,
  claudeDelivery,
  claudeSpills,
  codexExecResult,
  codexTokenCount,
  utf8Length,
} from "../../scripts/corpus/agent-shapes.ts";
import { loadSamples } from "../../scripts/corpus/corpus.ts";

const samples = new Map(loadSamples().map((s) => [s.name.slice(0, 3), s]));
const sample = (id: string) => samples.get(id)!;

describe("Claude Code", () => {
  test("sends a short output whole, trailing newlines removed", () => {
    const branches = sample("029"); // git branch -a, under a kilobyte
    expect(claudeSpills(branches.text, 0)).toBe(false);
    expect(claudeDelivery(branches.text, 0)).toEqual([branches.text.replace(/\n+$/, "")]);
  });

  test("spills a long output, which the model then Reads with every line numbered", () => {
    const dpkg = sample("017"); // dpkg -l, about 107 KB
    expect(dpkg.text.length).toBeGreaterThan(CLAUDE_BASH_MAX_CHARS);
    const [read, ...more] = claudeDelivery(dpkg.text, 0);
    expect(more).toEqual([]);
    const lines = read!.split("\n");
    expect(lines.length).toBe(dpkg.text.replace(/\n+$/, "").split("\n").length);
    expect(lines[0]).toBe(`1\t${dpkg.text.split("\n")[0]}`);
    expect(lines.every((line, i) => line.startsWith(`${i + 1}\t`))).toBe(true);
  });

  test("drops carriage returns at line ends when reading a spilled pty capture", () => {
    const term = sample("051"); // apt's term.log, \r\n line ends and \r redraws
    const read = claudeDelivery(term.text, 0).join("\n");
    expect(term.text).toContain("\r\n");
    expect(read).not.toContain("\r\n");
    expect(read).toContain("(Reading database ... \r(Reading database ... 5%");
  });

  test("reads a file over 256 KB in pages of 2,000 lines that cover it once", () => {
    const page = sample("063"); // an HTML page of about 266 KB
    expect(utf8Length(page.text)).toBeGreaterThan(256 * 1024);
    const pages = claudeDelivery(page.text, 0);
    expect(pages.length).toBeGreaterThan(1);
    const lines = pages.flatMap((p) => p.split("\n"));
    for (const p of pages.slice(0, -1)) expect(p.split("\n").length).toBe(CLAUDE_READ_PAGE_LINES);
    expect(lines.map((l) => l.slice(l.indexOf("\t") + 1)).join("\n")).toBe(
      page.text.replace(/\n+$/, ""),
    );
  });

  test("cuts a long failing command's result to its first and last 5,000 characters", () => {
    const tsc = sample("012"); // tsc --pretty, exit code 2, about 33 KB
    expect(tsc.exit).toBe(2);
    const [result, ...more] = claudeDelivery(tsc.text, tsc.exit);
    expect(more).toEqual([]);
    const whole = `Exit code 2\n${tsc.text.replace(/\n+$/, "")}`;
    const cut = whole.length - 10_000;
    expect(result).toBe(
      `${whole.slice(0, 5_000)}\n\n... [${cut} characters truncated] ...\n\n${whole.slice(-5_000)}`,
    );
  });
});

describe("Codex", () => {
  test("puts a header before a short output and keeps its trailing newline", () => {
    const mount = sample("022");
    expect(codexExecResult(mount.text, 0, { chunkId: "abc123", wallSeconds: 0.25 })).toBe(
      "Chunk ID: abc123\nWall time: 0.2500 seconds\nProcess exited with code 0\n" +
        `Original token count: ${Math.ceil(utf8Length(mount.text) / 4)}\nOutput:\n${mount.text}`,
    );
  });

  test("keeps the first and last 20,000 bytes of an output over 10,000 tokens", () => {
    const lock = sample("045"); // package-lock.json, about 180 KB
    const tokens = codexTokenCount(lock.text);
    expect(tokens).toBeGreaterThan(10_000);
    const result = codexExecResult(lock.text, 0);
    const body = result.slice(result.indexOf("Output:\n") + "Output:\n".length);
    const lines = lock.text.split("\n").length - 1;
    const intro = `Warning: truncated output (original token count: ${tokens})\nTotal output lines: ${lines}\n\n`;
    expect(body.startsWith(intro)).toBe(true);
    const [head, tail] = body.slice(intro.length).split(`…${tokens - 10_000} tokens truncated…`);
    expect(utf8Length(head!)).toBe(20_000);
    expect(utf8Length(tail!)).toBe(20_000);
    expect(lock.text.startsWith(head!)).toBe(true);
    expect(lock.text.endsWith(tail!)).toBe(true);
  });
});
