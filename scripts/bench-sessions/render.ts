/**
 * A provider's view of a request's prompt, for billing prefix caching: the request rendered in
 * the order the provider feeds it to the model, as a list of segments (one per tool definition,
 * system block, message block or input item). Formatting that does not reach the model is left
 * out: `cache_control` markers, key order, whitespace, and whether a content is a plain string or
 * one text block. Each segment carries a hash chained over everything before it, so "these two
 * prompts share their first k segments byte for byte" is one comparison.
 */

import { countWithEncoding } from "../../src/compress/tokens.ts";

/** One piece of a rendered prompt. */
export interface Segment {
  readonly text: string;
  /** o200k tokens of `text` (the benchmark's estimate for both providers). */
  readonly tokens: number;
  /** Hash of this segment and every segment before it. */
  readonly chain: bigint;
  /** Whether the client marked a cache breakpoint at the end of this segment (Anthropic). */
  readonly breakpoint: boolean;
}

/** A whole rendered prompt. */
export interface Rendered {
  readonly segments: readonly Segment[];
  readonly tokens: number;
}

// biome-ignore lint/suspicious/noExplicitAny: provider request JSON is read field by field
type Json = any;

/** JSON with sorted keys and without `cache_control`: what the provider's template sees. */
function canonical(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  const keys = Object.keys(value)
    .filter((key) => key !== "cache_control")
    .sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(",")}}`;
}

/** Content that may be a string or a list of blocks, as a list of blocks. */
function blocks(content: Json): Json[] {
  if (typeof content === "string") return [{ type: "text", text: content }];
  return Array.isArray(content) ? content : [];
}

/** How one content block reads to the model: text as itself, anything else as canonical JSON. */
function blockText(block: Json): string {
  if (block?.type === "text" || block?.type === "input_text" || block?.type === "output_text")
    return block.text ?? "";
  if (block?.type === "tool_result")
    return `tool_result ${block.tool_use_id} error=${block.is_error === true}\n${blocks(block.content).map(blockText).join("\n")}`;
  return canonical(block);
}

function build(pieces: { text: string; breakpoint: boolean }[]): Rendered {
  let chain = 0n;
  let tokens = 0;
  const segments = pieces.map(({ text, breakpoint }) => {
    chain = BigInt(Bun.hash(text, chain));
    const count = countWithEncoding(text, "o200k_base");
    tokens += count;
    return { text, tokens: count, chain, breakpoint };
  });
  return { segments, tokens };
}

const marked = (value: Json) => value?.cache_control !== undefined;

/** An Anthropic Messages request: tools, then system, then messages. */
export function renderAnthropic(body: Json): Rendered {
  const pieces: { text: string; breakpoint: boolean }[] = [];
  for (const tool of body.tools ?? [])
    pieces.push({ text: `tool ${canonical(tool)}`, breakpoint: marked(tool) });
  for (const block of blocks(body.system))
    pieces.push({ text: `system\n${blockText(block)}`, breakpoint: marked(block) });
  for (const message of body.messages ?? [])
    for (const block of blocks(message.content))
      pieces.push({ text: `${message.role}\n${blockText(block)}`, breakpoint: marked(block) });
  return build(pieces);
}

/** An OpenAI Responses request: tools, then instructions, then the input items. */
export function renderResponses(body: Json): Rendered {
  const pieces: { text: string; breakpoint: boolean }[] = [];
  for (const tool of body.tools ?? [])
    pieces.push({ text: `tool ${canonical(tool)}`, breakpoint: false });
  if (typeof body.instructions === "string")
    pieces.push({ text: `instructions\n${body.instructions}`, breakpoint: false });
  const input =
    typeof body.input === "string" ? [{ role: "user", content: body.input }] : body.input;
  for (const item of input ?? []) {
    if (item.type === "function_call_output") {
      const output =
        typeof item.output === "string"
          ? item.output
          : blocks(item.output).map(blockText).join("\n");
      pieces.push({ text: `function_call_output ${item.call_id}\n${output}`, breakpoint: false });
    } else if (item.role !== undefined && item.content !== undefined) {
      for (const block of blocks(item.content))
        pieces.push({ text: `${item.role}\n${blockText(block)}`, breakpoint: false });
    } else {
      const { id: _id, ...rest } = item;
      pieces.push({ text: canonical(rest), breakpoint: false });
    }
  }
  return build(pieces);
}

/** How many leading segments `next` shares with `previous`, byte for byte. */
export function sharedSegments(previous: Rendered, next: Rendered): number {
  const limit = Math.min(previous.segments.length, next.segments.length);
  let shared = 0;
  while (shared < limit && previous.segments[shared]!.chain === next.segments[shared]!.chain)
    shared++;
  return shared;
}

/** Whether `next` repeats all of `previous` and adds to it (the cache-friendly way to grow). */
export function extendsPrompt(previous: Rendered, next: Rendered): boolean {
  return sharedSegments(previous, next) === previous.segments.length;
}
