/**
 * Finds the array items that report a problem: error or warning fields of objects (`"status":
 * "failed"`, `"level":"warn"`, a non-empty `"error"`, `"status_code":503`), log-like strings, and
 * (weaker) free text that merely mentions a failure. These items are kept by row selection.
 * @module
 */

import { JsonNumber, JsonObject, type JsonValue } from "./json-value.ts";
import { newMeter, type WorkMeter } from "./work-meter.ts";

/** How loudly an item reports a problem. */
export const Alarm = { none: 0, mention: 1, warning: 2, error: 3 } as const;
export type AlarmLevel = (typeof Alarm)[keyof typeof Alarm];

const STATUS_SUFFIXES = [
  "status",
  "state",
  "level",
  "severity",
  "result",
  "conclusion",
  "outcome",
  "health",
  "phase",
  "verdict",
  "levelname",
  "lvl",
];
const CODE_KEYS = new Set([
  "status",
  "status_code",
  "statuscode",
  "http_status",
  "httpstatus",
  "code",
  "response_code",
  "responsecode",
]);
const ERROR_KEY = /error|exception|traceback|stack_?trace|failure|fault|panic|^errs?$/;
/** Error-named settings rather than error reports (`failureThreshold`, `error_rate`, ...). */
const ERROR_SETTING =
  /threshold|limit|max|min|policy|allow|ignore|expect|handl|rate|toleran|budget|mode|format|url|doc|retr|percent|ratio/;
const ERROR_VALUE =
  /error|fail|fatal|critical|^crit$|emerg|panic|crash|exception|timeout|timed.?out|denied|rejected|abort|unhealthy|oomkill|broken|^err$/i;
const WARN_VALUE = /warn|degraded|deprecat|unstable|flaky/i;
const NEUTRAL_ERROR_VALUES = new Set(["", "none", "null", "nil", "ok", "0", "false", "n/a", "no"]);
const ERROR_WORDS =
  /\b(?:errors?|exceptions?|fatal|panic(?:ked)?|traceback|fail(?:ed|ure|ures|ing|s)?|crash(?:ed|es)?|abort(?:ed)?|timed out|timeout|denied|refused|unauthori[sz]ed|forbidden|segfault|uncaught|unhandled)\b/i;
const WARN_WORDS = /\b(?:warn(?:ing|ings)?|deprecated)\b/i;
/** Free text longer than this is not scanned word by word (cost stays linear and small). */
const MAX_SCANNED = 4000;

const KeyKind = { plain: 0, error: 1, status: 2, code: 3, statusOrCode: 4 } as const;
type KeyKindValue = (typeof KeyKind)[keyof typeof KeyKind];

// Keys repeat across rows: classify each distinct key once.
const keyKinds = new Map<string, KeyKindValue>();
function keyKind(key: string): KeyKindValue {
  let kind = keyKinds.get(key);
  if (kind === undefined) {
    const lower = key.toLowerCase();
    const status = STATUS_SUFFIXES.some((suffix) => lower.endsWith(suffix));
    const code = CODE_KEYS.has(lower);
    if (ERROR_KEY.test(lower) && !ERROR_SETTING.test(lower)) kind = KeyKind.error;
    else if (status && code) kind = KeyKind.statusOrCode;
    else if (status) kind = KeyKind.status;
    else if (code) kind = KeyKind.code;
    else kind = KeyKind.plain;
    if (keyKinds.size > 10_000) keyKinds.clear();
    keyKinds.set(key, kind);
  }
  return kind;
}

function errorValueSet(value: JsonValue): boolean {
  if (value === null || value === false) return false;
  if (value === true) return true;
  if (typeof value === "string") return !NEUTRAL_ERROR_VALUES.has(value.trim().toLowerCase());
  if (value instanceof JsonNumber) return /^[1-9][0-9]*$/.test(value.text);
  if (Array.isArray(value)) return value.length > 0;
  if (value instanceof JsonObject) return value.keys.length > 0;
  return false;
}

// Rows share key arrays (see the reader): classify each array's keys once.
const kindsByKeys = new WeakMap<readonly string[], KeyKindValue[]>();
let lastKeys: readonly string[] | undefined;
let lastKinds: KeyKindValue[] = [];
function kindsOf(keys: readonly string[]): KeyKindValue[] {
  // Consecutive rows nearly always share their key array.
  if (keys === lastKeys) return lastKinds;
  let kinds = kindsByKeys.get(keys);
  if (!kinds) {
    kinds = keys.map(keyKind);
    kindsByKeys.set(keys, kinds);
  }
  lastKeys = keys;
  lastKinds = kinds;
  return kinds;
}

function objectAlarm(object: JsonObject, depth: number, meter: WorkMeter): AlarmLevel {
  let level: AlarmLevel = Alarm.none;
  const kinds = kindsOf(object.keys);
  meter.steps += object.keys.length;
  for (let i = 0; i < object.keys.length; i++) {
    const kind = kinds[i]!;
    const value = object.values[i]!;
    if (kind === KeyKind.error) {
      if (errorValueSet(value)) return Alarm.error;
    } else if (typeof value === "string") {
      if (value.length < 4) continue;
      if ((kind === KeyKind.status || kind === KeyKind.statusOrCode) && value.length <= 64) {
        if (ERROR_VALUE.test(value)) return Alarm.error;
        if (level < Alarm.warning && WARN_VALUE.test(value)) level = Alarm.warning;
      } else if (level < Alarm.mention && value.length <= MAX_SCANNED && ERROR_WORDS.test(value)) {
        level = Alarm.mention;
      }
    } else if (value instanceof JsonNumber) {
      if (kind >= KeyKind.code && /^[45][0-9][0-9]$/.test(value.text)) return Alarm.error;
    } else if (depth < 3 && (value instanceof JsonObject || Array.isArray(value))) {
      const inner = valueAlarm(value, depth + 1, meter);
      if (inner === Alarm.error) return inner;
      if (inner > level) level = inner;
    }
  }
  return level;
}

function valueAlarm(value: JsonValue, depth: number, meter: WorkMeter): AlarmLevel {
  if (value instanceof JsonObject) return objectAlarm(value, depth, meter);
  if (Array.isArray(value)) {
    let level: AlarmLevel = Alarm.none;
    const limit = Math.min(value.length, 20);
    for (let i = 0; i < limit; i++) {
      const inner = valueAlarm(value[i]!, depth + 1, meter);
      if (inner === Alarm.error) return inner;
      if (inner > level) level = inner;
    }
    // Inside an object, a listed string only mentions a problem; it is not the item's status.
    return level === Alarm.none ? level : (Math.min(level, Alarm.warning) as AlarmLevel);
  }
  return Alarm.none;
}

function lineAlarm(line: string): AlarmLevel {
  // A string without spaces is a name (a path like `src/errors.ts`, an id), not a log line.
  if (line.indexOf(" ") < 0) return Alarm.none;
  const text = line.length > MAX_SCANNED ? line.slice(0, MAX_SCANNED) : line;
  if (ERROR_WORDS.test(text) || /\b(?:ERR|FATAL|CRIT(?:ICAL)?|SEVERE|E\d{4})\b/.test(text))
    return Alarm.error;
  if (WARN_WORDS.test(text) || /\bWRN\b/.test(text)) return Alarm.warning;
  return Alarm.none;
}

/** How loudly one array item reports a problem. Strings, and cells of array rows, count as log lines. */
export function alarmOf(item: JsonValue, meter: WorkMeter = newMeter()): AlarmLevel {
  if (typeof item === "string") return lineAlarm(item);
  if (Array.isArray(item)) {
    let level: AlarmLevel = Alarm.none;
    for (const cell of item) {
      const inner = typeof cell === "string" ? lineAlarm(cell) : valueAlarm(cell, 1, meter);
      if (inner === Alarm.error) return inner;
      if (inner > level) level = inner;
    }
    return level;
  }
  return valueAlarm(item, 0, meter);
}

/** A short form of an item's text in which numbers and hex ids no longer differ. */
export function alarmSignature(text: string): string {
  return text.slice(0, 240).replace(/[0-9a-f]{6,}|[0-9]+/gi, "#");
}
