/**
 * Output shaping (opt-in, HEADROOM_OUTPUT_SHAPER): a short terseness instruction, placed where
 * the provider's prompt cache survives it, and a lower reasoning effort on turns that only
 * resume after tool results, on the APIs where effort is not part of the cached prompt.
 *
 * Where the instruction goes: Anthropic, as a last system block (after any cache_control
 * breakpoint there, so the cached prefix is unchanged); OpenAI chat, appended to the last
 * leading system/developer message; Responses, appended to `instructions`. It is the same text
 * in the same place on every turn, so after the first shaped turn the prefix is stable again.
 *
 * Effort: Anthropic invalidates cached message blocks when thinking parameters change, and turns
 * alternate between user and tool-result turns, so lowering the thinking budget would cost a
 * cache write of the whole conversation each time: more than it saves. It is left off there.
 * OpenAI's reasoning effort is a request parameter, not part of the cached prompt, so it is
 * lowered there when the client asked for a higher one.
 *
 * A hold-out share of conversations (chosen by a stable hash, never per request, which would
 * flip the prompt and bust the cache) is left unshaped, so the savings can be measured.
 * @module
 */

import type { GenerationApi } from "../compress/slots.ts";
import {
  addMember,
  appendToArray,
  type JsonPath,
  type PendingEdits,
  pathKey,
  type Spans,
  type Splice,
} from "../core/json-edit.ts";
import { arr, type Json, obj } from "../core/json-value.ts";

/** The shaping settings. */
export interface ShapingSettings {
  readonly verbosityLevel: number;
  readonly effortRouter: boolean;
  readonly mechanicalEffort: "minimal" | "low" | "medium";
  readonly holdout: number;
}

/** What shaping did to one request. */
export interface Shaping {
  readonly edits: PendingEdits[];
  /** "shaped" or "holdout", plus "effort_lowered" / "effort_holdout" on tool-resume turns. */
  readonly labels: string[];
}

/** The instruction at each verbosity level (headroom's own words). */
export const TERSE_INSTRUCTIONS: Readonly<Record<number, string>> = {
  1: "Keep replies focused on what was asked; do not restate what tool results already show.",
  2: "Be concise: no preamble and no recap, do not repeat tool output back, and keep explanations short. Give code and commands in full when they are needed.",
  3: "Be terse: answer in the fewest words that are complete. No preamble, no summaries, no restating. Show only code that changes.",
};

const EFFORT_ORDER = ["minimal", "low", "medium", "high"];

/** A stable number in [0, 1) for a conversation, from its identity hash. */
function conversationFraction(identityHash: string): number {
  return Number.parseInt(identityHash.slice(0, 8), 16) / 0x100000000;
}

/** True when the request's last turn is only tool results (the model resumes after tools). */
function resumesAfterTools(api: GenerationApi, body: Json): boolean {
  // Gemini's thinking budget is not an effort level: no lowering there.
  if (api === "gemini") return false;
  if (api === "messages") {
    const last = obj(arr(body.messages).at(-1));
    const content = arr(last?.content);
    return (
      last?.role === "user" &&
      content.length > 0 &&
      content.every((block) => obj(block)?.type === "tool_result")
    );
  }
  if (api === "chat") return obj(arr(body.messages).at(-1))?.role === "tool";
  const items = arr(body.input);
  const last = obj(items.at(-1));
  return last?.type === "function_call_output" || last?.type === "custom_tool_call_output";
}

/** One edit at `paths`, whose splice `make` builds from their spans. */
function edit(paths: JsonPath[], make: (spans: Spans) => Splice): PendingEdits {
  return { paths, splices: (spans) => [make(spans)] };
}

/** The edit that adds the instruction to the request's system text, when it has a place. */
function instructionEdit(
  api: GenerationApi,
  text: string,
  body: Json,
  instruction: string,
): PendingEdits | undefined {
  const at = (spans: Spans, path: JsonPath) => spans.get(pathKey(path))!;
  // Gemini's systemInstruction is a Content with parts: not shaped yet.
  if (api === "gemini") return undefined;
  if (api === "messages") {
    const paths: JsonPath[] = [["system"], []];
    if (Array.isArray(body.system)) {
      const block = JSON.stringify({ type: "text", text: instruction });
      return edit(paths, (spans) => appendToArray(text, at(spans, ["system"]), block));
    }
    if (typeof body.system === "string") {
      const joined = JSON.stringify(`${body.system}\n\n${instruction}`);
      return edit(paths, (spans) => ({ ...at(spans, ["system"]), text: joined }));
    }
    if (body.system === undefined)
      return edit(paths, (spans) =>
        addMember(text, at(spans, []), "system", JSON.stringify(instruction)),
      );
    return undefined;
  }
  if (api === "chat") {
    const messages = arr(body.messages);
    let lead = -1;
    while (["system", "developer"].includes(String(obj(messages[lead + 1])?.role))) lead++;
    if (lead < 0 || typeof obj(messages[lead])?.content !== "string") return undefined;
    const path: JsonPath = ["messages", lead, "content"];
    const joined = JSON.stringify(`${obj(messages[lead])!.content as string}\n\n${instruction}`);
    return edit([path], (spans) => ({ ...at(spans, path), text: joined }));
  }
  const paths: JsonPath[] = [["instructions"], []];
  if (typeof body.instructions === "string") {
    const joined = JSON.stringify(`${body.instructions}\n\n${instruction}`);
    return edit(paths, (spans) => ({ ...at(spans, ["instructions"]), text: joined }));
  }
  if (body.instructions === undefined || body.instructions === null) {
    return edit(paths, (spans) => {
      const instructions = spans.get(pathKey(["instructions"]));
      return instructions
        ? { ...instructions, text: JSON.stringify(instruction) }
        : addMember(text, at(spans, []), "instructions", JSON.stringify(instruction));
    });
  }
  return undefined;
}

/** The edit that lowers an OpenAI reasoning effort, when the client asked for a higher one. */
function effortEdit(api: GenerationApi, body: Json, effort: string): PendingEdits | undefined {
  const path: JsonPath | undefined =
    api === "chat" && typeof body.reasoning_effort === "string"
      ? ["reasoning_effort"]
      : api === "responses" && typeof obj(body.reasoning)?.effort === "string"
        ? ["reasoning", "effort"]
        : undefined;
  if (!path) return undefined;
  const current =
    api === "chat" ? String(body.reasoning_effort) : String(obj(body.reasoning)!.effort);
  if (EFFORT_ORDER.indexOf(current) <= EFFORT_ORDER.indexOf(effort)) return undefined;
  return edit([path], (spans) => ({ ...spans.get(pathKey(path))!, text: JSON.stringify(effort) }));
}

/** Shapes one request (or labels it as held out); returns the edits to make to its text. */
export function shapeRequest(
  api: GenerationApi,
  text: string,
  body: Json,
  settings: ShapingSettings,
  identityHash: string,
): Shaping {
  const heldOut = conversationFraction(identityHash) < settings.holdout;
  const toolTurn = settings.effortRouter && resumesAfterTools(api, body);
  if (heldOut) return { edits: [], labels: ["holdout", ...(toolTurn ? ["effort_holdout"] : [])] };
  const edits: PendingEdits[] = [];
  const labels: string[] = [];
  const instruction =
    TERSE_INSTRUCTIONS[Math.round(settings.verbosityLevel)] ?? TERSE_INSTRUCTIONS[2]!;
  const terse = instructionEdit(api, text, body, instruction);
  if (terse) {
    edits.push(terse);
    labels.push("shaped");
  }
  if (toolTurn && api !== "messages") {
    const effort = effortEdit(api, body, settings.mechanicalEffort);
    if (effort) {
      edits.push(effort);
      labels.push("effort_lowered");
    }
  }
  return { edits, labels };
}
