/**
 * How a JSON text differs from its compact form (the form the writer produces): the runs of
 * whitespace between tokens, and the few strings whose escaping is not the writer's own. The
 * reader records them as it goes; the compact text is built only when first asked for.
 * @module
 */

/** Records the edits that turn a JSON text into its compact form, and applies them on demand. */
export class CompactEdits {
  /** Pairs of [from, to) offsets, in order. */
  #edits = new Int32Array(64);
  #used = 0;
  /** Replacement texts by edit index (the others delete their range). */
  #replacements: Map<number, string> | undefined;

  constructor(private readonly text: string) {}

  /** Records that [from, to) (whitespace between tokens) is left out of the compact form. */
  remove(from: number, to: number): void {
    this.#push(from, to);
  }

  /** Records that [from, to) is written as `replacement` in the compact form. */
  replace(from: number, to: number, replacement: string): void {
    this.#replacements ??= new Map();
    this.#replacements.set(this.#used, replacement);
    this.#push(from, to);
  }

  #push(from: number, to: number): void {
    if (this.#used + 2 > this.#edits.length) {
      const grown = new Int32Array(this.#edits.length * 2);
      grown.set(this.#edits);
      this.#edits = grown;
    }
    this.#edits[this.#used++] = from;
    this.#edits[this.#used++] = to;
  }

  /** The compact text. */
  build(): string {
    const text = this.text;
    if (this.#used === 0) return text;
    const pieces: string[] = [];
    let start = 0;
    for (let i = 0; i < this.#used; i += 2) {
      pieces.push(text.slice(start, this.#edits[i]!));
      const replacement = this.#replacements?.get(i);
      if (replacement !== undefined) pieces.push(replacement);
      start = this.#edits[i + 1]!;
    }
    pieces.push(text.slice(start));
    return pieces.join("");
  }
}
