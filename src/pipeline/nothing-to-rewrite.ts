/**
 * A cheap test that lets a request skip the rewrite stage, for bodies with nothing it could edit.
 * @module
 */

import type { PipelineDeps } from "./deps.ts";
import type { RewriteInput } from "./rewrite-request.ts";

/**
 * True when the rewrite stage could not change this body, so the original bytes can go without
 * planning anything. Safe because every rewrite needs one of these words in the decoded body:
 * tool outputs (`tool_result`, `"role":"tool"`, `function_call_output`), the client's tools
 * (`tools`, which the retrieve offer and hidden calls hang on), hidden-call anchors (`tool_use`,
 * `tool_calls`, `function_call`) and markers (`headroom`). A `\u` escape could spell any of them
 * without the raw text showing it, so a body with one takes the full path. Output shaping edits
 * bodies without tools, so it must be off (or not apply: replay mode never shapes).
 */
export function nothingToRewrite(deps: PipelineDeps, input: RewriteInput): boolean {
  if (input.mode === "compress" && deps.config.outputShaper) return false;
  const text = input.json.text;
  return (
    !text.includes("tool") &&
    !text.includes("function_call") &&
    !text.includes("headroom") &&
    !text.includes("\\u")
  );
}
