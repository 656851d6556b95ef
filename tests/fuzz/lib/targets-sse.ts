/**
 * Fuzz target for the SSE parser: whatever the bytes and however they are cut into chunks, it
 * never throws, gives the events a plain whole-text reference parser gives, keeps its buffers
 * within its cap, and its terminator() always lets an appended event start fresh.
 * @module
 */

import { type SseEvent, SseParser } from "../../../src/core/sse.ts";
import { fail, fromBase64, type Target, toBase64 } from "./harness.ts";
import { mutateBytes } from "./mutate.ts";
import { Rng } from "./rng.ts";

export interface SseInput {
  /** The stream, base64. */
  bytes: string;
  /** Seeds the chunk splits (so a reproducer replays the same cuts). */
  splitSeed: number;
  /** A small cap for the bounded-buffer checks. */
  cap: number;
}

const encoder = new TextEncoder();

/**
 * The reference: decode everything at once, split lines at CRLF, LF or CR, apply the WHATWG
 * field rules, dispatch a final unterminated event (headroom reads usage from it), and drop any
 * event with a line or data longer than `cap` characters.
 */
export function referenceEvents(bytes: Uint8Array, cap = Number.POSITIVE_INFINITY): SseEvent[] {
  const text = new TextDecoder().decode(bytes);
  const events: SseEvent[] = [];
  let name = "";
  let data: string[] = [];
  let dataChars = 0;
  let oversized = false;
  const dispatch = () => {
    if (data.length > 0 && !oversized)
      events.push({ event: name || "message", data: data.join("\n") });
    name = "";
    data = [];
    dataChars = 0;
    oversized = false;
  };
  const line = (l: string) => {
    if (l === "") return dispatch();
    if (l.length > cap) {
      oversized = true;
      return;
    }
    if (l.startsWith(":")) return;
    const colon = l.indexOf(":");
    const field = colon < 0 ? l : l.slice(0, colon);
    let value = colon < 0 ? "" : l.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") {
      dataChars += value.length + 1;
      if (dataChars > cap) oversized = true;
      else data.push(value);
    } else if (field === "event") name = value;
  };
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 10 && c !== 13) continue;
    line(text.slice(start, i));
    if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
    start = i + 1;
  }
  if (start < text.length) line(text.slice(start));
  dispatch();
  return events;
}

/** Random cut points in [0, n], sorted, duplicates allowed (empty chunks). */
function cuts(rng: Rng, n: number): number[] {
  const mode = rng.int(4);
  if (mode === 0) return [];
  if (mode === 1) return Array.from({ length: n }, (_, i) => i); // one byte at a time
  const count = mode === 2 ? rng.range(1, 4) : rng.range(1, Math.max(1, n >> 2));
  return Array.from({ length: count }, () => rng.int(n + 1)).sort((a, b) => a - b);
}

function feed(
  parser: SseParser,
  bytes: Uint8Array,
  points: number[],
  events: SseEvent[],
  after?: (chunk: number) => void,
): void {
  let start = 0;
  for (const point of [...points, bytes.length]) {
    parser.push(bytes.subarray(start, point), (e) => events.push(e));
    after?.(point - start);
    start = point;
  }
}

function parse(bytes: Uint8Array, points: number[], cap?: number): SseEvent[] {
  const parser = new SseParser(cap === undefined ? {} : { maxEventChars: cap });
  const events: SseEvent[] = [];
  feed(parser, bytes, points, events);
  parser.end((e) => events.push(e));
  return events;
}

const same = (a: SseEvent[], b: SseEvent[]) => JSON.stringify(a) === JSON.stringify(b);

function describe(a: SseEvent[], b: SseEvent[]): string {
  const i = a.findIndex((e, k) => JSON.stringify(e) !== JSON.stringify(b[k]));
  return `${a.length} vs ${b.length} events; first difference at ${i}: ${JSON.stringify(a[i])?.slice(0, 200)} vs ${JSON.stringify(b[i])?.slice(0, 200)}`;
}

const EVENT_NAMES = [
  "message_start",
  "content_block_delta",
  "ping",
  "message_stop",
  "error",
  "response.output_text.delta",
  "",
  "é",
  "data",
];

/** A stream shaped like the providers' (events, comments, odd fields, every line ending). */
function genStream(rng: Rng): string {
  const eol = rng.pick(["\n", "\r\n", "\r", "mixed"]);
  const end = () => (eol === "mixed" ? rng.pick(["\n", "\r\n", "\r"]) : eol);
  const parts: string[] = [];
  if (rng.chance(0.1)) parts.push("\ufeff");
  for (let n = rng.size(8, 60); n > 0; n--) {
    const r = rng.next();
    if (r < 0.08) parts.push(`: ${rng.pick(["ping", "keep-alive", ""])}${end()}`);
    if (r < 0.12)
      parts.push(
        `${rng.pick(["id: 7", "retry: 1000", "unknown: x", "data", "event", "data:", "DATA: x", " data: x"])}${end()}`,
      );
    if (rng.chance(0.8))
      parts.push(`event:${rng.chance(0.8) ? " " : ""}${rng.pick(EVENT_NAMES)}${end()}`);
    const lines = rng.chance(0.85) ? 1 : rng.range(0, 4);
    for (let k = 0; k < lines; k++) {
      const payload = rng.weighted([
        [
          6,
          JSON.stringify({
            type: "content_block_delta",
            index: rng.int(3),
            delta: { type: "text_delta", text: rng.words(rng.range(0, 6)) },
          }),
        ],
        [2, JSON.stringify({ usage: { input_tokens: rng.int(1e5), output_tokens: rng.int(1e4) } })],
        [1, "[DONE]"],
        [1, ""],
        [1, " leading space kept"],
        [1, "x".repeat(rng.pick([17, 65, 301, 1000]))],
        [1, "😀é中\u0000\ud7ff"],
      ]);
      parts.push(`data:${rng.chance(0.9) ? " " : ""}${payload}${end()}`);
    }
    if (rng.chance(0.9)) parts.push(end());
  }
  let text = parts.join("");
  if (rng.chance(0.15)) text = text.slice(0, rng.int(text.length + 1)); // cut off mid-stream
  if (rng.chance(0.05)) text += `data: ${"y".repeat(rng.range(1, 400))}`; // no line end at all
  return text;
}

export const sseTarget: Target<SseInput> = {
  name: "sse",
  generate(rng) {
    let bytes: Uint8Array = encoder.encode(genStream(rng));
    if (rng.chance(0.5)) bytes = mutateBytes(bytes, rng);
    if (rng.chance(0.05)) bytes = bytes.map(() => rng.int(256)); // pure garbage
    return { bytes: toBase64(bytes), splitSeed: rng.int(0x7fffffff), cap: rng.pick([16, 64, 300]) };
  },
  check(input) {
    const bytes = fromBase64(input.bytes);
    const rng = new Rng(input.splitSeed);
    const expected = referenceEvents(bytes);
    const whole = parse(bytes, []);
    if (!same(whole, expected)) fail("sse-vs-reference", describe(whole, expected));
    for (let k = 0; k < 3; k++) {
      const got = parse(bytes, cuts(rng, bytes.length));
      if (!same(got, expected)) fail("sse-split-differs", describe(got, expected));
    }
    // With a small cap: the same events as the reference under that cap, whatever the cuts,
    // and never more than the cap held in any buffer.
    const capped = referenceEvents(bytes, input.cap);
    for (let k = 0; k < 2; k++) {
      const parser = new SseParser({ maxEventChars: input.cap });
      const events: SseEvent[] = [];
      feed(parser, bytes, cuts(rng, bytes.length), events, () => {
        if (parser.buffered > 3 * input.cap)
          fail("sse-unbounded-buffer", `${parser.buffered} chars held with cap ${input.cap}`);
      });
      parser.end((e) => events.push(e));
      if (!same(events, capped)) fail("sse-cap-differs", describe(events, capped));
    }
    // terminator(): whatever was cut off, an appended event parses as its own event.
    for (let k = 0; k < 3; k++) {
      const at = rng.int(bytes.length + 1);
      const prefix = bytes.subarray(0, at);
      const parser = new SseParser();
      feed(parser, prefix, cuts(rng, prefix.length), []);
      const tail = encoder.encode(`${parser.terminator()}event: probe\ndata: {"probe":1}\n\n`);
      const joined = new Uint8Array(prefix.length + tail.length);
      joined.set(prefix);
      joined.set(tail, prefix.length);
      const want = [...referenceEvents(prefix), { event: "probe", data: '{"probe":1}' }];
      const got = parse(joined, []);
      if (!same(got, want))
        fail(
          "sse-terminator",
          `cut at ${at} (${JSON.stringify(parser.terminator())}): ${describe(got, want)}`,
        );
    }
  },
  *shrink(input) {
    const bytes = fromBase64(input.bytes);
    for (let chunk = Math.ceil(bytes.length / 2); chunk >= 1; chunk = Math.floor(chunk / 2)) {
      for (let i = 0; i < bytes.length; i += chunk) {
        const out = new Uint8Array(bytes.length - Math.min(chunk, bytes.length - i));
        out.set(bytes.subarray(0, i));
        out.set(bytes.subarray(i + chunk), i);
        yield { ...input, bytes: toBase64(out) };
      }
    }
  },
};
