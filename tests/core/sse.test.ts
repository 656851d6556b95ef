import { describe, expect, test } from "bun:test";
import { type SseEvent, SseParser } from "../../src/core/sse.ts";

const encoder = new TextEncoder();

function parseInChunks(text: string, cuts: number[]): SseEvent[] {
  const bytes = encoder.encode(text);
  const parser = new SseParser();
  const events: SseEvent[] = [];
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    parser.push(bytes.slice(start, cut), (e) => events.push(e));
    start = cut;
  }
  parser.end((e) => events.push(e));
  return events;
}

describe("SseParser", () => {
  const stream =
    'event: message_start\r\ndata: {"a":1}\r\n\r\n: a comment\n\ndata: line one\ndata:line two\n\nevent: ping\rdata: {"type": "ping"}\r\rdata: caf\u00e9 \u2603\n\n';
  const expected: SseEvent[] = [
    { event: "message_start", data: '{"a":1}' },
    { event: "message", data: "line one\nline two" },
    { event: "ping", data: '{"type": "ping"}' },
    { event: "message", data: "caf\u00e9 \u2603" },
  ];

  test("SseParser parses CRLF, LF and CR line ends, comments and multi-line data", () => {
    expect(parseInChunks(stream, [])).toEqual(expected);
  });

  test("SseParser gives the same events wherever the byte stream is cut, even inside a character or a CRLF", () => {
    const length = encoder.encode(stream).length;
    for (let cut = 1; cut < length; cut++) expect(parseInChunks(stream, [cut])).toEqual(expected);
    expect(
      parseInChunks(
        stream,
        Array.from({ length: length - 1 }, (_, i) => i + 1),
      ),
    ).toEqual(expected);
  });

  test("SseParser dispatches a final event that lacks its blank line at the end", () => {
    expect(parseInChunks('data: {"usage":1}', [])).toEqual([
      { event: "message", data: '{"usage":1}' },
    ]);
  });

  test("terminator() says what ends a partial event before an appended one", () => {
    const parser = new SseParser();
    const noop = () => {};
    expect(parser.terminator()).toBe("");
    parser.push(encoder.encode("data: x\n"), noop);
    expect(parser.terminator()).toBe("\n");
    parser.push(encoder.encode("\ndata: par"), noop);
    expect(parser.terminator()).toBe("\n\n");
    parser.push(encoder.encode("tial\n\n"), noop);
    expect(parser.terminator()).toBe("");
  });

  test("SseParser drops an absurdly long line instead of growing without bound", () => {
    const parser = new SseParser();
    const events: SseEvent[] = [];
    const chunk = encoder.encode("x".repeat(1024 * 1024));
    parser.push(encoder.encode("data: "), (e) => events.push(e));
    for (let i = 0; i < 20; i++) parser.push(chunk, (e) => events.push(e));
    parser.push(encoder.encode("\n\ndata: after\n\n"), (e) => events.push(e));
    expect(events).toEqual([{ event: "message", data: "after" }]);
  });
});
