/**
 * Finds the tool outputs in a request body: the only places compression may touch. Everything
 * else (system prompt, tool definitions, user and assistant text, thinking blocks, images) is
 * never a slot. Each slot says whether it belongs to the newest turn (after the last assistant
 * message), where outputs may be compressed on first sight, or to history, where only a
 * remembered decision is replayed.
 * @module
 */

import type { JsonPath } from "../core/json-edit.ts";
import { arr, type Json, obj } from "../core/json-value.ts";
import { carriesMarker } from "./marker.ts";

/** The generation APIs whose bodies headroom reads. */
export type GenerationApi = "messages" | "chat" | "responses" | "gemini";

/** Why a slot must be left exactly as it is. */
export type Protection = "error" | "retrieve_result" | "marker";

/** One tool output in a request. */
export interface Slot {
  /** Where the output's string value sits in the body. */
  readonly path: JsonPath;
  readonly text: string;
  /** The tool that produced it, when the request names it. */
  readonly toolName: string | undefined;
  /**
   * Which tool call this output answers (its call id, and the part's index when the output has
   * several text parts), when the request says: a decision applies to this occurrence only, so
   * the same output sent again by a later call is decided afresh without touching this copy.
   */
  readonly occurrence: string | undefined;
  /** True when it belongs to the newest turn, after the last assistant message. */
  readonly live: boolean;
  /** Set when the output must never be compressed. */
  readonly protection: Protection | undefined;
  /** The provider flagged the call as failed (Anthropic `is_error`). */
  readonly isError: boolean;
  /**
   * A Read of the file Claude Code saved a long command output to (its `tool-results/`): a
   * command's output, never a file anyone edits, whatever it looks like.
   */
  readonly savedOutput: boolean;
}

/** Where Claude Code saves a Bash output too long to send (docs/agent-shapes.md). */
const SAVED_OUTPUT_PATH = /\/tool-results\/[^/]+\.txt$/;

/** The name of headroom's own retrieval tool: its results are never compressed again. */
export const RETRIEVE_TOOL_NAME = "headroom_retrieve";

function protectionOf(text: string, toolName: string | undefined): Protection | undefined {
  if (toolName === RETRIEVE_TOOL_NAME) return "retrieve_result";
  // A marker already in the text means it was compressed before: never compress it twice.
  if (carriesMarker(text)) return "marker";
  return undefined;
}

/** The tool call an output answers, as the request names it. */
interface CallOf {
  readonly id: string | undefined;
  readonly toolName: string | undefined;
}

function pushText(
  slots: Slot[],
  path: JsonPath,
  text: unknown,
  call: CallOf,
  part: number | undefined,
  live: boolean,
  isError: boolean,
  savedOutput = false,
): void {
  if (typeof text !== "string") return;
  const toolName = call.toolName;
  slots.push({
    path,
    text,
    toolName,
    occurrence:
      call.id === undefined ? undefined : part === undefined ? call.id : `${call.id}#${part}`,
    live,
    protection: protectionOf(text, toolName),
    isError,
    savedOutput,
  });
}

function callOf(id: unknown, names: ReadonlyMap<string, string>): CallOf {
  return typeof id === "string" && id !== ""
    ? { id, toolName: names.get(id) }
    : { id: undefined, toolName: undefined };
}

/** Anthropic Messages: `tool_result` blocks inside user messages. */
function messagesSlots(body: Json): Slot[] {
  const messages = arr(body.messages);
  const names = new Map<string, string>();
  const savedReads = new Set<string>();
  let lastAssistant = -1;
  messages.forEach((message, i) => {
    const m = obj(message);
    if (m?.role !== "assistant") return;
    lastAssistant = i;
    for (const block of arr(m.content)) {
      const b = obj(block);
      if (b?.type === "tool_use" && typeof b.id === "string" && typeof b.name === "string") {
        names.set(b.id, b.name);
        const file = obj(b.input)?.file_path;
        if (b.name === "Read" && typeof file === "string" && SAVED_OUTPUT_PATH.test(file))
          savedReads.add(b.id);
      }
    }
  });
  const slots: Slot[] = [];
  messages.forEach((message, i) => {
    const m = obj(message);
    if (m?.role !== "user") return;
    arr(m.content).forEach((block, j) => {
      const b = obj(block);
      if (b?.type !== "tool_result") return;
      const call = callOf(b.tool_use_id, names);
      const live = i > lastAssistant;
      const isError = b.is_error === true;
      const saved = typeof b.tool_use_id === "string" && savedReads.has(b.tool_use_id);
      // A cache_control breakpoint on a tool output does not protect it. In the newest turn it
      // marks where this request's cache write ends, so nothing is cached there yet: compressed
      // now and replayed byte for byte later, the cached prefix stays identical (Claude Code
      // puts its breakpoint on the newest tool_result every turn). In history only a remembered
      // decision is ever replayed, which is what the provider cached.
      if (typeof b.content === "string") {
        pushText(
          slots,
          ["messages", i, "content", j, "content"],
          b.content,
          call,
          undefined,
          live,
          isError,
          saved,
        );
        return;
      }
      arr(b.content).forEach((part, k) => {
        const p = obj(part);
        if (p?.type !== "text") return;
        pushText(
          slots,
          ["messages", i, "content", j, "content", k, "text"],
          p.text,
          call,
          k,
          live,
          isError,
          saved,
        );
      });
    });
  });
  return slots;
}

/** OpenAI Chat Completions: `role: "tool"` messages. */
function chatSlots(body: Json): Slot[] {
  const messages = arr(body.messages);
  const names = new Map<string, string>();
  let lastAssistant = -1;
  messages.forEach((message, i) => {
    const m = obj(message);
    if (m?.role !== "assistant") return;
    lastAssistant = i;
    for (const call of arr(m.tool_calls)) {
      const c = obj(call);
      const name = obj(c?.function)?.name;
      if (typeof c?.id === "string" && typeof name === "string") names.set(c.id, name);
    }
  });
  const slots: Slot[] = [];
  messages.forEach((message, i) => {
    const m = obj(message);
    if (m?.role !== "tool") return;
    const call = callOf(m.tool_call_id, names);
    const live = i > lastAssistant;
    if (typeof m.content === "string") {
      pushText(slots, ["messages", i, "content"], m.content, call, undefined, live, false);
      return;
    }
    arr(m.content).forEach((part, k) => {
      const p = obj(part);
      if (p?.type === "text")
        pushText(slots, ["messages", i, "content", k, "text"], p.text, call, k, live, false);
    });
  });
  return slots;
}

/** Responses input items only the model writes. */
export const MODEL_ITEM_TYPES: ReadonlySet<string> = new Set([
  "function_call",
  "custom_tool_call",
  "reasoning",
  "local_shell_call",
  "web_search_call",
]);
const OUTPUT_ITEM_TYPES = new Set(["function_call_output", "custom_tool_call_output"]);

/** OpenAI Responses: `function_call_output` and `custom_tool_call_output` input items. */
function responsesSlots(body: Json): Slot[] {
  const items = arr(body.input);
  const names = new Map<string, string>();
  let lastModel = -1;
  items.forEach((item, i) => {
    const it = obj(item);
    if (!it) return;
    if (MODEL_ITEM_TYPES.has(String(it.type)) || it.role === "assistant") lastModel = i;
    if (
      (it.type === "function_call" || it.type === "custom_tool_call") &&
      typeof it.call_id === "string" &&
      typeof it.name === "string"
    ) {
      names.set(it.call_id, it.name);
    }
  });
  const slots: Slot[] = [];
  items.forEach((item, i) => {
    const it = obj(item);
    if (!it || !OUTPUT_ITEM_TYPES.has(String(it.type))) return;
    const call = callOf(it.call_id, names);
    const live = i > lastModel;
    if (typeof it.output === "string") {
      pushText(slots, ["input", i, "output"], it.output, call, undefined, live, false);
      return;
    }
    arr(it.output).forEach((part, k) => {
      const p = obj(part);
      if (p?.type === "input_text" || p?.type === "output_text" || p?.type === "text") {
        pushText(slots, ["input", i, "output", k, "text"], p.text, call, k, live, false);
      }
    });
  });
  return slots;
}

/** The Gemini turn roles that carry tool outputs (`function` is the older name). */
const GEMINI_RESULT_ROLES = new Set(["user", "function"]);

/**
 * Gemini generateContent: `functionResponse` parts in `contents[]`. Their `response` is a free
 * object; its string members (`output` from Gemini CLI, `result`, `error`, ...) are the text.
 */
function geminiSlots(body: Json): Slot[] {
  const contents = arr(body.contents);
  let lastModel = -1;
  contents.forEach((content, i) => {
    if (obj(content)?.role === "model") lastModel = i;
  });
  const slots: Slot[] = [];
  contents.forEach((content, i) => {
    const c = obj(content);
    if (!c || !GEMINI_RESULT_ROLES.has(String(c.role ?? "user"))) return;
    arr(c.parts).forEach((part, j) => {
      const fr = obj(obj(part)?.functionResponse);
      const response = obj(fr?.response);
      if (!fr || !response) return;
      const call: CallOf = {
        id: typeof fr.id === "string" && fr.id !== "" ? fr.id : undefined,
        toolName: typeof fr.name === "string" ? fr.name : undefined,
      };
      for (const [key, value] of Object.entries(response)) {
        if (typeof value !== "string") continue;
        slots.push({
          path: ["contents", i, "parts", j, "functionResponse", "response", key],
          text: value,
          toolName: call.toolName,
          occurrence: call.id === undefined ? undefined : `${call.id}#${key}`,
          live: i > lastModel,
          protection: protectionOf(value, call.toolName),
          isError: key === "error",
          savedOutput: false,
        });
      }
    });
  });
  return slots;
}

/** Every tool output of a request body, in document order. */
export function findSlots(api: GenerationApi, body: Json): Slot[] {
  if (api === "messages") return messagesSlots(body);
  if (api === "chat") return chatSlots(body);
  if (api === "gemini") return geminiSlots(body);
  return responsesSlots(body);
}

/** The user's text in a Gemini `contents[]` entry (tool-output parts carry none). */
function geminiUserText(content: unknown): string {
  return arr(obj(content)?.parts)
    .map((part) => obj(part)?.text)
    .filter((text): text is string => typeof text === "string" && text !== "")
    .join("\n");
}

function textOf(content: unknown, partTypes: ReadonlySet<string>): string {
  if (typeof content === "string") return content;
  return arr(content)
    .map((part) => {
      const p = obj(part);
      return p && partTypes.has(String(p.type)) && typeof p.text === "string" ? p.text : "";
    })
    .filter((text) => text !== "")
    .join("\n");
}

const USER_TEXT_PARTS = new Set(["text", "input_text"]);

/**
 * The user's latest question: the text of the last user message that has any (tool-result-only
 * turns are skipped), used to keep the rows and lines that matter to it.
 */
export function latestUserText(api: GenerationApi, body: Json): string {
  if (api === "responses" && typeof body.input === "string") return body.input;
  if (api === "gemini") {
    const contents = arr(body.contents);
    for (let i = contents.length - 1; i >= 0; i--) {
      if (obj(contents[i])?.role !== "user") continue;
      const text = geminiUserText(contents[i]).trim();
      if (text) return text.length > 2000 ? text.slice(-2000) : text;
    }
    return "";
  }
  const list = api === "responses" ? arr(body.input) : arr(body.messages);
  for (let i = list.length - 1; i >= 0; i--) {
    const m = obj(list[i]);
    if (m?.role !== "user") continue;
    const text = textOf(m.content, USER_TEXT_PARTS).trim();
    if (text) return text.length > 2000 ? text.slice(-2000) : text;
  }
  return "";
}
