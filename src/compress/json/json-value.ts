/**
 * The JSON tree the JSON compressor works on: numbers keep their source lexeme, objects keep key
 * order (and duplicate keys), and a few output-only nodes stand for rewritten content.
 * @module
 */

/** A number exactly as written in the source, so `1.0` and 20-digit integers survive untouched. */
export class JsonNumber {
  #value: number | undefined;
  constructor(readonly text: string) {}

  /** The numeric value (may lose precision; only used for statistics). */
  get value(): number {
    this.#value ??= Number(this.text);
    return this.#value;
  }
}

// Objects read side by side share their key arrays (see the reader), so shapes are cached per array.
const shapes = new WeakMap<readonly string[], string>();

/** An object as an ordered list of entries; `synthetic` marks objects this compressor wrote. */
export class JsonObject {
  constructor(
    readonly keys: string[],
    readonly values: JsonValue[],
    readonly synthetic = false,
  ) {}

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
    this.text = `[headroom: ${summary}; ${MARKER_TAIL}]`;
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
