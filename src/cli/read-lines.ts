/**
 * Reads a text file line by line without holding it whole: the original Headroom's request log
 * can be large (message bodies included with --log-messages).
 * @module
 */

import { closeSync, openSync, readSync } from "node:fs";

const CHUNK = 1 << 20;

/** The file's lines, in order; stopping early closes the file. Throws when it cannot be opened. */
export function* readLines(path: string): Generator<string> {
  const fd = openSync(path, "r");
  try {
    const decoder = new TextDecoder();
    const buffer = new Uint8Array(CHUNK);
    let pending = "";
    for (;;) {
      const read = readSync(fd, buffer, 0, CHUNK, null);
      if (read === 0) break;
      pending += decoder.decode(buffer.subarray(0, read), { stream: true });
      let newline = pending.indexOf("\n");
      let start = 0;
      while (newline >= 0) {
        yield pending.slice(start, newline);
        start = newline + 1;
        newline = pending.indexOf("\n", start);
      }
      pending = pending.slice(start);
    }
    pending += decoder.decode();
    if (pending !== "") yield pending;
  } finally {
    closeSync(fd);
  }
}
