/**
 * JSON a client cut off (Claude Code's 2 KB preview, Codex's head before its cut, a tool's own
 * size limit): what parses is closed at the last complete value, so the JSON compressor can
 * work on it, and a note after it says where the original stopped and what partial value
 * followed. One linear pass, no regex.
 * @module
 */

/** A cut JSON text made whole: the complete part with its brackets closed, and what followed. */
export interface ClosedPrefix {
  readonly closed: string;
  /** The text after the last complete value (a partial value, a comma, whitespace). */
  readonly rest: string;
}

/** Deeper documents are left alone: a safe point after a bracket copies the stack of open ones. */
const MAX_DEPTH = 64;

enum Expect {
  Value,
  AfterValue,
  Key,
  Colon,
}

/**
 * Closes `text` if it is an object or array cut off before its end; undefined for anything else
 * (complete JSON, JSON Lines, a syntax error, or text that is not JSON at all).
 */
export function closeJsonPrefix(text: string): ClosedPrefix | undefined {
  let i = skipSpace(text, 0);
  const open = text.charCodeAt(i);
  if (open !== 123 && open !== 91) return undefined;
  const stack: number[] = [];
  let expect = Expect.Value;
  let safeAt = -1;
  let safeStack: number[] = [];
  // The stack is copied at a safe point only when it changed since the last copy: a long flat
  // array costs one copy, not one per element.
  let changed = true;
  const markSafe = (at: number) => {
    safeAt = at;
    if (changed) safeStack = stack.slice();
    changed = false;
  };
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) {
      i++;
      continue;
    }
    if (expect === Expect.Value || expect === Expect.Key) {
      if (c === 34) {
        const end = stringEnd(text, i);
        if (end < 0) break;
        i = end;
        expect = expect === Expect.Key ? Expect.Colon : Expect.AfterValue;
        if (expect === Expect.AfterValue) markSafe(i);
        continue;
      }
      if (expect === Expect.Key) {
        if (c !== 125) return undefined;
      } else if (c === 123 || c === 91) {
        if (stack.length >= MAX_DEPTH) return undefined;
        stack.push(c === 123 ? 125 : 93);
        changed = true;
        expect = c === 123 ? Expect.Key : Expect.Value;
        markSafe(++i);
        continue;
      } else if (c !== 93) {
        const end = scalarEnd(text, i);
        if (end === i) return undefined;
        if (end >= text.length) break;
        i = end;
        expect = Expect.AfterValue;
        markSafe(i);
        continue;
      }
    }
    if (expect === Expect.Colon) {
      if (c !== 58) return undefined;
      expect = Expect.Value;
      i++;
      continue;
    }
    // A closer (also right after an opener) or a comma.
    if (c === 125 || c === 93) {
      if (stack.pop() !== c) return undefined;
      changed = true;
      i++;
      if (stack.length === 0) return undefined; // complete: not a cut document
      expect = Expect.AfterValue;
      markSafe(i);
      continue;
    }
    if (c !== 44 || expect !== Expect.AfterValue) return undefined;
    expect = stack.at(-1) === 125 ? Expect.Key : Expect.Value;
    i++;
  }
  if (safeAt < 0) return undefined;
  const closers = String.fromCharCode(...safeStack.reverse());
  return { closed: text.slice(0, safeAt) + closers, rest: text.slice(safeAt) };
}

function skipSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && /\s/.test(text[i]!)) i++;
  return i;
}

/** The index after the string starting at `from`, or -1 when the text ends inside it. */
function stringEnd(text: string, from: number): number {
  for (let i = from + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92) i++;
    else if (c === 34) return i + 1;
  }
  return -1;
}

/** The end of a number or literal starting at `from` (its characters only; validated by the compressor's parse). */
function scalarEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    const numeric = (c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46;
    const letter = c >= 97 && c <= 122;
    if (!numeric && !letter && c !== 69) break;
    i++;
  }
  return i;
}
