/**
 * A fake provider that bills prompt caching: Anthropic Messages (`/v1/messages`) and OpenAI
 * Responses (`/v1/responses`) on 127.0.0.1, each request rendered (render.ts), charged against
 * this server's own caches (billing.ts) and answered with a short text in the provider's wire
 * format (JSON, or SSE when the request streams), its `usage` carrying what was billed. Every
 * request is kept in `received` for the benchmark to inspect. One instance is one provider
 * account: run one for direct traffic and another for proxied traffic so they share no cache.
 */

import { AnthropicCache, type Bill, OpenAICache } from "./billing.ts";
import { type Rendered, renderAnthropic, renderResponses } from "./render.ts";
import { anthropicJson, anthropicSse, responsesJson, responsesSse } from "./wire.ts";

/** One request as the upstream received and billed it. */
export interface Received {
  readonly path: string;
  readonly body: string;
  // biome-ignore lint/suspicious/noExplicitAny: provider request JSON
  readonly json: any;
  readonly prompt: Rendered;
  readonly bill: Bill;
}

export interface PricingUpstream {
  readonly url: string;
  readonly received: Received[];
  stop(): void;
}

const ANSWER = { kind: "text", text: "Noted." } as const;
const OUTPUT_TOKENS = 3;

/**
 * Starts one fake provider account. With `cacheTtlMs` its cached prefixes expire that long after
 * their last use, as real prompt caches do (tests and the idle-gap benchmark set seconds).
 */
export function startPricingUpstream(options: { cacheTtlMs?: number } = {}): PricingUpstream {
  const received: Received[] = [];
  const lifetime =
    options.cacheTtlMs === undefined ? undefined : { ttlMs: options.cacheTtlMs, now: Date.now };
  const anthropic = new AnthropicCache(lifetime);
  const openai = new OpenAICache(lifetime);
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      const path = new URL(request.url).pathname;
      if (request.method !== "POST" || (path !== "/v1/messages" && path !== "/v1/responses"))
        return Response.json({ error: { message: `no route ${path}` } }, { status: 404 });
      const body = await request.text();
      const json = JSON.parse(body);
      const sse = { "content-type": "text/event-stream" };
      if (path === "/v1/messages") {
        const prompt = renderAnthropic(json);
        const bill = anthropic.charge(prompt);
        received.push({ path, body, json, prompt, bill });
        const usage = {
          input_tokens: bill.uncached,
          cache_creation_input_tokens: bill.cacheWrite,
          cache_read_input_tokens: bill.cacheRead,
          output_tokens: OUTPUT_TOKENS,
        };
        return json.stream
          ? new Response(anthropicSse(ANSWER, json.model, usage), { headers: sse })
          : new Response(anthropicJson(ANSWER, json.model, usage), {
              headers: { "content-type": "application/json" },
            });
      }
      const prompt = renderResponses(json);
      const bill = openai.charge(prompt);
      received.push({ path, body, json, prompt, bill });
      const usage = {
        input_tokens: bill.total,
        input_tokens_details: { cached_tokens: bill.cacheRead },
        output_tokens: OUTPUT_TOKENS,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: bill.total + OUTPUT_TOKENS,
      };
      return json.stream
        ? new Response(responsesSse(ANSWER, json.model, usage), { headers: sse })
        : new Response(responsesJson(ANSWER, json.model, usage), {
            headers: { "content-type": "application/json" },
          });
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    received,
    stop: () => server.stop(true),
  };
}
