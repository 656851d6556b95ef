/**
 * A cheap test that lets a request skip the rewrite stage, for bodies with nothing it could edit.
 * @module
 */

/**
 * True when the rewrite stage could not change a body with this `text`, so the original bytes
 * can go without planning anything. Safe because every rewrite needs one of these words in the
 * decoded body: tool outputs (`tool_result`, `"role":"tool"`, `function_call_output`), the
 * client's tools (`tools`, which the retrieve offer hangs on), hidden-call anchors (`tool_use`,
 * `tool_calls`, `function_call`) and markers (`headroom`). A `\u` escape could spell any of them
 * without the raw text showing it, so a body with one takes the full path. Output shaping edits
 * bodies without tools, so it must not apply (`shapes` false).
 */
export function nothingToRewrite(text: string, shapes: boolean): boolean {
  return (
    !shapes &&
    !text.includes("tool") &&
    !text.includes("function_call") &&
    !text.includes("headroom") &&
    !text.includes("\\u")
  );
}
