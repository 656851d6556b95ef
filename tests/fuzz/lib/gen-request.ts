/**
 * Random but valid generation requests for the three APIs (Anthropic Messages, OpenAI Chat,
 * OpenAI Responses), with system prompts, tools, thinking blocks, images, cache_control, errors,
 * headroom_retrieve results and marker-carrying outputs, written in random JSON styles.
 * @module
 */

import type { GenerationApi } from "../../../src/compress/slots.ts";
import { type Json, JsonObj, RawNumber, writeJson } from "./gen-text.ts";
import type { Rng } from "./rng.ts";
import { genToolText } from "./targets-compress.ts";

type Plain = unknown;

const TOOL_NAMES = ["Bash", "Read", "Grep", "ls", "fetch_url", "headroom_retrieve", "run_tests"];

function toolOutput(rng: Rng): string {
  const r = rng.next();
  if (r < 0.05) return rng.words(rng.range(0, 30)); // small
  if (r < 0.08)
    return `[headroom: 12 rows omitted; the full original is available via headroom_retrieve hash=${rng.hex(24)}]\n${genToolText(rng)}`;
  return genToolText(
    rng,
    rng.pick(["json", "log", "search", "diff", "listing", "table", "html", "json", "log"] as const),
  );
}

function cacheControl(rng: Rng): Record<string, unknown> {
  return rng.chance(0.1) ? { cache_control: { type: "ephemeral" } } : {};
}

function image(rng: Rng): Plain {
  return { type: "image", source: { type: "base64", media_type: "image/png", data: rng.hex(64) } };
}

function anthropic(rng: Rng): Record<string, unknown> {
  const messages: Plain[] = [];
  const turns = rng.range(1, 5);
  for (let t = 0; t < turns; t++) {
    const calls = Array.from({ length: rng.range(0, 3) }, (_, k) => ({
      id: `toolu_${t}_${k}`,
      name: rng.pick(TOOL_NAMES),
    }));
    if (t === 0 || rng.chance(0.5)) {
      messages.push({
        role: "user",
        content: rng.chance(0.5)
          ? rng.words(rng.range(1, 40))
          : [
              { type: "text", text: rng.words(rng.range(1, 60)), ...cacheControl(rng) },
              ...(rng.chance(0.2) ? [image(rng)] : []),
            ],
      });
    }
    messages.push({
      role: "assistant",
      content: [
        ...(rng.chance(0.4)
          ? [{ type: "thinking", thinking: rng.words(rng.range(1, 50)), signature: rng.hex(64) }]
          : []),
        ...(rng.chance(0.1) ? [{ type: "redacted_thinking", data: rng.hex(40) }] : []),
        ...(rng.chance(0.7) ? [{ type: "text", text: rng.words(rng.range(1, 30)) }] : []),
        ...calls.map((c) => ({
          type: "tool_use",
          id: c.id,
          name: c.name,
          input: { command: rng.words(3) },
        })),
      ],
    });
    if (calls.length > 0 || rng.chance(0.3)) {
      const results = (calls.length ? calls : [{ id: "toolu_orphan", name: "x" }]).map((c) => {
        const text = toolOutput(rng);
        const content = rng.chance(0.6)
          ? text
          : [
              { type: "text", text, ...cacheControl(rng) },
              ...(rng.chance(0.2) ? [{ type: "text", text: toolOutput(rng) }] : []),
              ...(rng.chance(0.1) ? [image(rng)] : []),
            ];
        return {
          type: "tool_result",
          tool_use_id: c.id,
          content,
          ...(rng.chance(0.1) ? { is_error: true } : {}),
          ...cacheControl(rng),
        };
      });
      messages.push({
        role: "user",
        content: [...results, ...(rng.chance(0.3) ? [{ type: "text", text: rng.words(10) }] : [])],
      });
    }
  }
  // Usually the newest turn is tool results (the live zone); sometimes a question or an assistant turn.
  if (rng.chance(0.15)) messages.push({ role: "user", content: rng.words(12) });
  return {
    model: rng.pick(["claude-sonnet-4-5", "claude-opus-4-1", "claude-3-5-haiku-latest"]),
    max_tokens: 1024,
    ...(rng.chance(0.8)
      ? {
          system: rng.chance(0.5)
            ? rng.words(40)
            : [{ type: "text", text: rng.words(60), ...cacheControl(rng) }],
        }
      : {}),
    ...(rng.chance(0.7)
      ? {
          tools: TOOL_NAMES.slice(0, rng.range(1, 5)).map((name) => ({
            name,
            description: rng.words(10),
            input_schema: { type: "object", properties: { command: { type: "string" } } },
          })),
        }
      : {}),
    messages,
    ...(rng.chance(0.5) ? { stream: true } : {}),
  };
}

function chat(rng: Rng): Record<string, unknown> {
  const messages: Plain[] = [];
  if (rng.chance(0.8))
    messages.push({ role: rng.pick(["system", "developer"]), content: rng.words(30) });
  const turns = rng.range(1, 5);
  for (let t = 0; t < turns; t++) {
    messages.push({
      role: "user",
      content: rng.chance(0.5) ? rng.words(20) : [{ type: "text", text: rng.words(20) }],
    });
    const calls = Array.from({ length: rng.range(0, 3) }, (_, k) => ({
      id: `call_${t}_${k}`,
      name: rng.pick(TOOL_NAMES),
    }));
    messages.push({
      role: "assistant",
      content: rng.chance(0.5) ? null : rng.words(15),
      ...(calls.length
        ? {
            tool_calls: calls.map((c) => ({
              id: c.id,
              type: "function",
              function: { name: c.name, arguments: JSON.stringify({ q: rng.word() }) },
            })),
          }
        : {}),
    });
    for (const c of calls) {
      const text = toolOutput(rng);
      messages.push({
        role: "tool",
        tool_call_id: c.id,
        content: rng.chance(0.7) ? text : [{ type: "text", text }],
      });
    }
  }
  if (rng.chance(0.15)) messages.push({ role: "user", content: rng.words(12) });
  return {
    model: rng.pick(["gpt-4o", "gpt-5", "o3-mini"]),
    messages,
    ...(rng.chance(0.7)
      ? {
          tools: TOOL_NAMES.slice(0, rng.range(1, 5)).map((name) => ({
            type: "function",
            function: { name, description: rng.words(8), parameters: { type: "object" } },
          })),
        }
      : {}),
    ...(rng.chance(0.5) ? { stream: true, stream_options: { include_usage: true } } : {}),
  };
}

function responses(rng: Rng): Record<string, unknown> {
  if (rng.chance(0.05)) return { model: "gpt-5", input: rng.words(20) };
  const input: Plain[] = [];
  const turns = rng.range(1, 5);
  for (let t = 0; t < turns; t++) {
    input.push({
      role: "user",
      content: rng.chance(0.5) ? rng.words(20) : [{ type: "input_text", text: rng.words(20) }],
    });
    if (rng.chance(0.4))
      input.push({ type: "reasoning", id: `rs_${t}`, summary: [], encrypted_content: rng.hex(80) });
    const calls = Array.from({ length: rng.range(0, 3) }, (_, k) => ({
      id: `call_${t}_${k}`,
      name: rng.pick(TOOL_NAMES),
    }));
    for (const c of calls)
      input.push({
        type: rng.chance(0.9) ? "function_call" : "custom_tool_call",
        call_id: c.id,
        name: c.name,
        arguments: "{}",
      });
    if (rng.chance(0.3))
      input.push({ role: "assistant", content: [{ type: "output_text", text: rng.words(10) }] });
    for (const c of calls) {
      const text = toolOutput(rng);
      input.push({
        type: rng.chance(0.9) ? "function_call_output" : "custom_tool_call_output",
        call_id: c.id,
        output: rng.chance(0.7)
          ? text
          : [{ type: rng.pick(["input_text", "output_text", "text"]), text }],
      });
    }
  }
  return {
    model: rng.pick(["gpt-5", "gpt-5-codex", "o4-mini"]),
    ...(rng.chance(0.7) ? { instructions: rng.words(40) } : {}),
    input,
    ...(rng.chance(0.5)
      ? { tools: [{ type: "function", name: "shell", parameters: { type: "object" } }] }
      : {}),
    ...(rng.chance(0.3) ? { store: false, include: ["reasoning.encrypted_content"] } : {}),
  };
}

/** Converts a plain value to the writer's tree, sometimes with a duplicate (shadowed) key. */
function toJson(value: Plain, rng: Rng): Json {
  if (value === null || typeof value === "boolean" || typeof value === "string") return value;
  if (typeof value === "number") {
    // Another writer's lexeme for the same number ("1024.0"); never on exponent forms.
    const plain = String(value);
    return new RawNumber(rng.chance(0.1) && /^-?\d+$/.test(plain) ? `${plain}.0` : plain);
  }
  if (Array.isArray(value)) return value.map((v) => toJson(v, rng));
  const entries: [string, Json][] = Object.entries(value as object).map(([k, v]) => [
    k,
    toJson(v, rng),
  ]);
  if (entries.length > 0 && rng.chance(0.02)) {
    // An earlier duplicate: JSON.parse keeps the last one, and so must every reader here.
    const [key] = rng.pick(entries);
    entries.unshift([key, rng.pick<Json>(["shadowed", null, new RawNumber("0")])]);
  }
  return new JsonObj(entries);
}

export interface RequestCase {
  api: GenerationApi;
  text: string;
}

const SWAPS = [
  "user",
  "assistant",
  "tool",
  "system",
  "tool_result",
  "tool_use",
  "text",
  "function_call_output",
  "function_call",
  "reasoning",
  "input_text",
];

/** Breaks the API shape in place: wrong types, swapped roles and block types, missing keys. */
function damageShape(body: Record<string, unknown>, rng: Rng): void {
  const spots: [Record<string | number, unknown>, string | number][] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v))
      v.forEach((x, i) => {
        spots.push([v as unknown as Record<number, unknown>, i]);
        walk(x);
      });
    else if (v !== null && typeof v === "object")
      for (const [k, x] of Object.entries(v)) {
        spots.push([v as Record<string, unknown>, k]);
        walk(x);
      }
  };
  walk(body);
  for (let n = rng.range(1, 4); n > 0 && spots.length > 0; n--) {
    const [parent, key] = rng.pick(spots);
    const r = rng.next();
    if (r < 0.4 && typeof parent[key] === "string" && SWAPS.includes(parent[key] as string))
      parent[key] = rng.pick(SWAPS);
    else if (r < 0.6 && !Array.isArray(parent)) delete parent[key];
    else
      parent[key] = rng.pick<unknown>([
        null,
        0,
        -1,
        "x",
        [],
        {},
        true,
        [null],
        { type: "text" },
        { text: 5 },
        1e308,
      ]);
  }
}

export function genRequest(rng: Rng): RequestCase {
  const api = rng.pick<GenerationApi>(["messages", "chat", "responses"]);
  const body = api === "messages" ? anthropic(rng) : api === "chat" ? chat(rng) : responses(rng);
  if (rng.chance(0.25)) damageShape(body, rng);
  return { api, text: writeJson(toJson(body, rng), rng) };
}
