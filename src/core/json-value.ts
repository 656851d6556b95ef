/**
 * Reading parsed JSON of unknown shape: a value as an object or as an array, or nothing.
 * @module
 */

/** A JSON object. */
export type Json = Record<string, unknown>;

/** `value` when it is a plain object (not null, not an array). */
export function obj(value: unknown): Json | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Json)
    : undefined;
}

/** `value` when it is an array, else an empty one. */
export function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
