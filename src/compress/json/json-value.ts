/**
 * The JSON tree the JSON compressor works on: numbers keep their source lexeme, objects keep key
 * order (and duplicate keys), and a few output-only nodes stand for rewritten content.
 * @module
 */

import { NOTE_OPENING } from "../marker.ts";

/** A number exactly as written in the source, so `1.0` and 20-digit integers survive untouched. */
export class JsonNumber {
  #value: number | undefined;
  /** `value` may be given when already known (it must equal `Number(text)`). */
  constructor(
    readonly text: string,
    value?: number,
  ) {
    this.#value = value;
  }

  /** The numeric value (may lose precision; only used for statistics). */
  get value(): number {
    this.#value ??= Number(this.text);
    return this.#value;
  }
}

/** The compact form of a whole parsed document, built on first use. */
export class CompactText {
  #text: string | undefined;
  #lower: string | null | undefined;
  constructor(private readonly build: () => string) {}

  /** The document written compactly, exactly as the writer would write it. */
  get text(): string {
    this.#text ??= this.build();
    return this.#text;
  }

  /**
   * The text lowercased, when that maps each character on its own and keeps every position (so a
   * slice of it is the lowercased slice of the text); undefined otherwise.
   */
  get lower(): string | undefined {
    if (this.#lower === undefined) {
      const text = this.text;
      const lower = text.toLowerCase();
      // Only U+0130 lowercases to two characters, and only a capital sigma depends on its neighbours.
      this.#lower = lower.length === text.length && !text.includes("\u03a3") ? lower : null;
    }
    return this.#lower ?? undefined;
  }
}

// Objects read side by side share their key arrays (see the reader), so shapes are cached per array.
const shapes = new WeakMap<readonly string[], string>();

/** An object as an ordered list of entries; `synthetic` marks objects this compressor wrote. */
export class JsonObject {
  /**
   * The written text of a rewritten object, once known and final (no note inside), so the
   * output does not write it a second time.
   */
  settledText: string | undefined = undefined;

  constructor(
    readonly keys: string[],
    readonly values: JsonValue[],
    readonly synthetic = false,
    /** For an object as read: its document's compact text, in which it spans `start` to `end`. */
    readonly source: CompactText | undefined = undefined,
    readonly start = 0,
    readonly end = 0,
    /** Set by the reader when no value is a container or a string a rewrite could change. */
    readonly quiet = false,
  ) {}

  /** The object's compact text when it is unchanged from the input (a slice, no writing). */
  get sourceText(): string | undefined {
    return this.source?.text.slice(this.start, this.end);
  }

  /** The key sequence as one string (computed once): objects with equal shapes line up as rows. */
  get shape(): string {
    let shape = shapes.get(this.keys);
    if (shape === undefined) {
      shape = this.keys.join("\u0000");
      shapes.set(this.keys, shape);
    }
    return shape;
  }
}

/** About as long as the retrieval instructions and hash a marker adds to its summary. */
const MARKER_TAIL = "x".repeat(90);

/** Text standing for elided content; its wording is settled once the whole output is known. */
export class Note {
  /** Filled in by the final pass: the marker for the first note, a short remark for the others. */
  text: string;
  constructor(readonly summary: string) {
    // A stand-in of about the final length, so size comparisons before the final pass are fair.
    this.text = `${NOTE_OPENING}${summary}; ${MARKER_TAIL}]`;
  }
}

/** A long opaque string cut to its head, followed by a note saying what was cut. */
export class CutString {
  constructor(
    readonly head: string,
    readonly note: Note,
  ) {}
}

/** A string that held JSON, replaced by the rewritten JSON it held (written back as a string). */
export class EmbeddedJson {
  constructor(readonly value: JsonValue) {}
}

/** Any node of the tree. Only the reader's subset appears in parsed input. */
export type JsonValue =
  | null
  | boolean
  | string
  | JsonNumber
  | JsonObject
  | JsonValue[]
  | Note
  | CutString
  | EmbeddedJson;
