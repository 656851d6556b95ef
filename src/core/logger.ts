/**
 * Structured logging: one JSON object per line. Callers pass only fields they built themselves,
 * never request headers; as a second line of defence every string is scrubbed of anything shaped
 * like a credential, because error messages from runtimes and libraries echo what they were given.
 * @module
 */

import type { LogLevel } from "./config.ts";

/** Fields of one log line. */
export type LogFields = Record<string, string | number | boolean | undefined | null>;

/** A leveled structured logger. */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

// A secret's characters; never a quote or backslash, so a scrubbed string keeps its escapes.
const SECRET = "[^\\s\"'\\\\,;&#<>(){}\\[\\]]+";
const REDACTIONS: ReadonlyArray<[RegExp, string]> = [
  // A header or field that names a credential, and its value (with its auth scheme, if any).
  [
    new RegExp(
      `\\b((?:proxy-)?authorization|x-api-key|api[_-]?key|x-goog-api-key|x-headroom-proxy-token|access[_-]?token|client[_-]?secret|password)(["']?\\s*[:=]\\s*["']?(?:bearer\\s+)?)${SECRET}`,
      "gi",
    ),
    "$1$2[redacted]",
  ],
  // An Authorization value on its own: "Bearer <token>".
  [/\b(bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, "$1[redacted]"],
  // OpenAI (sk-, sk-proj-) and Anthropic (sk-ant-) keys, wherever they appear.
  [/\bsk-[A-Za-z0-9][A-Za-z0-9_-]{6,}/g, "sk-[redacted]"],
  // Google API keys.
  [/\bAIza[0-9A-Za-z_-]{20,}/g, "[redacted]"],
  // Query parameters that carry credentials (?key=, &api_key=, &token=, &sig=, ...).
  [
    new RegExp(
      `([?&](?:key|api[_-]?key|access[_-]?token|token|auth|sig|signature)=)${SECRET}`,
      "gi",
    ),
    "$1[redacted]",
  ],
  // Credentials inside a URL: scheme://user:password@host.
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@"'\\]+@/gi, "$1[redacted]@"],
];

// Every pattern above needs one of these in its match: one cheap test spares the usual field
// (a method, a path, a model name) the six replacements. Keep it in step with REDACTIONS.
const MIGHT_HOLD_SECRET = /sk-|aiza|bearer|key|token|secret|password|auth|sig|@/i;

// Strings found clean before: a method, a path, a model or an outcome repeats on nearly every
// line, and a set lookup costs a tenth of the test. Two generations, so strings that never come
// back (request ids) pass through without pushing out those that do.
const CLEAN_GENERATION = 512;
const CLEAN_LENGTH_MAX = 256;
let knownClean = new Set<string>();
let knownCleanBefore = new Set<string>();

/** True when `text` has nothing a redaction could match, remembered for short strings. */
function isClean(text: string): boolean {
  if (knownClean.has(text)) return true;
  if (knownCleanBefore.has(text)) {
    knownClean.add(text);
    return true;
  }
  if (MIGHT_HOLD_SECRET.test(text)) return false;
  if (text.length <= CLEAN_LENGTH_MAX) {
    if (knownClean.size >= CLEAN_GENERATION) {
      knownCleanBefore = knownClean;
      knownClean = new Set();
    }
    knownClean.add(text);
  }
  return true;
}

/** `text` with everything shaped like a credential replaced by "[redacted]". */
function redactSecrets(text: string): string {
  if (isClean(text)) return text;
  let out = text;
  for (const [pattern, replacement] of REDACTIONS) out = out.replace(pattern, replacement);
  return out;
}

/** `fields` with every string scrubbed; the same object when nothing needed it. */
function redactFields(fields: LogFields): LogFields {
  let out = fields;
  for (const name in fields) {
    const value = fields[name];
    if (typeof value !== "string") continue;
    const clean = redactSecrets(value);
    if (clean === value) continue;
    if (out === fields) out = { ...fields };
    out[name] = clean;
  }
  return out;
}

// Per-line work that repeats: the timestamp changes once a millisecond however many lines share
// it, and messages are mostly a handful of constants ("request"), encoded once each.
let stampedAt = Number.NaN;
let stamp = "";
function timestamp(): string {
  const now = Date.now();
  if (now !== stampedAt) {
    stampedAt = now;
    stamp = new Date(now).toISOString();
  }
  return stamp;
}

const MAX_ENCODED_MESSAGES = 256;
const encodedMessages = new Map<string, string>();
function encodedMessage(msg: string): string {
  let encoded = encodedMessages.get(msg);
  if (encoded === undefined) {
    encoded = JSON.stringify(redactSecrets(msg));
    if (encodedMessages.size < MAX_ENCODED_MESSAGES) encodedMessages.set(msg, encoded);
  }
  return encoded;
}

/** Creates a logger writing lines at or above `level` through `write`. */
export function createLogger(level: () => LogLevel, write: (line: string) => void): Logger {
  function emit(at: LogLevel, msg: string, fields?: LogFields): void {
    if (RANK[at] < RANK[level()]) return;
    // Written as text around one stringify of the fields: no merged copy per line.
    const head = `{"ts":"${timestamp()}","level":"${at}","msg":${encodedMessage(msg)}`;
    const rest = fields ? JSON.stringify(redactFields(fields)) : "{}";
    write(rest === "{}" ? `${head}}` : `${head},${rest.slice(1)}`);
  }
  return {
    debug: (msg, fields) => emit("debug", msg, fields),
    info: (msg, fields) => emit("info", msg, fields),
    warn: (msg, fields) => emit("warn", msg, fields),
    error: (msg, fields) => emit("error", msg, fields),
  };
}
