/**
 * Fuzz target for usage reading: whatever a body or stream event holds (odd types, huge,
 * negative or fractional numbers, damaged JSON), reading usage never throws and every figure it
 * reports is a finite, non-negative number.
 * @module
 */

import type { Api } from "../../../src/core/api.ts";
import { foldStreamUsage, type Usage, usageFromBody } from "../../../src/core/usage.ts";
import { fail, shrinkString, type Target } from "./harness.ts";
import { mutate } from "./mutate.ts";
import type { Rng } from "./rng.ts";

export interface UsageInput {
  api: Api;
  /** Stream event data, in order; the last one is also read as a whole body. */
  events: string[];
}

function count(rng: Rng): unknown {
  return rng.weighted<unknown>([
    [10, rng.int(100_000)],
    [1, 1e308],
    [1, Number.MAX_SAFE_INTEGER],
    [1, -5],
    [1, 0.5],
    [1, "12"],
    [1, null],
    [1, { n: 1 }],
  ]);
}

function usageObject(api: Api, rng: Rng): Record<string, unknown> {
  if (api === "messages") {
    return {
      input_tokens: count(rng),
      output_tokens: count(rng),
      cache_read_input_tokens: count(rng),
      cache_creation_input_tokens: count(rng),
    };
  }
  if (api === "responses")
    return {
      input_tokens: count(rng),
      output_tokens: count(rng),
      input_tokens_details: { cached_tokens: count(rng) },
    };
  return {
    prompt_tokens: count(rng),
    completion_tokens: count(rng),
    prompt_tokens_details: { cached_tokens: count(rng) },
  };
}

function event(api: Api, rng: Rng): string {
  const usage = usageObject(api, rng);
  const shapes: unknown[] =
    api === "messages"
      ? [
          { type: "message_start", message: { usage } },
          { type: "message_delta", usage },
        ]
      : api === "responses"
        ? [{ type: "response.completed", response: { usage } }, { usage }]
        : [{ choices: [], usage }, { usage: null }];
  const text = JSON.stringify(rng.pick(shapes));
  return rng.chance(0.3) ? mutate(text, rng, () => text, 2) : text;
}

const finite = (u: Usage) =>
  Object.values(u).every((v) => typeof v === "number" && Number.isFinite(v) && v >= 0);

export const usageTarget: Target<UsageInput> = {
  name: "usage",
  generate(rng) {
    const api = rng.pick<Api>(["messages", "chat", "responses"]);
    return { api, events: Array.from({ length: rng.range(1, 4) }, () => event(api, rng)) };
  },
  check({ api, events }) {
    const into: Usage = {};
    for (const data of events) foldStreamUsage(api, { event: "message", data }, into);
    if (!finite(into)) fail("usage-not-finite", `stream: ${JSON.stringify(into)}`);
    let body: unknown;
    try {
      body = JSON.parse(events[events.length - 1]!);
    } catch {
      return;
    }
    const fromBody = usageFromBody(api, body);
    if (!finite(fromBody)) fail("usage-not-finite", `body: ${JSON.stringify(fromBody)}`);
  },
  *shrink(input) {
    for (let i = 0; i < input.events.length; i++) {
      if (input.events.length > 1)
        yield { ...input, events: input.events.filter((_, j) => j !== i) };
      for (const smaller of shrinkString(input.events[i]!)) {
        yield { ...input, events: input.events.map((e, j) => (j === i ? smaller : e)) };
      }
    }
  },
};
