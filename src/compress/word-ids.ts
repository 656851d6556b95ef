/**
 * Numbers the distinct words of a text stream by their content, for counting distinct word
 * pairs with numbers instead of one concatenated string per pair (building and hashing those
 * strings was most of adaptive K's time). A word is looked up by a hash its caller computes while
 * scanning and by its characters in place, so only a word seen for the first time is copied out.
 * @module
 */

/** FNV-1a's offset basis and prime: the caller hashes each word's UTF-16 units with these. */
export const WORD_HASH_SEED = 0x811c9dc5;
export const WORD_HASH_PRIME = 0x01000193;

/** An open-addressing table from word content to a dense id (0, 1, 2, ... in order of first sight). */
export class WordIds {
  /** id + 1 per slot, 0 for empty; at most half full. */
  private slots = new Int32Array(1024);
  private readonly hashes: number[] = [];
  private readonly words: string[] = [];

  /** How many distinct words were seen. */
  get size(): number {
    return this.words.length;
  }

  /** The id of `text[start, end)`, whose hash (seeded, see WORD_HASH_*) is `hash`. */
  id(text: string, start: number, end: number, hash: number): number {
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    for (let taken = this.slots[slot]!; taken !== 0; taken = this.slots[slot]!) {
      const id = taken - 1;
      if (this.hashes[id] === hash && sameText(this.words[id]!, text, start, end)) return id;
      slot = (slot + 1) & mask;
    }
    const id = this.words.length;
    this.words.push(text.slice(start, end));
    this.hashes.push(hash);
    this.slots[slot] = id + 1;
    if (this.words.length * 2 > this.slots.length) this.grow();
    return id;
  }

  private grow(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    const mask = this.slots.length - 1;
    for (let id = 0; id < this.hashes.length; id++) {
      let slot = this.hashes[id]! & mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
      this.slots[slot] = id + 1;
    }
  }
}

function sameText(word: string, text: string, start: number, end: number): boolean {
  if (word.length !== end - start) return false;
  for (let i = 0; i < word.length; i++) {
    if (word.charCodeAt(i) !== text.charCodeAt(start + i)) return false;
  }
  return true;
}
