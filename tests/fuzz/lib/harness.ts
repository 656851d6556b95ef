/**
 * The fuzz harness: a target generates an input from a seed and checks properties on it; a
 * failure names the property, and the minimizer shrinks the input while the same property fails.
 * @module
 */

import { Rng } from "./rng.ts";

/** A broken property (what the fuzzer reports and the minimizer preserves). */
export class PropertyError extends Error {
  constructor(
    readonly property: string,
    detail: string,
  ) {
    super(`${property}: ${detail}`);
  }
}

export function fail(property: string, detail = ""): never {
  throw new PropertyError(property, detail);
}

/** What a fuzz target does. Inputs are plain JSON values, so a reproducer is their JSON. */
export interface Target<I> {
  readonly name: string;
  generate(rng: Rng): I;
  /** Throws (a PropertyError, or anything an unguarded call threw) when a property breaks. */
  check(input: I): void;
  /** Smaller variants of `input`, for minimizing a failure. */
  shrink?: ((input: I) => Iterable<I>) | undefined;
}

export interface Failure {
  readonly target: string;
  readonly seed: number;
  readonly property: string;
  readonly message: string;
  readonly input: unknown;
}

function propertyOf(error: unknown): string {
  if (error instanceof PropertyError) return error.property;
  return `exception:${(error as Error)?.name ?? typeof error}`;
}

/** Runs the check of `input`; returns the failure (property + message) or undefined. */
export function probe<I>(
  target: Target<I>,
  input: I,
): { property: string; message: string } | undefined {
  try {
    target.check(input);
    return undefined;
  } catch (error) {
    const message = (error as Error)?.stack ?? String(error);
    return { property: propertyOf(error), message };
  }
}

/** Generates the input of `seed` and checks it. */
export function runSeed<I>(target: Target<I>, seed: number): Failure | undefined {
  const input = target.generate(new Rng(seed));
  const failed = probe(target, input);
  return failed && { target: target.name, seed, ...failed, input };
}

/** Runs seeds `from .. from+count-1`; returns every failure (the suite asserts there are none). */
export function runSeeds<I>(target: Target<I>, from: number, count: number): Failure[] {
  const failures: Failure[] = [];
  for (let seed = from; seed < from + count; seed++) {
    const failure = runSeed(target, seed);
    if (failure) failures.push(failure);
  }
  return failures;
}

/** Shrinks `input` greedily while the same property keeps failing, within a time budget. */
export function minimize<I>(target: Target<I>, input: I, property: string, budgetMs: number): I {
  if (!target.shrink) return input;
  const deadline = performance.now() + budgetMs;
  let current = input;
  let improved = true;
  while (improved && performance.now() < deadline) {
    improved = false;
    for (const candidate of target.shrink(current)) {
      if (performance.now() >= deadline) break;
      if (probe(target, candidate)?.property === property) {
        current = candidate;
        improved = true;
        break;
      }
    }
  }
  return current;
}

/** Smaller variants of a string: whole line runs first, then character runs. */
export function* shrinkString(text: string): Generator<string> {
  if (text.length === 0) return;
  const lines = text.split("\n");
  if (lines.length > 1) {
    for (let chunk = Math.ceil(lines.length / 2); chunk >= 1; chunk = Math.floor(chunk / 2)) {
      for (let i = 0; i < lines.length; i += chunk) {
        yield [...lines.slice(0, i), ...lines.slice(i + chunk)].join("\n");
      }
    }
  }
  const smallest = text.length > 4000 ? Math.ceil(text.length / 64) : 1;
  for (let chunk = Math.ceil(text.length / 2); chunk >= smallest; chunk = Math.floor(chunk / 2)) {
    for (let i = 0; i < text.length; i += chunk) yield text.slice(0, i) + text.slice(i + chunk);
  }
}

/** Smaller variants of a JSON value: array items and object members dropped, strings shrunk. */
export function* shrinkJsonValue(value: unknown): Generator<unknown> {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield [...value.slice(0, i), ...value.slice(i + 1)];
    for (let i = 0; i < value.length; i++) {
      for (const smaller of shrinkJsonValue(value[i])) {
        yield [...value.slice(0, i), smaller, ...value.slice(i + 1)];
      }
    }
  } else if (value !== null && typeof value === "object") {
    const entries = Object.entries(value);
    for (let i = 0; i < entries.length; i++) {
      yield Object.fromEntries([...entries.slice(0, i), ...entries.slice(i + 1)]);
    }
    for (let i = 0; i < entries.length; i++) {
      for (const smaller of shrinkJsonValue(entries[i]![1])) {
        const copy = entries.slice();
        copy[i] = [entries[i]![0], smaller];
        yield Object.fromEntries(copy);
      }
    }
  } else if (typeof value === "string" && value.length > 0) {
    // A few cuts only: the string shrinker proper runs on the reproducer's main text.
    yield value.slice(0, Math.floor(value.length / 2));
    yield value.slice(Math.floor(value.length / 2));
    if (value.length > 1) yield value.slice(1);
  }
}

/** Base64 of bytes (reproducers are JSON). */
export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

export function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
