/**
 * Whether the facts of each sample reached the model: looked up in the last request of a session
 * as the upstream received it, in the tool results of that sample's calls. A fact is visible when
 * it is a substring of those results once terminal colour and Claude Code's Read line numbers are
 * taken out, retrievable when it is not but the result carries a headroom marker whose original
 * (fetched from the proxy) holds it, and lost otherwise.
 */

import { markerHashes } from "../../src/compress/marker.ts";
import { readable, type Sample } from "../corpus/corpus.ts";

// biome-ignore lint/suspicious/noExplicitAny: provider request JSON
type Json = any;

export type FactState = "visible" | "retrievable" | "lost";

/** A tool result's text, and whether it carries Claude Code's Read line numbers. */
export interface ResultText {
  readonly text: string;
  readonly numbered: boolean;
}

function contentText(content: Json): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((part: Json) => part?.text ?? "").join("\n");
  return "";
}

/** The text of every tool result in a request, by its call id. */
export function toolResults(request: Json): Map<string, string> {
  const found = new Map<string, string>();
  for (const message of request.messages ?? [])
    if (Array.isArray(message.content))
      for (const block of message.content)
        if (block?.type === "tool_result") found.set(block.tool_use_id, contentText(block.content));
  for (const item of Array.isArray(request.input) ? request.input : [])
    if (item?.type === "function_call_output") found.set(item.call_id, contentText(item.output));
  return found;
}

/** Fetches an original by hash (undefined when the proxy does not have it). */
export type Retrieve = (hash: string) => Promise<string | undefined>;

/** The state of each of `sample`'s facts in `results` (the texts of its calls). */
export async function factStates(
  sample: Sample,
  results: readonly ResultText[],
  retrieve?: Retrieve,
): Promise<FactState[]> {
  const seen = results.map(({ text, numbered }) => readable(text, numbered)).join("\n");
  const originals: string[] = [];
  if (retrieve)
    for (const { text, numbered } of results)
      for (const hash of markerHashes(text)) {
        const original = await retrieve(hash);
        if (original !== undefined) originals.push(readable(original, numbered));
      }
  return sample.facts.map((fact) => {
    if (seen.includes(fact)) return "visible";
    return originals.some((original) => original.includes(fact)) ? "retrievable" : "lost";
  });
}
