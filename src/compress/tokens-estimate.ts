/**
 * A cheap token estimate without any tokenizer table, for gating decisions ("is this worth
 * compressing", "did the rewrite get smaller"). It walks the text once and mimics o200k's
 * pre-tokenizer: letter runs (split at lower-to-upper case changes), digit groups of up to three,
 * punctuation runs, whitespace runs and newlines each become pieces, and each piece is priced by
 * its length and shape. The prices were fitted against exact o200k counts of parity fixtures,
 * real logs, listings, source code, JSON, diffs and HTML. Measured error: mean 5% (3% on the
 * parity inputs), JSON/logs/code/diffs/search within 10%, the worst kinds 13% under (ls -l and
 * ps tables, whose rare words split into more tokens than their shape suggests); 6% mean on
 * samples held out of the fit. Reported figures never use this: they use countTokens.
 * @module
 */

/** Texts longer than this (about 1 ms of scanning) are estimated from four evenly spaced 32 K windows. */
const FULL_SCAN_MAX = 128 * 1024;
const WINDOWS = 4;
const WINDOW_SIZE = 32 * 1024;

/** Letters a lowercase (or capitalised) word may have before it costs more than one token. */
const WORD_FREE = 5;
/** Extra letters per additional token beyond WORD_FREE. */
const WORD_PER = 8;
/** The same for all-uppercase runs ("ERROR" is one token, long acronyms split sooner). */
const UPPER_FREE = 5;
const UPPER_PER = 4;
/** Words without any vowel (hashes, "rwxr", "xvf") are rare in the vocabulary: 0.6 per letter. */
const NO_VOWEL_PER_LETTER = 0.7;
/** ...except these everyday ones, which are single tokens. */
const COMMON_NO_VOWEL = new Set(
  "http https www npm pnpm src css html xml sql std str pkg cmd ctx cfg tmp dst msg px dll rpc tcp pwd sh nfs cwd mkdir rm ls fn".split(
    " ",
  ),
);
/** A word glued to one leading punctuation mark (".foo", "/usr") is slightly dearer. */
const GLUED_PREFIX = 0.2;
/** Each non-ASCII letter inside a word (accents, Cyrillic, Greek) adds this much. */
const NON_ASCII_LETTER = 0.1;
/** CJK ideographs, kana and hangul: about 0.7 tokens each. */
const CJK = 0.7;
/** Astral characters (emoji) and other symbols. */
const ASTRAL = 1.2;
const OTHER_SYMBOL = 0.7;
/** Punctuation runs: mixed runs up to 4 chars are one token; runs of one repeated char merge well. */
const PUNCT_PER = 5;
const REPEAT_PER = 32;
/** Runs of spaces are one token per 8 beyond the first. */
const SPACE_PER = 8;

/** Estimates the o200k token count of `text` in one linear pass (sampled above 128 K chars). */
export function estimateTokens(text: string): number {
  const n = text.length;
  if (n === 0) return 0;
  if (n <= FULL_SCAN_MAX) return Math.max(1, Math.round(estimateRange(text, 0, n)));
  // Evenly spaced windows, deterministic; the scale-up keeps the estimate proportional to length.
  let sampled = 0;
  let total = 0;
  const stride = Math.floor((n - WINDOW_SIZE) / (WINDOWS - 1));
  for (let w = 0; w < WINDOWS; w++) {
    const start = w * stride;
    total += estimateRange(text, start, start + WINDOW_SIZE);
    sampled += WINDOW_SIZE;
  }
  return Math.max(1, Math.round((total * n) / sampled));
}

/** Prices the pieces of text[start, end). */
function estimateRange(text: string, start: number, end: number): number {
  let total = 0;
  let glued = 0;
  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (isLetter(c)) {
      i = priceWord(text, i, end);
      total += wordPrice + glued;
      glued = 0;
      continue;
    }
    if (c >= 48 && c <= 57) {
      let len = 0;
      while (i < end && isDigit(text.charCodeAt(i))) {
        len++;
        i++;
      }
      total += Math.ceil(len / 3);
      continue;
    }
    if (c === 10 || c === 13) {
      while (i < end && isNewline(text.charCodeAt(i))) i++;
      total += 1;
      continue;
    }
    if (c === 32 || c === 9) {
      let len = 0;
      while (i < end && isBlank(text.charCodeAt(i))) {
        len++;
        i++;
      }
      if (i >= end) {
        total += 1;
        continue;
      }
      const next = text.charCodeAt(i);
      // Blanks before a newline merge into the newline's token.
      if (isNewline(next)) continue;
      // The last blank joins a following word or punctuation run; digits get their own piece.
      const rest = isLetter(next) || isPunct(next) ? len - 1 : len;
      if (rest > 0) total += 1 + Math.floor((rest - 1) / SPACE_PER);
      continue;
    }
    if (isPunct(c)) {
      const afterBlank = i > start && isBlank(text.charCodeAt(i - 1));
      let len = 0;
      let same = true;
      while (i < end) {
        const d = text.charCodeAt(i);
        if (!isPunct(d)) break;
        if (d !== c) same = false;
        len++;
        i++;
      }
      // A single mark right before a word is part of that word's piece, unless a blank took it.
      if (len === 1 && !afterBlank && i < end && isLetter(text.charCodeAt(i))) {
        glued = GLUED_PREFIX;
        continue;
      }
      total += same && len > 3 ? 1 + len / REPEAT_PER : Math.ceil(len / PUNCT_PER);
      // Newlines right after punctuation (",\n", "{\n") belong to the same piece.
      while (i < end && isNewline(text.charCodeAt(i))) i++;
      continue;
    }
    if (isCjk(c)) total += CJK;
    else if (c >= 0xd800 && c <= 0xdbff) {
      total += ASTRAL;
      i++;
    } else total += OTHER_SYMBOL;
    i++;
  }
  return total;
}

/** Price of the word most recently scanned by priceWord (avoids allocating a tuple per word). */
let wordPrice = 0;

/** Scans a letter run from `i`, sets wordPrice, returns the index after the run. */
function priceWord(text: string, from: number, end: number): number {
  let price = 0;
  let i = from;
  let partLen = 0;
  let partUpper = true;
  let vowels = 0;
  let prevLower = false;
  while (i < end) {
    const d = text.charCodeAt(i);
    if (d >= 97 && d <= 122) {
      if (isVowel(d | 0x20)) vowels++;
      partUpper = false;
      prevLower = true;
    } else if (d >= 65 && d <= 90) {
      // o200k starts a new piece at an uppercase letter that follows a lowercase one.
      if (prevLower) {
        price += partPrice(partLen, partUpper, vowels);
        partLen = 0;
        partUpper = true;
        vowels = 0;
      }
      if (isVowel(d | 0x20)) vowels++;
      prevLower = false;
    } else if (isNonAsciiLetter(d)) {
      price += NON_ASCII_LETTER;
      vowels++;
      partUpper = false;
      prevLower = true;
    } else break;
    partLen++;
    i++;
  }
  if (vowels === 0 && partLen >= 3 && partLen <= 5) {
    const part = text.slice(i - partLen, i).toLowerCase();
    if (COMMON_NO_VOWEL.has(part)) vowels = 1;
  }
  wordPrice = price + partPrice(partLen, partUpper, vowels);
  return i;
}

function partPrice(len: number, upper: boolean, vowels: number): number {
  if (len === 0) return 0;
  if (vowels === 0 && len >= 3) return Math.max(1, len * NO_VOWEL_PER_LETTER);
  if (upper) return len <= UPPER_FREE ? 1 : 1 + (len - UPPER_FREE) / UPPER_PER;
  return len <= WORD_FREE ? 1 : 1 + (len - WORD_FREE) / WORD_PER;
}

function isVowel(lower: number): boolean {
  return (
    lower === 97 ||
    lower === 101 ||
    lower === 105 ||
    lower === 111 ||
    lower === 117 ||
    lower === 121
  );
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isNewline(c: number): boolean {
  return c === 10 || c === 13;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || isNonAsciiLetter(c);
}

/** Latin-1 letters through the Indic scripts (U+00C0-U+1FFF, minus the two math signs). */
function isNonAsciiLetter(c: number): boolean {
  return c >= 0xc0 && c < 0x2000 && c !== 0xd7 && c !== 0xf7;
}

function isPunct(c: number): boolean {
  return (
    (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126)
  );
}

function isCjk(c: number): boolean {
  return (
    (c >= 0x2e80 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af) || (c >= 0xf900 && c <= 0xfaff)
  );
}
