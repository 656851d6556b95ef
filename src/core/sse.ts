/**
 * An incremental Server-Sent Events parser over bytes, for reading events on the side while the
 * bytes themselves are relayed untouched. Follows the WHATWG event-stream rules: lines end in
 * CRLF, LF or CR; `data` lines join with LF; one leading space after the colon is dropped;
 * comment lines start with a colon.
 * @module
 */

/** One dispatched event. `event` is "message" when the stream named none. */
export interface SseEvent {
  readonly event: string;
  readonly data: string;
}

// One event's data beyond this is dropped instead of growing without bound (hostile upstreams).
const MAX_EVENT_CHARS = 16 * 1024 * 1024;

/** Parses a byte stream into events; feed it chunks in order. */
export class SseParser {
  readonly #max: number;
  #decoder = new TextDecoder();
  #line = "";
  #lastWasCR = false;
  #eventName = "";
  #data: string[] = [];
  #dataChars = 0;
  #hasFields = false;
  #oversized = false;
  #skipLine = false;
  // The stream's last bytes, kept to know whether the decoder holds part of a character.
  #tail: number[] = [];

  /** `maxEventChars` bounds what one event may hold (tests use a small one). */
  constructor(options: { maxEventChars?: number } = {}) {
    this.#max = options.maxEventChars ?? MAX_EVENT_CHARS;
  }

  /** Characters held between calls (the unfinished line, the event's data and name). */
  get buffered(): number {
    return this.#line.length + (this.#oversized ? 0 : this.#dataChars) + this.#eventName.length;
  }

  /** Parses `chunk`, calling `onEvent` for every event it completes. */
  push(chunk: Uint8Array, onEvent: (event: SseEvent) => void): void {
    const keep = Math.min(3, chunk.length);
    this.#tail = [...this.#tail, ...chunk.subarray(chunk.length - keep)].slice(-3);
    this.#consume(this.#decoder.decode(chunk, { stream: true }), onEvent);
  }

  /** Flushes the end of the stream: a final event without its blank line is dispatched too. */
  end(onEvent: (event: SseEvent) => void): void {
    this.#consume(this.#decoder.decode(), onEvent);
    if (this.#line !== "" && !this.#skipLine) this.#processLine(this.#line, onEvent);
    this.#skipLine = false;
    this.#line = "";
    this.#lastWasCR = false;
    this.#tail = [];
    this.#dispatch(onEvent);
  }

  /**
   * The bytes to write so that text appended next starts a fresh event: "" at an event boundary,
   * "\n" after a complete line of an unfinished event, "\n\n" in the middle of a line or of a
   * character, or when that line ended in a CR.
   */
  terminator(): string {
    // Part of a character pending also makes a line: the client decodes it as U+FFFD.
    if (this.#line !== "" || this.#skipLine || endsInsideCharacter(this.#tail)) return "\n\n";
    if (!this.#hasFields) return "";
    // After a CR a lone LF would only complete a CRLF, not end the event.
    return this.#lastWasCR ? "\n\n" : "\n";
  }

  #consume(text: string, onEvent: (event: SseEvent) => void): void {
    let start = 0;
    const length = text.length;
    for (let i = 0; i < length; i++) {
      const code = text.charCodeAt(i);
      if (code !== 10 && code !== 13) continue;
      if (code === 10 && this.#lastWasCR && i === start && this.#line === "") {
        // The LF of a CRLF split across two chunks: the line already ended at the CR.
        this.#lastWasCR = false;
        start = i + 1;
        continue;
      }
      const line = this.#line + text.slice(start, i);
      this.#line = "";
      if (this.#skipLine) this.#skipLine = false;
      else if (line.length > this.#max) this.#dropEvent();
      else this.#processLine(line, onEvent);
      // A CR ending the chunk may be the first half of a CRLF; a whole CRLF is not.
      const crlf = code === 13 && text.charCodeAt(i + 1) === 10;
      if (crlf) i++;
      this.#lastWasCR = code === 13 && !crlf && i === length - 1;
      start = i + 1;
    }
    if (start < length) {
      this.#lastWasCR = false;
      if (!this.#skipLine) this.#line += text.slice(start);
      if (this.#line.length > this.#max) {
        // Too long to be a real event line: skip the rest of it and drop its event.
        this.#line = "";
        this.#skipLine = true;
        this.#dropEvent();
      }
    }
  }

  /**
   * A line over the cap drops its whole event, whether it arrived in one chunk or was cut across
   * several (the same rule either way, so chunking never changes the events).
   */
  #dropEvent(): void {
    this.#oversized = true;
    this.#hasFields = true;
  }

  #processLine(line: string, onEvent: (event: SseEvent) => void): void {
    if (line === "") {
      this.#dispatch(onEvent);
      return;
    }
    this.#hasFields = true;
    if (line.charCodeAt(0) === 58) return; // ":" comment
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === "data") {
      // The joining LF counts too, so a flood of empty data lines is bounded as well.
      this.#dataChars += value.length + 1;
      if (this.#dataChars > this.#max) this.#oversized = true;
      else this.#data.push(value);
    } else if (field === "event") {
      this.#eventName = value;
    }
  }

  #dispatch(onEvent: (event: SseEvent) => void): void {
    const hasData = this.#data.length > 0 && !this.#oversized;
    const event = this.#eventName || "message";
    const data = this.#data.length === 1 ? this.#data[0]! : this.#data.join("\n");
    this.#eventName = "";
    this.#data = [];
    this.#dataChars = 0;
    this.#hasFields = false;
    this.#oversized = false;
    if (hasData) onEvent({ event, data });
  }
}

/**
 * Whether `tail` (the stream's last bytes, at most 3) ends inside a UTF-8 sequence that is valid
 * so far, i.e. one the WHATWG decoder still waits to complete.
 */
function endsInsideCharacter(tail: readonly number[]): boolean {
  let lead = tail.length - 1;
  while (lead >= 0 && (tail[lead]! & 0xc0) === 0x80) lead--;
  if (lead < 0) return false;
  const byte = tail[lead]!;
  const needed =
    byte >= 0xc2 && byte <= 0xdf
      ? 1
      : byte >= 0xe0 && byte <= 0xef
        ? 2
        : byte >= 0xf0 && byte <= 0xf4
          ? 3
          : 0;
  const have = tail.length - 1 - lead;
  if (have >= needed) return false;
  if (have === 0) return true;
  // The second byte's range depends on the lead (no overlongs, surrogates or > U+10FFFF).
  const second = tail[lead + 1]!;
  const low = byte === 0xe0 ? 0xa0 : byte === 0xf0 ? 0x90 : 0x80;
  const high = byte === 0xed ? 0x9f : byte === 0xf4 ? 0x8f : 0xbf;
  return second >= low && second <= high;
}
