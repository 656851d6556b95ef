/**
 * Fuzz targets for the request side: body parsing, JSON splicing, slot finding and the whole
 * compression router. The router must never throw, must decide the same way every time, must
 * replay its decisions byte for byte, and must change nothing but live, unprotected tool outputs
 * (system, tools, user and assistant text, thinking and images stay put; a tool output that
 * carries cache_control is not protected).
 * @module
 */

import { deepStrictEqual } from "node:assert";
import {
  type CompressionSettings,
  compressRequestNow,
  type RequestCompression,
} from "../../../src/compress/compress-request.ts";
import type { Decision, DecisionStore } from "../../../src/compress/decisions.ts";
import { carriesMarker } from "../../../src/compress/marker.ts";
import { findSlots, type GenerationApi } from "../../../src/compress/slots.ts";
import { countWithEncoding, isEncodingLoaded } from "../../../src/compress/tokens.ts";
import { BodyProblem, decodeBody, parseJsonObject } from "../../../src/core/body.ts";
import {
  addMember,
  appendItemsAt,
  applySplices,
  type JsonPath,
  locateValues,
  pathKey,
  type Splice,
} from "../../../src/core/json-edit.ts";
import { sha256Hex } from "../../../src/core/sha256.ts";
import { planSplices } from "../../../src/pipeline/compress-tool-outputs.ts";
import { SwallowedErrors } from "../../helpers/swallowed-errors.ts";
import { genRequest, type RequestCase } from "./gen-request.ts";
import { jsonValue, writeJson } from "./gen-text.ts";
import {
  fail,
  fromBase64,
  shrinkJsonValue,
  shrinkString,
  type Target,
  toBase64,
} from "./harness.ts";
import { mutate, mutateBytes } from "./mutate.ts";
import { Rng } from "./rng.ts";

const encoder = new TextEncoder();

function equal(a: unknown, b: unknown): boolean {
  try {
    deepStrictEqual(a, b);
    return true;
  } catch {
    return false;
  }
}

function at(value: unknown, path: JsonPath): unknown {
  let v = value;
  for (const key of path) {
    if (v === null || typeof v !== "object") return undefined;
    if (Array.isArray(v) !== (typeof key === "number")) return undefined;
    if (!Object.hasOwn(v as object, key)) return undefined;
    v = (v as Record<string | number, unknown>)[key];
  }
  return v;
}

function setAt(value: unknown, path: JsonPath, replacement: unknown): void {
  let v = value as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) v = v[key] as Record<string | number, unknown>;
  v[path[path.length - 1]!] = replacement;
}

// ------------------------------------------------------------------------------ body parsing

/** The reference: strict UTF-8 (a leading BOM dropped, as TextDecoder does), JSON.parse, an object. */
function referenceBody(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return "bad-utf8";
  }
  try {
    const value = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? { text, value }
      : "not-object";
  } catch {
    return "bad-json";
  }
}

/**
 * decodeBody with a stand-in decoder that, depending on the bytes, decodes (identity), fails
 * as corrupt, or fails as too large: every content-coding list gives bytes or a 400/413.
 */
function checkDecode(bytes: Uint8Array): void {
  const encodings = [
    "",
    "gzip",
    "GZIP, br",
    " identity ",
    "br,,zstd",
    "x-unknown",
    "deflate, identity",
  ];
  const decoder = (input: Uint8Array, coding: string, max: number): Uint8Array => {
    if (input.length > max) throw new Error("output would exceed maxBytes");
    if (input[0] === 0xff) throw new Error(`corrupt ${coding} stream`);
    if (input[0] === 0xfe) throw "a thrown string";
    return input;
  };
  for (const encoding of encodings) {
    const limit = bytes.length > 4 ? bytes.length - 1 : 1024;
    const out = decodeBody({ raw: bytes, encoding: encoding.trim().toLowerCase() }, decoder, limit);
    if (out instanceof BodyProblem) {
      if (out.status !== 400 && out.status !== 413) fail("decode-status", String(out.status));
    } else if (!(out instanceof Uint8Array)) fail("decode-result", typeof out);
  }
}

export const bodyTarget: Target<{ bytes: string }> = {
  name: "body",
  generate(rng) {
    const base = rng.chance(0.7) ? genRequest(rng).text : writeJson(jsonValue(rng), rng);
    let bytes: Uint8Array = encoder.encode(base);
    if (rng.chance(0.6)) bytes = mutateBytes(bytes, rng);
    else if (rng.chance(0.5)) bytes = encoder.encode(mutate(base, rng, () => base));
    return { bytes: toBase64(bytes) };
  },
  check({ bytes: b64 }) {
    const bytes = fromBase64(b64);
    checkDecode(bytes);
    const got = parseJsonObject(bytes);
    const want = referenceBody(bytes);
    if (got instanceof BodyProblem) {
      if (got.status !== 400) fail("body-status", String(got.status));
      if (typeof want !== "string") fail("body-rejected-valid", got.message);
    } else {
      if (typeof want === "string") fail("body-accepted-invalid", want);
      if (!equal(got, want)) fail("body-differs", "text or value differs from the reference");
    }
  },
  *shrink({ bytes: b64 }) {
    const bytes = fromBase64(b64);
    for (let chunk = Math.ceil(bytes.length / 2); chunk >= 1; chunk = Math.floor(chunk / 2)) {
      for (let i = 0; i < bytes.length; i += chunk) {
        yield {
          bytes: toBase64(new Uint8Array([...bytes.subarray(0, i), ...bytes.subarray(i + chunk)])),
        };
      }
    }
  },
};

// ------------------------------------------------------------------------------ json-edit

/** Every path of a parsed JSON value (document order, JSON.parse's view: last duplicate wins). */
function allPaths(
  value: unknown,
  path: (string | number)[] = [],
  out: JsonPath[] = [],
): JsonPath[] {
  out.push([...path]);
  if (Array.isArray(value)) value.forEach((v, i) => void allPaths(v, [...path, i], out));
  else if (value !== null && typeof value === "object")
    for (const [k, v] of Object.entries(value)) allPaths(v, [...path, k], out);
  return out;
}

const isPrefix = (a: JsonPath, b: JsonPath) =>
  a.length <= b.length && a.every((k, i) => k === b[i]);

export const jsonEditTarget: Target<{ text: string; seed: number }> = {
  name: "json-edit",
  generate(rng) {
    const text = rng.chance(0.5) ? genRequest(rng).text : writeJson(jsonValue(rng), rng);
    return {
      text: rng.chance(0.3)
        ? `${rng.pick([" ", "\n", "\t", "\r\n"])}${text}${rng.pick(["", " ", "\n"])}`
        : text,
      seed: rng.int(0x7fffffff),
    };
  },
  check({ text, seed }) {
    const rng = new Rng(seed);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return; // the module's contract is valid JSON
    }
    if (applySplices(text, []) !== text) fail("splice-zero-edits", "");
    const paths = allPaths(value);
    const wanted = Array.from({ length: rng.range(1, 12) }, () => rng.pick(paths));
    const missing: JsonPath[] = [
      ["no such key"],
      [...rng.pick(paths), "nope"],
      [...rng.pick(paths), 1e9],
    ];
    const spans = locateValues(text, [...wanted, ...missing]);
    for (const path of wanted) {
      const span = spans.get(pathKey(path));
      if (!span) fail("locate-missed", pathKey(path));
      let found: unknown;
      try {
        found = JSON.parse(text.slice(span.start, span.end));
      } catch {
        fail(
          "locate-bad-span",
          `${pathKey(path)}: ${text.slice(span.start, span.end).slice(0, 80)}`,
        );
      }
      if (!equal(found, at(value, path))) fail("locate-wrong-value", pathKey(path));
    }
    for (const path of missing) {
      if (
        at(value, path) === undefined &&
        spans.has(pathKey(path)) &&
        !/"([^"\\]|\\.)*"\s*:[\s\S]*"\1"\s*:/.test(text)
      ) {
        fail("locate-phantom", pathKey(path));
      }
    }
    // Replace some non-nested spans with new values: valid JSON that parses to the edited tree.
    const chosen: JsonPath[] = [];
    for (const path of wanted)
      if (!chosen.some((c) => isPrefix(c, path) || isPrefix(path, c))) chosen.push(path);
    const splices: Splice[] = [];
    const expected = structuredClone(value);
    for (const path of chosen) {
      const replacement = rng.chance(0.5)
        ? rng.words(rng.range(0, 5)) + rng.pick(["", "\u2028", '"', "\\", "\ud800", "\0"])
        : { n: rng.int(10) };
      splices.push({ ...spans.get(pathKey(path))!, text: JSON.stringify(replacement) });
      if (path.length === 0) return; // replacing the root says nothing more
      setAt(expected, path, replacement);
    }
    const edited = applySplices(text, splices);
    let parsed: unknown;
    try {
      parsed = JSON.parse(edited);
    } catch (error) {
      fail("splice-invalid-json", (error as Error).message);
    }
    if (!equal(parsed, expected)) fail("splice-wrong-value", chosen.map(pathKey).join(" "));
    // Appending to an array / adding a member keeps the rest and adds exactly that.
    const containers = paths.filter((p) => {
      const v = at(value, p);
      return v !== null && typeof v === "object";
    });
    if (containers.length > 0) {
      const path = rng.pick(containers);
      const target = at(value, path);
      const expectedAdd = structuredClone(value) as Record<string, unknown>;
      let out: string;
      if (Array.isArray(target)) {
        out = appendItemsAt(text, path, ['{"appended":true}', "7"]);
        (at(expectedAdd, path) as unknown[]).push({ appended: true }, 7);
      } else {
        const key = `added_${rng.int(100)}`;
        if (Object.hasOwn(target as object, key)) return;
        out = applySplices(text, [
          addMember(text, locateValues(text, [path]).get(pathKey(path))!, key, "[1]"),
        ]);
        (at(expectedAdd, path) as Record<string, unknown>)[key] = [1];
      }
      let reparsed: unknown;
      try {
        reparsed = JSON.parse(out);
      } catch (error) {
        fail("append-invalid-json", `${pathKey(path)}: ${(error as Error).message}`);
      }
      if (!equal(reparsed, expectedAdd)) fail("append-wrong-value", pathKey(path));
    }
  },
  *shrink(input) {
    for (const text of shrinkString(input.text)) yield { ...input, text };
  },
};

// ------------------------------------------------------------------------------ the router

/** Counters the long-running fuzzer prints. */
export const requestStats = { edits: 0, noRealSaving: 0 };

class MapStore implements DecisionStore {
  readonly map = new Map<string, Decision>();
  get(key: string) {
    return this.map.get(key);
  }
  put(key: string, decision: Decision) {
    this.map.set(key, decision);
  }
}

export interface RequestInput extends RequestCase {
  settings: {
    lossy: boolean;
    minTokens: number;
    minSavedTokens: number;
    minSavingsRatio: number;
    errorProtectTokens: number;
    exclude: string[];
  };
  allLive: boolean;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : undefined;
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

const isNamed = (id: unknown, name: unknown) => typeof id === "string" && typeof name === "string";

interface Allowed {
  /** Paths of tool-output strings that may change; value: is it in the newest turn. */
  live: Map<string, boolean>;
  /**
   * Paths of headroom_retrieve results. (A cache_control breakpoint does not protect a tool
   * output: in the newest turn it is not cached yet; in history only replays happen.)
   */
  protectedPaths: Set<string>;
}

/**
 * Where tool outputs are, read straight from the API shapes (independently of slots.ts): the
 * only places the router may write to.
 */
function toolOutputPaths(api: GenerationApi, body: Obj): Allowed {
  const live = new Map<string, boolean>();
  const protectedPaths = new Set<string>();
  const add = (path: JsonPath, text: unknown, isLive: boolean, prot: boolean) => {
    if (typeof text !== "string") return;
    prot ? protectedPaths.add(pathKey(path)) : live.set(pathKey(path), isLive);
  };
  if (api === "messages") {
    const messages = arr(body.messages);
    const lastAssistant = messages.findLastIndex((m) => obj(m)?.role === "assistant");
    const names = new Map<unknown, unknown>();
    // Calls are named by assistant turns only (as the API defines them), with string ids.
    for (const m of messages)
      if (obj(m)?.role === "assistant")
        for (const b of arr(obj(m)?.content))
          if (obj(b)?.type === "tool_use" && isNamed(obj(b)!.id, obj(b)!.name))
            names.set(obj(b)!.id, obj(b)!.name);
    messages.forEach((m, i) => {
      if (obj(m)?.role !== "user") return;
      arr(obj(m)!.content).forEach((b, j) => {
        const block = obj(b);
        if (block?.type !== "tool_result") return;
        const prot = names.get(block.tool_use_id) === "headroom_retrieve";
        if (typeof block.content === "string")
          add(["messages", i, "content", j, "content"], block.content, i > lastAssistant, prot);
        else
          arr(block.content).forEach((p, k) => {
            if (obj(p)?.type === "text")
              add(
                ["messages", i, "content", j, "content", k, "text"],
                obj(p)!.text,
                i > lastAssistant,
                prot,
              );
          });
      });
    });
  } else if (api === "chat") {
    const messages = arr(body.messages);
    const lastAssistant = messages.findLastIndex((m) => obj(m)?.role === "assistant");
    const names = new Map<unknown, unknown>();
    for (const m of messages)
      if (obj(m)?.role === "assistant")
        for (const c of arr(obj(m)?.tool_calls))
          if (isNamed(obj(c)?.id, obj(obj(c)?.function)?.name))
            names.set(obj(c)!.id, obj(obj(c)!.function)!.name);
    messages.forEach((m, i) => {
      const message = obj(m);
      if (message?.role !== "tool") return;
      const prot = names.get(message.tool_call_id) === "headroom_retrieve";
      if (typeof message.content === "string")
        add(["messages", i, "content"], message.content, i > lastAssistant, prot);
      else
        arr(message.content).forEach((p, k) => {
          if (obj(p)?.type === "text")
            add(["messages", i, "content", k, "text"], obj(p)!.text, i > lastAssistant, prot);
        });
    });
  } else {
    const items = arr(body.input);
    const modelTypes = [
      "function_call",
      "custom_tool_call",
      "reasoning",
      "local_shell_call",
      "web_search_call",
    ];
    const lastModel = items.findLastIndex(
      (it) => modelTypes.includes(String(obj(it)?.type)) || obj(it)?.role === "assistant",
    );
    const names = new Map<unknown, unknown>();
    for (const it of items)
      if (
        (obj(it)?.type === "function_call" || obj(it)?.type === "custom_tool_call") &&
        isNamed(obj(it)!.call_id, obj(it)!.name)
      )
        names.set(obj(it)!.call_id, obj(it)!.name);
    items.forEach((it, i) => {
      const item = obj(it);
      if (item?.type !== "function_call_output" && item?.type !== "custom_tool_call_output") return;
      const prot = names.get(item.call_id) === "headroom_retrieve";
      if (typeof item.output === "string")
        add(["input", i, "output"], item.output, i > lastModel, prot);
      else
        arr(item.output).forEach((p, k) => {
          if (["input_text", "output_text", "text"].includes(String(obj(p)?.type)))
            add(["input", i, "output", k, "text"], obj(p)!.text, i > lastModel, prot);
        });
    });
  }
  return { live, protectedPaths };
}

function settingsOf(input: RequestInput): CompressionSettings {
  const s = input.settings;
  return {
    lossy: s.lossy,
    budgetMs: Number.POSITIVE_INFINITY,
    minTokens: s.minTokens,
    minSavedTokens: s.minSavedTokens,
    minSavingsRatio: s.minSavingsRatio,
    errorProtectTokens: s.errorProtectTokens,
    excludeTools: new Set(s.exclude),
  };
}

function run(
  input: RequestInput,
  body: Obj,
  store: DecisionStore,
  options: { replayOnly?: boolean } = {},
): RequestCompression {
  const swallowed = new SwallowedErrors();
  const plan = compressRequestNow(
    input.api,
    body,
    settingsOf(input),
    { decisions: store, sha256: sha256Hex, now: () => 0 },
    { allLive: input.allLive, ...options, probe: swallowed.probe },
  );
  if (swallowed.caught.length > 0) fail("swallowed-error", swallowed.describeFirst());
  return plan;
}

const editsOf = (plan: RequestCompression) =>
  plan.edits.map((e) => ({
    path: e.slot.path,
    text: e.text,
    strategy: e.strategy,
    lossy: e.lossy,
    hash: e.hash,
  }));

export const requestTarget: Target<RequestInput> = {
  name: "compress-request",
  generate(rng) {
    const c = genRequest(rng);
    return {
      ...c,
      settings: {
        lossy: rng.chance(0.6),
        minTokens: rng.pick([0, 50, 200]),
        minSavedTokens: rng.pick([1, 20, 50]),
        minSavingsRatio: rng.pick([0, 0.1, 0.3]),
        errorProtectTokens: rng.pick([0, 2000]),
        exclude: rng.chance(0.2) ? ["Bash"] : [],
      },
      allLive: rng.chance(0.2),
    };
  },
  check(input) {
    const parsed = parseJsonObject(encoder.encode(input.text));
    if (parsed instanceof BodyProblem) fail("request-unparsable", parsed.message);
    const body = parsed.value;
    const original = structuredClone(body);
    const allowed = toolOutputPaths(input.api, body);

    // Slots: exactly the tool outputs, each pointing at its own text.
    const slots = findSlots(input.api, body);
    for (const slot of slots) {
      const key = pathKey(slot.path);
      if (at(body, slot.path) !== slot.text) fail("slot-wrong-text", key);
      if (!allowed.live.has(key) && !allowed.protectedPaths.has(key))
        fail("slot-not-a-tool-output", key);
      if (allowed.protectedPaths.has(key) && !slot.protection) fail("slot-unprotected", key);
      if (allowed.live.has(key) && !input.allLive && slot.live !== allowed.live.get(key))
        fail("slot-live-wrong", key);
    }
    if (slots.length !== allowed.live.size + allowed.protectedPaths.size)
      fail(
        "slot-missed",
        `${slots.length} slots, ${allowed.live.size + allowed.protectedPaths.size} tool outputs`,
      );

    const store = new MapStore();
    const plan = run(input, body, store);
    const again = run(input, structuredClone(original) as Obj, new MapStore());
    if (!equal(editsOf(plan), editsOf(again))) fail("request-nondeterministic", "");
    if (!equal(body, original))
      fail("request-mutated-body", "compressRequest changed the parsed body");

    for (const edit of plan.edits) {
      requestStats.edits++;
      const key = pathKey(edit.slot.path);
      if (!allowed.live.has(key)) fail("edit-outside-tool-output", key);
      if (!input.allLive && !allowed.live.get(key)) fail("edit-in-history", key);
      if (carriesMarker(edit.slot.text)) fail("edit-of-marked-output", key);
      if (input.settings.exclude.includes(edit.slot.toolName ?? ""))
        fail("edit-of-excluded-tool", key);
      if (edit.text.length >= edit.slot.text.length) fail("edit-not-shorter", key);
      const hash = sha256Hex(edit.slot.text).slice(0, 24);
      if (edit.hash !== hash) fail("edit-wrong-hash", key);
      if (edit.lossy !== edit.text.includes(`hash=${hash}`))
        fail("edit-marker-mismatch", `${edit.strategy} lossy=${edit.lossy}`);
      if (edit.lossy && !input.settings.lossy) fail("edit-lossy-when-lossless", edit.strategy);
      if (isEncodingLoaded("o200k_base")) {
        const before = countWithEncoding(edit.slot.text, "o200k_base");
        const after = countWithEncoding(edit.text, "o200k_base");
        // The router gates on estimates (exact counts stay off the request path), so a real
        // saving is only promised when the thresholds exceed the estimate's error; below that
        // (a user's "save at least 1 token") a saving of zero is counted, not failed.
        const strict = input.settings.minSavedTokens >= 20 && input.settings.minSavingsRatio >= 0.1;
        if (after >= before && strict)
          fail("edit-costs-tokens", `${edit.strategy}: ${before} -> ${after} o200k tokens`);
        if (after >= before) requestStats.noRealSaving++;
      }
    }

    // Splice the edits into the text: valid JSON, and everything but the edited outputs identical.
    const splices = planSplices(input.text, plan);
    const out = applySplices(parsed.text, splices);
    if (plan.edits.length === 0 && out !== parsed.text) fail("request-changed-without-edits", "");
    let after: unknown;
    try {
      after = JSON.parse(out);
    } catch (error) {
      fail("request-invalid-after-splice", (error as Error).message);
    }
    for (const edit of plan.edits) {
      if (at(after, edit.slot.path) !== edit.text)
        fail("request-splice-misplaced", pathKey(edit.slot.path));
      setAt(after, edit.slot.path, edit.slot.text);
    }
    if (!equal(after, original))
      fail("request-protected-zone-changed", "a part other than an edited tool output changed");
    const sorted = [...splices].sort((a, b) => a.start - b.start);
    let cursor = 0;
    let outCursor = 0;
    for (const s of sorted) {
      const keptLength = s.start - cursor;
      if (parsed.text.slice(cursor, s.start) !== out.slice(outCursor, outCursor + keptLength))
        fail("request-bytes-changed", `before offset ${s.start}`);
      outCursor += keptLength + s.text.length;
      cursor = s.end;
    }
    if (parsed.text.slice(cursor) !== out.slice(outCursor))
      fail("request-bytes-changed", "after the last edit");

    // Stable history: the same store replays the same bytes, also when only replaying.
    const replay = run(input, structuredClone(original) as Obj, store);
    if (!equal(editsOf(replay), editsOf(plan))) fail("replay-differs", "");
    if (replay.edits.some((e) => !e.replayed)) fail("replay-not-replayed", "");
    const replayOnly = run(input, structuredClone(original) as Obj, store, { replayOnly: true });
    if (!equal(editsOf(replayOnly), editsOf(plan))) fail("replay-only-differs", "");
    const fresh = run(input, structuredClone(original) as Obj, new MapStore(), {
      replayOnly: true,
    });
    if (fresh.edits.length > 0) fail("replay-only-compressed", "");
  },
  *shrink(input) {
    let value: unknown;
    try {
      value = JSON.parse(input.text);
    } catch {
      return;
    }
    for (const smaller of shrinkJsonValue(value)) yield { ...input, text: JSON.stringify(smaller) };
  },
};

export const requestTargets = [bodyTarget, jsonEditTarget, requestTarget] as const;
