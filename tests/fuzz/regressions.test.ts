// Fixed reproducers of what the fuzzer found (scripts/fuzz.ts), each minimized, so the bugs stay
// fixed whatever seeds the fuzz suite runs.
import { describe, expect, test } from "bun:test";
import { extractHtml } from "../../src/compress/html-extract.ts";
import { compressListing } from "../../src/compress/listing.ts";
import { formatMarker } from "../../src/compress/marker.ts";
import { countWithEncoding, loadEncoding } from "../../src/compress/tokens.ts";
import { type SseEvent, SseParser } from "../../src/core/sse.ts";
import { foldStreamUsage, type Usage } from "../../src/core/usage.ts";
import { SwallowedErrors } from "../helpers/swallowed-errors.ts";

const encoder = new TextEncoder();

function parse(chunks: (string | number[])[], cap?: number): SseEvent[] {
  const parser = new SseParser(cap === undefined ? {} : { maxEventChars: cap });
  const events: SseEvent[] = [];
  for (const chunk of chunks) {
    const bytes = typeof chunk === "string" ? encoder.encode(chunk) : new Uint8Array(chunk);
    parser.push(bytes, (e) => events.push(e));
  }
  parser.end((e) => events.push(e));
  return events;
}

describe("fuzz regressions: SSE parser", () => {
  test("a CRLF that ends a chunk does not swallow the LF that starts the next (two events stay two)", () => {
    const stream = 'data: {"a":1}\r\n\ndata: {"b":2}\n\n';
    const expected = [
      { event: "message", data: '{"a":1}' },
      { event: "message", data: '{"b":2}' },
    ];
    expect(parse([stream])).toEqual(expected);
    expect(parse(['data: {"a":1}\r\n', '\ndata: {"b":2}\n\n'])).toEqual(expected);
  });

  test("terminator() after a line ending in CR is a full blank line, not the LF of a CRLF", () => {
    const parser = new SseParser();
    parser.push(encoder.encode("data\r"), () => {});
    const joined = `data\r${parser.terminator()}event: error\ndata: {}\n\n`;
    expect(parse([joined])).toEqual([
      { event: "message", data: "" },
      { event: "error", data: "{}" },
    ]);
  });

  test("terminator() while the decoder holds part of a character ends that line too", () => {
    const parser = new SseParser();
    parser.push(new Uint8Array([0xef]), () => {});
    expect(parser.terminator()).toBe("\n\n");
    const clean = new SseParser();
    clean.push(encoder.encode("data: é\n\n"), () => {});
    expect(clean.terminator()).toBe("");
    const split = new SseParser();
    split.push(encoder.encode("data: x\n\n"), () => {});
    split.push(new Uint8Array([0xf0, 0x9f]), () => {});
    expect(split.terminator()).toBe("\n\n");
    const tail = encoder.encode(`${split.terminator()}event: error\ndata: {}\n\n`);
    expect(parse([[...encoder.encode("data: x\n\n"), 0xf0, 0x9f, ...tail]])).toEqual([
      { event: "message", data: "x" },
      { event: "error", data: "{}" },
    ]);
  });

  test("a line over the cap drops its event whether it arrives whole or cut across chunks", () => {
    const stream = "event: message_start\ndata: {}\n\ndata: ok\n\n";
    const whole = parse([stream], 16);
    expect(whole).toEqual([{ event: "message", data: "ok" }]);
    expect(parse(["event: messa", "ge_start\ndata: {}\n\ndata: ok\n\n"], 16)).toEqual(whole);
  });

  test("a flood of empty data lines is bounded by the cap like any other data", () => {
    const parser = new SseParser({ maxEventChars: 64 });
    const events: SseEvent[] = [];
    for (let i = 0; i < 100; i++) parser.push(encoder.encode("data\n"), (e) => events.push(e));
    expect(parser.buffered).toBeLessThanOrEqual(64);
    parser.push(encoder.encode("\ndata: after\n\n"), (e) => events.push(e));
    expect(events).toEqual([{ event: "message", data: "after" }]);
  });
});

describe("fuzz regressions: compressors", () => {
  test("a tree drawing whose head was cut off (entries deeper than their listed parents) compresses without an error", () => {
    const lines = ["│   │   ├── orphan.ts", "│   │   └── lost.ts"];
    for (let d = 0; d < 30; d++) {
      lines.push(`├── dir${d}`);
      for (let f = 0; f < 9; f++) lines.push(`│   ├── f${f}.ts`);
    }
    const text = lines.join("\n");
    const swallowed = new SwallowedErrors();
    const out = compressListing(text, {
      query: "",
      lossy: true,
      marker: (s) => formatMarker(s, "0".repeat(24)),
      probe: swallowed.probe,
    });
    expect(swallowed.caught).toEqual([]);
    expect(out?.strategy).toBe("listing:tree-collapse");
    expect(out!.text.length).toBeLessThan(text.length);
  });
});

describe("fuzz regressions: HTML", () => {
  // Before: trimming the <pre> text with /^\s*\n|\s+$/g was quadratic in a whitespace run
  // (5 s for 70,000 tabs, about 40 s for these 200,000); now it takes milliseconds.
  test(
    "a <pre> holding a long run of whitespace is extracted in linear time, same text as before",
    () => {
      const run = "\t".repeat(200_000);
      const html = `<html><body><main><p>${"intro words ".repeat(30)}</p><pre><code>\n\n  const a = 1;${run}x\n\t</code></pre></main></body></html>`;
      expect(extractHtml(html, { mainContent: true }).body).toContain(
        `\`\`\`\n  const a = 1;${run}x\n\`\`\``,
      );
    },
    { timeout: 5_000 },
  );
});

describe("fuzz regressions: token counting", () => {
  // Before: gpt-tokenizer's BPE took 50 s on 70,000 "é" and 68 s on 35,000 emoji, blocking the
  // proxy's thread. A timeout far above the fixed cost (milliseconds) and far below the old one.
  test(
    "one very long run of a single character class is counted in bounded time, the same as before",
    async () => {
      await loadEncoding("o200k_base");
      expect(countWithEncoding("é".repeat(70_000), "o200k_base")).toBe(70_000);
      expect(countWithEncoding("😀".repeat(35_000), "o200k_base")).toBe(35_000);
      expect(countWithEncoding("x".repeat(70_000), "o200k_base")).toBe(8_750);
      expect(countWithEncoding(`word ${"─".repeat(20_000)} end`, "o200k_base")).toBeGreaterThan(0);
    },
    { timeout: 15_000 },
  );

  test("texts without long runs count exactly as the tokenizer does", async () => {
    await loadEncoding("o200k_base");
    const { countTokens } = await import("gpt-tokenizer/encoding/o200k_base");
    const plain = { disallowedSpecial: new Set<string>() };
    for (const text of [
      "hello world",
      `${"=".repeat(512)}\nok`,
      `${"a".repeat(512)} ${"b".repeat(300)}`,
      "😀".repeat(256),
      "src/index.ts:12:  const x = 1;\n".repeat(200),
    ]) {
      expect(countWithEncoding(text, "o200k_base")).toBe(countTokens(text, plain));
    }
  });
});

describe("fuzz regressions: usage", () => {
  test("absurd Anthropic counts that add up past the largest number leave the input unreported", () => {
    const into: Usage = {};
    const data = JSON.stringify({
      type: "message_start",
      message: { usage: { input_tokens: 1e308, cache_read_input_tokens: 1e308, output_tokens: 3 } },
    });
    foldStreamUsage("messages", { event: "message_start", data }, into);
    expect(into).toEqual({ cacheReadTokens: 1e308, outputTokens: 3 });
  });
});
