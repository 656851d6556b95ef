/**
 * Bad query parameters on /stats and /stats-history, answered as the original Headroom answers
 * them: 422 with FastAPI's validation document, one entry per bad parameter, so a script written
 * against the original reads the same `detail[].loc` and `msg` here.
 * @module
 */

/** One rejected query parameter, in FastAPI's (pydantic 2) validation-error shape. */
export interface QueryError {
  readonly type: "literal_error" | "bool_parsing";
  readonly loc: readonly ["query", string];
  readonly msg: string;
  readonly input: string;
  readonly ctx?: { readonly expected: string };
}

/** `'a', 'b' or 'c'`: how pydantic lists the allowed values of a Literal. */
function expected(allowed: readonly string[]): string {
  const quoted = allowed.map((value) => `'${value}'`);
  return quoted.length < 2
    ? (quoted[0] ?? "")
    : `${quoted.slice(0, -1).join(", ")} or ${quoted.at(-1)}`;
}

/** The error for a value outside a fixed list. */
export function literalError(name: string, input: string, allowed: readonly string[]): QueryError {
  return {
    type: "literal_error",
    loc: ["query", name],
    msg: `Input should be ${expected(allowed)}`,
    input,
    ctx: { expected: expected(allowed) },
  };
}

// The words pydantic reads as a boolean, either way.
const TRUE_WORDS = ["1", "on", "t", "true", "y", "yes"];
const FALSE_WORDS = ["0", "off", "f", "false", "n", "no"];

/** A boolean query parameter read as pydantic reads it, or its error. */
export function queryBoolean(name: string, input: string): boolean | QueryError {
  const word = input.toLowerCase();
  if (TRUE_WORDS.includes(word)) return true;
  if (FALSE_WORDS.includes(word)) return false;
  return {
    type: "bool_parsing",
    loc: ["query", name],
    msg: "Input should be a valid boolean, unable to interpret input",
    input,
  };
}

/** The 422 answer carrying every rejected parameter. */
export function validationResponse(errors: readonly QueryError[]): Response {
  return Response.json({ detail: errors }, { status: 422 });
}
