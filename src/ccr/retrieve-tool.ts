/**
 * The `headroom_retrieve` tool: its definition in each provider's shape (serialised once, so the
 * bytes are identical on every request of every session), and its injection into a request body
 * whenever that body carries a marker and the client does not declare a tool of that name.
 * @module
 */

import { carriesMarker } from "../compress/marker.ts";
import type { GenerationApi } from "../compress/slots.ts";
import { RETRIEVE_TOOL_NAME } from "../compress/slots.ts";
import {
  addMember,
  appendToArray,
  type PendingEdits,
  pathKey,
  type Splice,
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

/** Gemini's schema form (OpenAPI subset, upper-case types), accepted by every Gemini model. */
const GEMINI_PARAMETERS = {
  type: "OBJECT",
  properties: {
    hash: { type: "STRING", description: INPUT_SCHEMA.properties.hash.description },
  },
  required: ["hash"],
};

/** The tool definition's JSON text in each API's shape (Gemini's is one function declaration). */
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
  gemini: JSON.stringify({
    name: RETRIEVE_TOOL_NAME,
    description: DESCRIPTION,
    parameters: GEMINI_PARAMETERS,
  }),
};

/** The index of the first Gemini tool holding a `functionDeclarations` list, or -1. */
function geminiDeclarationsAt(tools: readonly unknown[]): number {
  return tools.findIndex((tool) =>
    Array.isArray((tool as { functionDeclarations?: unknown } | null)?.functionDeclarations),
  );
}

/** True when the client already declares a tool named headroom_retrieve. */
export function declaresRetrieveTool(body: Record<string, unknown>): boolean {
  if (!Array.isArray(body.tools)) return false;
  return body.tools.some((tool) => {
    if (tool === null || typeof tool !== "object") return false;
    const t = tool as {
      name?: unknown;
      function?: { name?: unknown };
      functionDeclarations?: unknown;
    };
    if (Array.isArray(t.functionDeclarations))
      return t.functionDeclarations.some(
        (d) => (d as { name?: unknown } | null)?.name === RETRIEVE_TOOL_NAME,
      );
    return t.name === RETRIEVE_TOOL_NAME || t.function?.name === RETRIEVE_TOOL_NAME;
  });
}

/** The edit that appends the tool to the request's tools (creating the list when absent). */
export function retrieveToolEdit(
  api: GenerationApi,
  text: string,
  body: Record<string, unknown>,
): PendingEdits {
  if (api === "gemini") return geminiRetrieveToolEdit(text, body);
  const tool = RETRIEVE_TOOL_JSON[api];
  return {
    paths: [["tools"], []],
    splices(spans) {
      const tools = spans.get(pathKey(["tools"]));
      if (Array.isArray(body.tools) && tools) return [appendToArray(text, tools, tool)];
      // A "tools": null (or other non-list) value is replaced by a list holding the tool.
      if (body.tools !== undefined) return [{ ...tools!, text: `[${tool}]` }];
      return [addMember(text, spans.get(pathKey([]))!, "tools", `[${tool}]`)];
    },
  };
}

/**
 * Gemini: the declaration joins the client's first `functionDeclarations` list (one Tool of
 * functions, as Gemini CLI sends), or a Tool of its own when the client has none.
 */
function geminiRetrieveToolEdit(text: string, body: Record<string, unknown>): PendingEdits {
  const declaration = RETRIEVE_TOOL_JSON.gemini;
  const ownTool = `{"functionDeclarations":[${declaration}]}`;
  const tools = Array.isArray(body.tools) ? body.tools : undefined;
  const at = tools ? geminiDeclarationsAt(tools) : -1;
  if (at >= 0) {
    const path = ["tools", at, "functionDeclarations"];
    return {
      paths: [path],
      splices: (spans) => [appendToArray(text, spans.get(pathKey(path))!, declaration)],
    };
  }
  return {
    paths: [["tools"], []],
    splices(spans) {
      const span = spans.get(pathKey(["tools"]));
      if (tools && span) return [appendToArray(text, span, ownTool)];
      if (body.tools !== undefined) return [{ ...span!, text: `[${ownTool}]` }];
      return [addMember(text, spans.get(pathKey([]))!, "tools", `[${ownTool}]`)];
    },
  };
}

/**
 * True when `text` with `splices` applied carries a marker. Read piece by piece, never joined:
 * a marker cannot straddle a splice's edge, since every edit starts and ends at JSON punctuation.
 */
export function carriesMarkerSpliced(text: string, splices: readonly Splice[]): boolean {
  if (splices.length === 0) return carriesMarker(text);
  const ordered = [...splices].sort((a, b) => a.start - b.start || a.end - b.end);
  let cursor = 0;
  for (const splice of ordered) {
    if (carriesMarker(text.slice(cursor, splice.start)) || carriesMarker(splice.text)) return true;
    cursor = splice.end;
  }
  return carriesMarker(text.slice(cursor));
}
