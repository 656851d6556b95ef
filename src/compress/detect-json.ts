/**
 * A validating JSON scanner that builds nothing and can stop early. Detection only needs to know
 * whether a text is JSON, and the JSON compressor will parse it anyway, so instead of running
 * JSON.parse over a multi-megabyte text twice, the detector validates at most a bounded prefix
 * (see detect.ts) and checks that the text ends with the matching closer.
 * @module
 */

/** What scanning found. */
export interface JsonScan {
  /** "complete": the whole range is valid; "prefix": valid up to the scan limit; else "invalid". */
  readonly result: "complete" | "prefix" | "invalid";
  /** Top-level values seen (more than one only in JSON Lines). */
  readonly values: number;
  /** Whether the top-level values were objects each on a line of its own (JSON Lines shape). */
  readonly lineObjects: boolean;
}

const INVALID: JsonScan = { result: "invalid", values: 0, lineObjects: false };

// Scanner states.
const VALUE = 0; // a value is required
const VALUE_OR_CLOSE = 1; // just after "[": a value or "]"
const KEY_OR_CLOSE = 2; // just after "{": a key or "}"
const KEY = 3; // after "," in an object: a key is required
const COLON = 4; // after a key
const AFTER_VALUE = 5; // "," or a closer, or the end of a top-level value

/**
 * Scans text[start, stop) as one JSON value or as JSON Lines (several top-level objects, each on
 * its own line); `end` is where the text's content really ends, so stop < end means the scan was
 * cut short on purpose and running out of input is not an error.
 */
export function scanJson(text: string, start: number, stop: number, end: number): JsonScan {
  const truncated = stop < end;
  const stack: number[] = [];
  let state = VALUE;
  let values = 0;
  let lineObjects = true;
  let newlineSinceValue = true;
  let i = start;
  while (i < stop) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) {
      if (c === 10) {
        if (stack.length > 0) lineObjects = false;
        else newlineSinceValue = true;
      }
      i++;
      continue;
    }
    if (stack.length === 0 && state === AFTER_VALUE) {
      // Another top-level value: only JSON Lines allows that.
      if (!newlineSinceValue) return INVALID;
      state = VALUE;
    }
    if (state === COLON) {
      if (c !== 58) return INVALID;
      state = VALUE;
      i++;
      continue;
    }
    if (state === AFTER_VALUE) {
      if (c === 44) {
        state = stack[stack.length - 1] === 123 ? KEY : VALUE;
      } else if ((c === 125 || c === 93) && stack[stack.length - 1] === c - 2) {
        stack.pop();
        state = AFTER_VALUE;
        if (stack.length === 0) newlineSinceValue = false;
      } else return INVALID;
      i++;
      continue;
    }
    if (state === KEY || state === KEY_OR_CLOSE) {
      if (c === 125 && state === KEY_OR_CLOSE) {
        stack.pop();
        state = AFTER_VALUE;
        if (stack.length === 0) newlineSinceValue = false;
        i++;
        continue;
      }
      if (c !== 34) return INVALID;
      i = skipString(text, i, stop);
      if (i < 0) return i === CUT && truncated ? prefix(values, lineObjects) : INVALID;
      state = COLON;
      continue;
    }
    // state is VALUE or VALUE_OR_CLOSE
    if (c === 93 && state === VALUE_OR_CLOSE) {
      stack.pop();
      state = AFTER_VALUE;
      if (stack.length === 0) newlineSinceValue = false;
      i++;
      continue;
    }
    if (stack.length === 0) {
      values++;
      if (c !== 123) lineObjects = false;
      if (c !== 123 && c !== 91) return INVALID; // top level must be an object or an array
    }
    if (c === 123 || c === 91) {
      stack.push(c);
      state = c === 123 ? KEY_OR_CLOSE : VALUE_OR_CLOSE;
      i++;
      continue;
    }
    if (c === 34) i = skipString(text, i, stop);
    else if (c === 45 || (c >= 48 && c <= 57)) i = skipNumber(text, i, stop);
    else if (c === 116) i = skipWord(text, i, stop, "true");
    else if (c === 102) i = skipWord(text, i, stop, "false");
    else if (c === 110) i = skipWord(text, i, stop, "null");
    else return INVALID;
    if (i < 0) return i === CUT && truncated ? prefix(values, lineObjects) : INVALID;
    state = AFTER_VALUE;
  }
  if (truncated) return prefix(values, lineObjects);
  if (stack.length > 0 || state !== AFTER_VALUE || values === 0) return INVALID;
  return { result: "complete", values, lineObjects: lineObjects && values > 1 };
}

function prefix(values: number, lineObjects: boolean): JsonScan {
  return { result: "prefix", values, lineObjects: lineObjects && values > 1 };
}

/** Returned by the skip functions when the input ended inside a token. */
const CUT = -1;
/** Returned when the token is malformed. */
const BAD = -2;

/** Skips a string starting at the quote at `i`; returns the index after the closing quote. */
function skipString(text: string, i: number, stop: number): number {
  let j = i + 1;
  while (j < stop) {
    const c = text.charCodeAt(j);
    if (c === 34) return j + 1;
    if (c < 32) return BAD;
    if (c === 92) {
      if (j + 1 >= stop) return CUT;
      const e = text.charCodeAt(j + 1);
      if (e === 117) {
        for (let k = 2; k < 6; k++) {
          if (j + k >= stop) return CUT;
          if (!isHex(text.charCodeAt(j + k))) return BAD;
        }
        j += 6;
        continue;
      }
      // " \ / b f n r t
      if (e !== 34 && e !== 92 && e !== 47 && e !== 98 && e !== 102 && e !== 110) {
        if (e !== 114 && e !== 116) return BAD;
      }
      j += 2;
      continue;
    }
    j++;
  }
  return CUT;
}

/** Skips a number (-?(0|[1-9]d*)(.d+)?([eE][+-]?d+)?) starting at `i`. */
function skipNumber(text: string, i: number, stop: number): number {
  let j = i;
  if (text.charCodeAt(j) === 45) j++;
  if (j >= stop) return CUT;
  if (text.charCodeAt(j) === 48) j++;
  else if (isDigit(text.charCodeAt(j))) {
    while (j < stop && isDigit(text.charCodeAt(j))) j++;
  } else return BAD;
  if (j < stop && text.charCodeAt(j) === 46) {
    j++;
    if (j >= stop) return CUT;
    if (!isDigit(text.charCodeAt(j))) return BAD;
    while (j < stop && isDigit(text.charCodeAt(j))) j++;
  }
  if (j < stop && (text.charCodeAt(j) | 0x20) === 101) {
    j++;
    if (j < stop && (text.charCodeAt(j) === 43 || text.charCodeAt(j) === 45)) j++;
    if (j >= stop) return CUT;
    if (!isDigit(text.charCodeAt(j))) return BAD;
    while (j < stop && isDigit(text.charCodeAt(j))) j++;
  }
  // A number cut by the scan limit may continue: only a delimiter proves it ended.
  if (j >= stop) return CUT;
  return j;
}

function skipWord(text: string, i: number, stop: number, word: string): number {
  for (let k = 0; k < word.length; k++) {
    if (i + k >= stop) return CUT;
    if (text.charCodeAt(i + k) !== word.charCodeAt(k)) return BAD;
  }
  return i + word.length;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || ((c | 0x20) >= 97 && (c | 0x20) <= 102);
}
