/**
 * The `headroom_retrieve` tool: its definition in each provider's shape (serialised once, so the
 * bytes are identical on every request of every session), and its injection into a request body
 * whenever that body carries a marker and the client does not declare a tool of that name.
 * @module
 */

import type { GenerationApi } from "../compress/slots.ts";
import { RETRIEVE_TOOL_NAME } from "../compress/slots.ts";
import {
  addMember,
  appendToArray,
  applySplices,
  locateValues,
  pathKey,
} from "../core/json-edit.ts";

const DESCRIPTION =
  "Fetches the complete original of a tool output that headroom shortened to save context. " +
  "Shortened outputs end with a note like [headroom: ... headroom_retrieve hash=<24 hex digits>]. " +
  "Call this with that hash when the shortened output lacks something you need; the full " +
  "original text comes back as the result.";

const INPUT_SCHEMA = {
  type: "object",
  properties: {
    hash: { type: "string", description: "The 24 hex digits that follow hash= in the note." },
  },
  required: ["hash"],
};

/** The tool definition's JSON text in each API's shape. */
export const RETRIEVE_TOOL_JSON: Readonly<Record<GenerationApi, string>> = {
  messages: JSON.stringify({
    name: RETRIEVE_TOOL_NAME,
    description: DESCRIPTION,
    input_schema: INPUT_SCHEMA,
  }),
  chat: JSON.stringify({
    type: "function",
    function: { name: RETRIEVE_TOOL_NAME, description: DESCRIPTION, parameters: INPUT_SCHEMA },
  }),
  responses: JSON.stringify({
    type: "function",
    name: RETRIEVE_TOOL_NAME,
    description: DESCRIPTION,
    parameters: INPUT_SCHEMA,
    strict: false,
  }),
};

/** True when the client already declares a tool named headroom_retrieve. */
export function declaresRetrieveTool(body: Record<string, unknown>): boolean {
  if (!Array.isArray(body.tools)) return false;
  return body.tools.some((tool) => {
    if (tool === null || typeof tool !== "object") return false;
    const t = tool as { name?: unknown; function?: { name?: unknown } };
    return t.name === RETRIEVE_TOOL_NAME || t.function?.name === RETRIEVE_TOOL_NAME;
  });
}

/** Appends the tool to the request's tools (creating the list when absent); returns the new text. */
export function injectRetrieveTool(
  api: GenerationApi,
  text: string,
  body: Record<string, unknown>,
): string {
  const tool = RETRIEVE_TOOL_JSON[api];
  const spans = locateValues(text, [["tools"], []]);
  const tools = Array.isArray(body.tools) ? spans.get(pathKey(["tools"])) : undefined;
  if (tools) return applySplices(text, [appendToArray(text, tools, tool)]);
  const root = spans.get(pathKey([]))!;
  // A "tools": null (or other non-list) value is replaced by a list holding the tool.
  if (body.tools !== undefined) {
    const existing = spans.get(pathKey(["tools"]))!;
    return applySplices(text, [{ ...existing, text: `[${tool}]` }]);
  }
  return applySplices(text, [addMember(text, root, "tools", `[${tool}]`)]);
}
