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
  #decoder = new TextDecoder();
  #line = "";
  #lastWasCR = false;
  #eventName = "";
  #data: string[] = [];
  #dataChars = 0;
  #hasFields = false;
  #oversized = false;
  #skipLine = false;

  /** Parses `chunk`, calling `onEvent` for every event it completes. */
  push(chunk: Uint8Array, onEvent: (event: SseEvent) => void): void {
    this.#consume(this.#decoder.decode(chunk, { stream: true }), onEvent);
  }

  /** Flushes the end of the stream: a final event without its blank line is dispatched too. */
  end(onEvent: (event: SseEvent) => void): void {
    this.#consume(this.#decoder.decode(), onEvent);
    if (this.#line !== "" && !this.#skipLine) this.#processLine(this.#line, onEvent);
    this.#skipLine = false;
    this.#line = "";
    this.#dispatch(onEvent);
  }

  /**
   * The bytes to write so that text appended next starts a fresh event: "" at an event boundary,
   * "\n" after a complete line of an unfinished event, "\n\n" in the middle of a line.
   */
  terminator(): string {
    if (this.#line !== "" || this.#skipLine) return "\n\n";
    return this.#hasFields ? "\n" : "";
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
      else this.#processLine(line, onEvent);
      if (code === 13 && text.charCodeAt(i + 1) === 10) i++;
      this.#lastWasCR = code === 13 && i === length - 1;
      start = i + 1;
    }
    if (start < length) {
      this.#lastWasCR = false;
      if (!this.#skipLine) this.#line += text.slice(start);
      if (this.#line.length > MAX_EVENT_CHARS) {
        // Too long to be a real event line: skip the rest of it and drop its event.
        this.#line = "";
        this.#skipLine = true;
        this.#oversized = true;
        this.#hasFields = true;
      }
    }
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
      this.#dataChars += value.length;
      if (this.#dataChars > MAX_EVENT_CHARS) this.#oversized = true;
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
