/**
 * The kinds of value a setting takes: how its text is read and what a valid one looks like, so an
 * error can say "--port must be an integer from 0 to 65535 (got "abc")".
 * @module
 */

import { normalizeBaseUrl } from "./upstream-url.ts";

/** How one setting's text becomes its value. */
export interface ValueKind<T> {
  /** What a valid value is, worded to follow "must be". */
  readonly expects: string;
  /** The value, or undefined when the text is not a valid one; `homeDir` expands a leading `~/`. */
  read(text: string, homeDir: string): T | undefined;
}

const TRUE_WORDS = new Set(["1", "true", "yes", "on"]);
const FALSE_WORDS = new Set(["0", "false", "no", "off", ""]);

/** On or off: 1/true/yes/on or 0/false/no/off, any case. */
export const onOff: ValueKind<boolean> = {
  expects: "true or false (1/0, yes/no, on/off)",
  read(text) {
    const word = text.trim().toLowerCase();
    if (TRUE_WORDS.has(word)) return true;
    if (FALSE_WORDS.has(word)) return false;
    return undefined;
  },
};

function numberIn(text: string, min: number, max: number): number | undefined {
  const trimmed = text.trim();
  const n = Number(trimmed);
  return trimmed !== "" && Number.isFinite(n) && n >= min && n <= max ? n : undefined;
}

/** A number in [min, max], fractions allowed. */
export function decimal(min: number, max: number): ValueKind<number> {
  return { expects: `a number from ${min} to ${max}`, read: (text) => numberIn(text, min, max) };
}

/** A whole number in [min, max]. */
export function integer(min: number, max: number): ValueKind<number> {
  return {
    expects: `an integer from ${min} to ${max}`,
    read(text) {
      const n = numberIn(text, min, max);
      return n !== undefined && Number.isInteger(n) ? n : undefined;
    },
  };
}

/** A duration typed in seconds (fractions allowed) and used in milliseconds. */
export function seconds(min: number, max: number): ValueKind<number> {
  return {
    expects: `a number of seconds from ${min} to ${max}`,
    read(text) {
      const n = numberIn(text, min, max);
      return n === undefined ? undefined : n * 1000;
    },
  };
}

/** One of a few words, any case. */
export function oneOf<const W extends string>(words: readonly W[]): ValueKind<W> {
  const last = words.at(-1);
  return {
    expects: `${words.slice(0, -1).join(", ")} or ${last}`,
    read(text) {
      const word = text.trim().toLowerCase();
      return words.find((w) => w === word);
    },
  };
}

/** Any text, taken as typed. */
export const text: ValueKind<string> = { expects: "text", read: (value) => value };

/** A directory; a leading `~/` means the home directory (a shell expands it only in flags). */
export const directory: ValueKind<string> = {
  expects: "a directory",
  read: (value, homeDir) => (value.startsWith("~/") ? `${homeDir}${value.slice(1)}` : value),
};

/** Any text, taken as typed; nothing when unset. */
export const optionalText: ValueKind<string | undefined> = text;

/** Comma-separated names; blanks are dropped. */
export const nameList: ValueKind<readonly string[]> = {
  expects: "comma-separated names",
  read: (value) =>
    value
      .split(",")
      .map((name) => name.trim())
      .filter((name) => name !== ""),
};

/** An upstream base URL, normalised (see upstream-url.ts). */
export const baseUrl: ValueKind<string> = {
  expects: "an http(s) URL without query or fragment",
  read(value) {
    try {
      return normalizeBaseUrl(value);
    } catch {
      return undefined;
    }
  },
};
