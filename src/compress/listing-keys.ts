/**
 * Folder keys for the maps that group listing entries. Entries come folder by folder, so an
 * entry's key is mostly the one the entry before it had: handing back that same string object,
 * which the maps have hashed already and find by identity, costs far less than a fresh copy that
 * is hashed and compared character by character (most of collapsing's time on long listings).
 * @module
 */

/** Prefixes of entry keys, one remembered per slot (a depth, or a step of the collapse). */
export class PrefixKeys {
  private readonly last: string[] = [];

  /** `full.slice(0, length)`, as the previous call's string for `slot` when that is equal. */
  prefix(slot: number, full: string, length: number): string {
    const previous = this.last[slot];
    if (previous !== undefined && previous.length === length && full.startsWith(previous)) {
      return previous;
    }
    const key = full.slice(0, length);
    this.last[slot] = key;
    return key;
  }
}

/** Joined keys (a folder and an extension): the previous one when both parts are equal. */
export class PairKeys {
  private first: string | undefined;
  private second: string | undefined;
  private key = "";

  /** `${first}\u0000${second}`, as the previous call's string when both parts are equal. */
  join(first: string, second: string): string {
    if (first !== this.first || second !== this.second) {
      this.first = first;
      this.second = second;
      this.key = `${first}\u0000${second}`;
    }
    return this.key;
  }
}
