/**
 * compressText on tool outputs as the agents really send them (tests/fixtures/agent-shapes,
 * captured from Claude Code and Codex, see docs/agent-shapes.md): the framing is seen through,
 * the body compressed by its kind, and the framing put back.
 */

import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { compressText, type TextCompression } from "../../src/compress/compress-text.ts";
import { detectContent } from "../../src/compress/detect.ts";
import { splitCut } from "../../src/compress/envelope/cut.ts";
import { closeJsonPrefix } from "../../src/compress/envelope/json-prefix.ts";
import { findSuffixElements } from "../../src/compress/envelope/json-suffix.ts";
import { parseNumberedRead } from "../../src/compress/envelope/read-numbered.ts";
import { mayCompressRead } from "../../src/compress/envelope/read-policy.ts";
import { originalHash } from "../../src/compress/marker.ts";
import { findSlots } from "../../src/compress/slots.ts";
import { SHAPE_FILES_DIR, SHAPES_DIR, sentText } from "../helpers/agent-shapes.ts";

/** The text a client sent for one captured call. */
function shape(name: string): string {
  return sentText(JSON.parse(readFileSync(join(SHAPES_DIR, `${name}.json`), "utf8")).sent);
}

function file(name: string): string {
  return readFileSync(join(SHAPE_FILES_DIR, name), "utf8");
}

function compress(text: string, lossy = true): TextCompression | undefined {
  return compressText(text, { query: "", lossy, hash: () => originalHash(text) });
}

const marker = (text: string) => `headroom_retrieve hash=${originalHash(text)}]`;

describe("Claude Code Read", () => {
  test("a numbered log is compressed as a log; kept lines keep their numbers, gaps show ranges", () => {
    const text = shape("claude-read-3000-lines");
    const fileLines = file("dpkg.log").split("\n");
    const result = compress(text)!;
    expect(result.kind).toBe("log");
    expect(result.strategy).toStartWith("read+log");
    expect(result.lossy).toBe(true);
    expect(result.text).toContain(marker(text));
    expect(result.text.length).toBeLessThan(text.length / 20);
    let last = 0;
    let ranges = 0;
    for (const line of result.text.split("\n")) {
      const kept = /^(\d+)\t/.exec(line);
      const range = /^(\d+)-(\d+)\t/.exec(line);
      if (kept) {
        const n = Number(kept[1]);
        expect(n).toBeGreaterThan(last);
        // The line is the file's line n, character for character.
        expect(line.slice(kept[0].length)).toBe(fileLines[n - 1]!);
        last = n;
      } else if (range) {
        const [from, to] = [Number(range[1]), Number(range[2])];
        expect(from).toBe(last + 1);
        expect(to).toBeGreaterThanOrEqual(from);
        last = to;
        ranges++;
      }
    }
    expect(ranges).toBeGreaterThan(3);
  });

  test("a numbered test run keeps the failing test, its expectation and the summary, numbered", () => {
    const text = shape("claude-read-test-log");
    const result = compress(text)!;
    expect(result.strategy).toStartWith("read+");
    for (const line of [
      "79\tExpected: 80",
      "80\tReceived: 0",
      "82\t(fail) parsePort(0x50) [4.85ms]",
      "89\t 1 fail",
    ])
      expect(result.text.split("\n")).toContain(line);
  });

  test("a file with \\r progress redraws is a saved output: cleaned, each kept line at its number", () => {
    const text = shape("claude-read-progress-log");
    const result = compress(text, false)!;
    expect(result.strategy).toStartWith("read+terminal");
    expect(result.lossy).toBe(false);
    expect(/\r(?!\n)/.test(result.text)).toBe(false);
    const lines = result.text.split("\n");
    // Line 3 was 21 drawings of "(Reading database ... N%"; the last one stays, at its number.
    expect(lines).toContain(
      "3\t(Reading database ... 6089 files and directories currently installed.)",
    );
    expect(lines).toContain(
      "4\tPreparing to unpack .../libsystemd0_252.38-1~deb12u1_amd64.deb ...",
    );
    const numbers = lines.map((line) => Number(/^(\d+)\t/.exec(line)?.[1]));
    expect(numbers.every((n, i) => Number.isInteger(n) && (i === 0 || n > numbers[i - 1]!))).toBe(
      true,
    );
  });

  test("source code and a YAML workflow are never rewritten", () => {
    for (const name of ["claude-read-small", "claude-read-yaml"]) {
      const text = shape(name);
      expect(compress(text, true)).toBeUndefined();
      expect(compress(text, false)).toBeUndefined();
    }
  });

  test("a saved git log is compressed as git output, not as a listing", () => {
    const text = shape("claude-read-git-log");
    const result = compress(text)!;
    expect(result.strategy).toBe("read+git:log-summary");
    expect(result.text).toContain("commit b42c0df6e26dc9be22ad9ff104233ce8c7a38880");
    expect(result.text).toContain(marker(text));
  });

  test("config files are protected whatever their body is detected as; logs and generated files are not", () => {
    const yaml = file("ci.yml").split("\n");
    for (const kind of ["table", "log", "listing", "json"] as const)
      expect(mayCompressRead(yaml, kind)).toBe(false);
    const log = file("dpkg.log").split("\n");
    expect(mayCompressRead(log, "log")).toBe(true);
    expect(mayCompressRead(log, "code")).toBe(false);
    expect(mayCompressRead(log, "text")).toBe(false);
    // keyword.py says it is generated: a table-like body of it would be compressible.
    expect(mayCompressRead(file("keyword.py").split("\n"), "table")).toBe(true);
  });

  test("a Read from an offset starts at that number and keeps a 5,000-character line whole", () => {
    const read = parseNumberedRead(shape("claude-read-long-line"))!;
    expect(read.first).toBe(3);
    expect(read.lines).toEqual(file("long-line.txt").split("\n").slice(2, 6));
  });

  test("only text numbered exactly as Read numbers it counts as a Read", () => {
    const text = shape("claude-read-small");
    expect(parseNumberedRead(text)?.lines).toEqual(file("keyword.py").split("\n"));
    // cat -n pads its numbers; a swapped line breaks the count; bare grep -n output skips lines.
    expect(parseNumberedRead(text.replace(/^(\d+)\t/gm, (_, n) => `${n.padStart(6)}\t`))).toBe(
      undefined,
    );
    const lines = text.split("\n");
    [lines[3], lines[4]] = [lines[4]!, lines[3]!];
    expect(parseNumberedRead(lines.join("\n"))).toBeUndefined();
    expect(parseNumberedRead(shape("claude-grep-content"))).toBeUndefined();
  });
});

describe("Codex exec_command", () => {
  test("the header stays byte for byte and the output under it is compressed", () => {
    const text = shape("codex-exec-failed-long");
    const header = text.slice(0, text.indexOf("Output:\n") + "Output:\n".length);
    expect(header).toContain("Process exited with code 1\n");
    const result = compress(text)!;
    expect(result.strategy).toStartWith("exec+log");
    expect(result.text).toStartWith(header);
    expect(result.text).toContain(marker(text));
    expect(result.text.length).toBeLessThan(text.length / 10);
  });

  test("a truncated output keeps its preamble and its cut; head and tail are cleaned of \\r redraws", () => {
    const text = shape("codex-exec-truncated");
    const cut = splitCut(text.slice(text.indexOf("Output:\n") + 8))!;
    expect(cut.preamble).toBe(
      "Warning: truncated output (original token count: 11242)\nTotal output lines: 745\n\n",
    );
    expect(cut.cut).toContain("…1242 tokens truncated…");
    const result = compress(text)!;
    expect(result.strategy).toStartWith("exec+cut+");
    expect(result.text).toStartWith(text.slice(0, text.indexOf("\n\n") + 2));
    // The cut line stays as Codex wrote it (its CRLF ending may be cleaned like every other line).
    const cutLine = cut.cut.replace(/\r?\n$/, "");
    expect(result.text).toContain(cutLine);
    const [head, tail] = result.text.split(cutLine) as [string, string];
    for (const part of [head, tail]) expect(/\r(?!\n)/.test(part)).toBe(false);
    expect(head).toContain(
      "(Reading database ... 6089 files and directories currently installed.)\n",
    );
    expect(head).not.toContain("(Reading database ... 5%");
  });

  test("short outputs, failed or not, go as they are", () => {
    expect(compress(shape("codex-exec-short"))).toBeUndefined();
    expect(compress(shape("codex-exec-failed"))).toBeUndefined();
  });
});

describe("Gemini CLI run_shell_command", () => {
  // The framing Gemini CLI 0.61 sends (captured in tests/clients/gemini-cli.test.ts).
  const log = file("dpkg.log").split("\n").slice(0, 400).join("\n");
  const footer = "\nExit Code: 1\nProcess Group PGID: 24043\n</untrusted_context>";
  const framed = `<untrusted_context>\nOutput: ${log}${footer}`;

  test("the framing stays byte for byte and the output inside it is compressed as a log", () => {
    const result = compress(framed)!;
    expect(result.strategy).toStartWith("gemini-shell+log");
    expect(result.text).toStartWith("<untrusted_context>\nOutput: ");
    expect(result.text).toEndWith(footer);
    expect(result.text).toContain(marker(framed));
    expect(result.text.length).toBeLessThan(framed.length / 10);
  });

  test("without the untrusted_context tags (older versions) the same holds", () => {
    const bare = `Output: ${log}\nProcess Group PGID: 7`;
    const result = compress(bare)!;
    expect(result.strategy).toStartWith("gemini-shell+log");
    expect(result.text).toStartWith("Output: ");
    expect(result.text).toEndWith("\nProcess Group PGID: 7");
  });

  test("a short result goes as it is", () => {
    expect(
      compress("<untrusted_context>\nOutput: 1\n2\n3\nProcess Group PGID: 9\n</untrusted_context>"),
    ).toBeUndefined();
  });
});

describe("Claude Code Bash", () => {
  test("a failed command's cut output keeps its exit line and its cut; both halves are compressed", () => {
    const text = shape("claude-bash-failed-long");
    const result = compress(text)!;
    expect(result.strategy).toStartWith("exit+cut+log");
    expect(result.text).toStartWith("Exit code 1\n");
    expect(result.text).toContain("\n... [17374 characters truncated] ...\n");
    expect(result.text).toContain(marker(text));
    expect(result.text.length).toBeLessThan(text.length / 2);
  });

  test("colour codes go; what is left is grep's own output, losslessly", () => {
    const text = shape("claude-bash-ansi");
    const result = compress(text)!;
    expect(result.lossy).toBe(false);
    expect(result.text).not.toContain("\u001b");
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping SGR and erase-line codes
    expect(result.text).toBe(text.replace(/\u001b\[[0-9;]*[mK]/g, ""));
    expect(result.text.split("\n")[0]).toBe(
      "73:2025-06-24 14:36:33 status installed python3.11-minimal:amd64 3.11.2-6+deb12u6",
    );
  });

  test("a <persisted-output> preview is left alone", () => {
    const text = shape("claude-bash-persisted");
    expect(detectContent(text)).not.toBe("code");
    expect(compress(text)).toBeUndefined();
  });
});

describe("JSON cut off by a client or a command", () => {
  const NOTE = /\n\[the JSON was cut off here[^\n]*\]$/;

  test("every prefix of a real JSON document closes into valid JSON that starts with it", () => {
    const json = file("iso_3166-1.json");
    expect(closeJsonPrefix(json)).toBeUndefined();
    for (let cut = 1; cut < json.length - 10; cut += 997) {
      const text = json.slice(0, cut);
      const prefix = closeJsonPrefix(text)!;
      expect(prefix).toBeDefined();
      expect(() => JSON.parse(prefix.closed)).not.toThrow();
      // The closed text is the complete part as written plus closing brackets only.
      const complete = text.slice(0, text.length - prefix.rest.length);
      expect(prefix.closed.startsWith(complete)).toBe(true);
      expect(prefix.closed.slice(complete.length)).toMatch(/^[\]}]+$/);
      expect(prefix.rest.trim().length).toBeLessThan(120);
    }
  });

  test("head -c of a JSON file is compressed as JSON, with the cut shown after it", () => {
    const text = shape("claude-bash-json-cut");
    const result = compress(text)!;
    expect(result.kind).toBe("json");
    expect(result.strategy).toStartWith("json-cut+json");
    expect(result.text).toMatch(NOTE);
    expect(result.text).toContain(marker(text));
    const json = JSON.parse(result.text.replace(NOTE, ""));
    expect(JSON.stringify(json)).toContain('"Kenya"');
    expect(result.text.length).toBeLessThan(text.length / 5);
  });

  test("every tail of a real JSON document gives the complete elements of the array it ends in", () => {
    const json = file("iso_3166-1.json");
    let found = 0;
    for (
      let start = json.indexOf("\n", 1000) + 1;
      start > 0;
      start = json.indexOf("\n", start + 1500) + 1
    ) {
      const tail = json.slice(start);
      const suffix = findSuffixElements(tail);
      if (!suffix) continue;
      found++;
      expect(suffix.before + suffix.elements + suffix.after).toBe(tail);
      expect(suffix.after).toMatch(/^\]\s*\}\s*$/);
      expect(() => JSON.parse(`[${suffix.elements}]`)).not.toThrow();
    }
    expect(found).toBeGreaterThan(20);
  });

  test("Codex's cut JSON output: the head is closed and compressed, the tail's elements too, the cut stays", () => {
    const text = shape("codex-exec-json-truncated");
    const body = text.slice(text.indexOf("Output:\n") + 8);
    const cut = splitCut(body)!;
    const NOTE = /\n\[the JSON was cut off here[^\n]*\]\n$/;
    // Head, cut and tail together do not parse as one prefix: only the head is closed.
    expect(closeJsonPrefix(body.slice(cut.preamble.length))).toBeUndefined();
    const result = compress(text)!;
    expect(result.strategy).toStartWith("exec+cut+json-cut+json");
    expect(result.text).toStartWith(text.slice(0, text.indexOf("Output:\n") + 8) + cut.preamble);
    const [head, tail] = result.text.split(cut.cut) as [string, string];
    expect(head).toMatch(NOTE);
    expect(tail).toContain(
      "\n[the complete elements that follow, compressed together as one array:]\n",
    );
    expect(tail).toContain('"Zimbabwe"');
    expect(tail).toEndWith("\n]\n}\n");
    expect(result.text).toContain(marker(text));
    expect(result.text.length).toBeLessThan(text.length / 5);
  });
});

describe("A Read of the file Claude Code saved a long output to", () => {
  // Claude Code said where it saved `cat python-policy.html`; the model then Read that file.
  const note = shape("claude-bash-persisted-html");
  const savedFile = /Full output saved to: (\S+)/.exec(note)![1]!;
  const read = shape("claude-read-saved-html");

  /** The request of that turn: the model's Read call of `file`, and Claude Code's result. */
  function request(file: string) {
    return {
      messages: [
        { role: "user", content: "Summarise the policy page." },
        {
          role: "assistant",
          content: [
            { type: "tool_use", id: "toolu_saved", name: "Read", input: { file_path: file } },
          ],
        },
        {
          role: "user",
          content: [{ type: "tool_result", tool_use_id: "toolu_saved", content: read }],
        },
      ],
    };
  }

  test("is told apart from a Read of a file in the project by its path", () => {
    expect(savedFile).toContain("/tool-results/");
    expect(findSlots("messages", request(savedFile))[0]!.savedOutput).toBe(true);
    const projectFile = join(savedFile, "..", "..", "..", "..", "python-policy.html");
    expect(findSlots("messages", request(projectFile))[0]!.savedOutput).toBe(false);
  });

  test("is compressed as the page it is; the same text as a project file is left alone", () => {
    const hash = originalHash(read);
    const options = { query: "", lossy: true, hash: () => hash };
    expect(compressText(read, options)).toBeUndefined();
    const result = compressText(read, { ...options, savedOutput: true })!;
    expect(result.kind).toBe("html");
    expect(result.strategy).toStartWith("read+html");
    expect(result.text).toContain(`hash=${hash}`);
    expect(result.text.length).toBeLessThan(read.length / 2);
  });
});
