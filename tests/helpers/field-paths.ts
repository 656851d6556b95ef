/**
 * Checks a JSON document against field paths and types as the data files under
 * tests/fixtures/original-interface write them: dots between keys, `*` for every key of a map
 * (at least one must exist), `[]` for every element of an array (at least one must exist).
 */

// biome-ignore lint/suspicious/noExplicitAny: walks arbitrary JSON
type Json = any;

function typeOf(value: Json): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

function steps(path: string): string[] {
  // "a.b[].c" → ["a", "b", "[]", "c"]; "a[][0]" → ["a", "[]", "0"].
  return path
    .replace(/\[(\d+)\]/g, ".$1")
    .replace(/\[\]/g, ".[]")
    .split(".")
    .filter((step) => step !== "");
}

/** The values at `path`, with the concrete path of each; a missing step yields `undefined`. */
function valuesAt(document: Json, path: string): { at: string; value: Json }[] {
  let current: { at: string; value: Json }[] = [{ at: "", value: document }];
  for (const step of steps(path)) {
    const next: { at: string; value: Json }[] = [];
    for (const { at, value } of current) {
      if (step === "*" || step === "[]") {
        const entries =
          value !== null && typeof value === "object" ? Object.entries(value as object) : [];
        if (entries.length === 0) next.push({ at: `${at}.${step}(empty)`, value: undefined });
        for (const [key, child] of entries) next.push({ at: `${at}.${key}`, value: child });
      } else {
        next.push({ at: `${at}.${step}`, value: value?.[step] });
      }
    }
    current = next;
  }
  return current;
}

/** Every mismatch between `document` and `fields` (path → allowed types), as readable lines. */
export function fieldMismatches(document: Json, fields: Record<string, string>): string[] {
  const problems: string[] = [];
  for (const [path, types] of Object.entries(fields)) {
    const allowed = types.split("|");
    for (const { at, value } of valuesAt(document, path)) {
      const actual = value === undefined ? "missing" : typeOf(value);
      if (!allowed.includes(actual)) problems.push(`${path} (${at}): ${actual}, want ${types}`);
    }
  }
  return problems;
}
