/**
 * When the model calls headroom_retrieve and the client's own tools in one reply, the client gets
 * the reply without the retrieve call, and the call with its answer is remembered here. On every
 * later request of that conversation the pair is put back in place (same bytes each turn), so the
 * upstream always sees a valid conversation: each tool call followed by its result.
 * @module
 */

import type { GenerationApi } from "../compress/slots.ts";
import {
  type JsonPath,
  type PendingEdits,
  pathKey,
  type Spans,
  type Splice,
} from "../core/json-edit.ts";
import { arr, type Json, obj } from "../core/json-value.ts";
import type { StoreReport } from "../core/store-health.ts";
import type { HiddenCalls } from "./retrieval-round.ts";

/** A remembered hidden call set with its answers. */
export interface HiddenRecord extends HiddenCalls {
  readonly api: GenerationApi;
  /** The answers as provider-shaped JSON texts (tool_result blocks, tool messages, output items). */
  readonly answers: readonly string[];
}

/** Where hidden call sets are remembered, by anchor. */
export interface HiddenCallStore {
  put(record: HiddenRecord): void;
  get(anchor: string): HiddenRecord | undefined;
  /** Fetches these anchors from a shared store ahead of one request's lookups; never rejects. */
  load?(anchors: readonly string[]): Promise<void>;
  /** The same store seen by one tenant alone (a shared store namespaces its anchors). */
  forTenant?(tenant: string): HiddenCallStore;
  /** How many are remembered (0 lets a request skip looking). */
  readonly size: number;
  /** Its health, when it watches it (a guarded store does): /health, /stats, /metrics. */
  report?(): StoreReport;
}

/** Remembered records in memory (bounded, oldest out first). */
export class MemoryHiddenCallStore implements HiddenCallStore {
  readonly #records = new Map<string, HiddenRecord>();
  constructor(readonly maxRecords = 10_000) {}

  put(record: HiddenRecord): void {
    this.#records.delete(record.anchor);
    this.#records.set(record.anchor, record);
    if (this.#records.size > this.maxRecords) {
      const oldest = this.#records.keys().next().value;
      if (oldest !== undefined) this.#records.delete(oldest);
    }
  }

  get(anchor: string): HiddenRecord | undefined {
    return this.#records.get(anchor);
  }

  get size(): number {
    return this.#records.size;
  }
}

/** The splice that inserts `items` before element `index` of the array at `path`. */
function insertBefore(
  text: string,
  spans: Spans,
  path: JsonPath,
  length: number,
  index: number,
  items: string[],
): Splice {
  if (index < length) {
    const element = spans.get(pathKey([...path, index]))!;
    return { start: element.start, end: element.start, text: `${items.join(",")},` };
  }
  const array = spans.get(pathKey(path))!;
  let before = array.end - 2;
  while (before > array.start && /\s/.test(text[before]!)) before--;
  const empty = before === array.start;
  return {
    start: array.end - 1,
    end: array.end - 1,
    text: `${empty ? "" : ","}${items.join(",")}`,
  };
}

/** Groups hidden calls by the client-array index they go before. */
function byClientIndex(record: HiddenRecord): Map<number, string[]> {
  const groups = new Map<number, string[]>();
  const ordered = [...record.calls].sort((a, b) => a.position - b.position);
  ordered.forEach((call, hiddenBefore) => {
    const at = call.position - hiddenBefore;
    groups.set(at, [...(groups.get(at) ?? []), call.json]);
  });
  return groups;
}

interface Insertion {
  path: JsonPath;
  length: number;
  index: number;
  items: string[];
}

function messagesInsertions(body: Json, store: HiddenCallStore): Insertion[] {
  const messages = arr(body.messages);
  const out: Insertion[] = [];
  messages.forEach((message, i) => {
    const m = obj(message);
    if (m?.role !== "assistant") return;
    const content = arr(m.content);
    for (const block of content) {
      const b = obj(block);
      if (b?.type !== "tool_use" || typeof b.id !== "string") continue;
      const record = store.get(b.id);
      if (record?.api !== "messages") continue;
      const next = obj(messages[i + 1]);
      if (next?.role !== "user" || !Array.isArray(next.content)) return;
      for (const [index, items] of byClientIndex(record))
        out.push({ path: ["messages", i, "content"], length: content.length, index, items });
      out.push({
        path: ["messages", i + 1, "content"],
        length: next.content.length,
        index: 0,
        items: [...record.answers],
      });
      return;
    }
  });
  return out;
}

function chatInsertions(body: Json, store: HiddenCallStore): Insertion[] {
  const messages = arr(body.messages);
  const out: Insertion[] = [];
  messages.forEach((message, i) => {
    const m = obj(message);
    if (m?.role !== "assistant") return;
    const calls = arr(m.tool_calls);
    const first = obj(calls[0]);
    const record = typeof first?.id === "string" ? store.get(first.id) : undefined;
    if (record?.api !== "chat") return;
    for (const [index, items] of byClientIndex(record))
      out.push({ path: ["messages", i, "tool_calls"], length: calls.length, index, items });
    out.push({
      path: ["messages"],
      length: messages.length,
      index: i + 1,
      items: [...record.answers],
    });
  });
  return out;
}

function responsesInsertions(body: Json, store: HiddenCallStore): Insertion[] {
  const input = arr(body.input);
  const out: Insertion[] = [];
  input.forEach((item, j) => {
    const it = obj(item);
    if (typeof it?.call_id !== "string") return;
    const record = store.get(it.call_id);
    if (record?.api !== "responses") return;
    if (it.type === "function_call") {
      const pairs = record.calls.flatMap((call, k) => [call.json, record.answers[k]!]);
      out.push({ path: ["input"], length: input.length, index: j, items: pairs });
    } else if (it.type === "function_call_output") {
      // The call itself lives in the stored response the client chains on: add its answer only.
      const hasCall = input.some(
        (other) => obj(other)?.type === "function_call" && obj(other)?.call_id === it.call_id,
      );
      if (!hasCall)
        out.push({ path: ["input"], length: input.length, index: j, items: [...record.answers] });
    }
  });
  return out;
}

/** Gemini: calls go back among the model turn's parts, answers first in the next user turn. */
function geminiInsertions(body: Json, store: HiddenCallStore): Insertion[] {
  const contents = arr(body.contents);
  const out: Insertion[] = [];
  contents.forEach((content, i) => {
    const c = obj(content);
    if (c?.role !== "model") return;
    const parts = arr(c.parts);
    for (const part of parts) {
      const id = obj(obj(part)?.functionCall)?.id;
      if (typeof id !== "string") continue;
      const record = store.get(id);
      if (record?.api !== "gemini") continue;
      const next = obj(contents[i + 1]);
      if (!Array.isArray(next?.parts)) return;
      for (const [index, items] of byClientIndex(record))
        out.push({ path: ["contents", i, "parts"], length: parts.length, index, items });
      out.push({
        path: ["contents", i + 1, "parts"],
        length: next.parts.length,
        index: 0,
        items: [...record.answers],
      });
      return;
    }
  });
  return out;
}

/** The edits that put every remembered hidden call of `body` back in place, if there are any. */
export function hiddenCallEdits(
  api: GenerationApi,
  text: string,
  body: Json,
  store: HiddenCallStore,
): PendingEdits | undefined {
  if (store.size === 0) return undefined;
  const insertions =
    api === "messages"
      ? messagesInsertions(body, store)
      : api === "chat"
        ? chatInsertions(body, store)
        : api === "gemini"
          ? geminiInsertions(body, store)
          : responsesInsertions(body, store);
  if (insertions.length === 0) return undefined;
  const paths: JsonPath[] = [];
  for (const insertion of insertions) {
    paths.push(insertion.path);
    if (insertion.index < insertion.length) paths.push([...insertion.path, insertion.index]);
  }
  return {
    paths,
    splices: (spans) =>
      insertions.map((insertion) =>
        insertBefore(
          text,
          spans,
          insertion.path,
          insertion.length,
          insertion.index,
          insertion.items,
        ),
      ),
  };
}
