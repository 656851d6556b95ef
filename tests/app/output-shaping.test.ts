import { describe, expect, test } from "bun:test";
import { TERSE_INSTRUCTIONS } from "../../src/shape/output-shaper.ts";
import { json } from "../helpers/http.ts";
import { buildApp, waitFor } from "../helpers/proxy.ts";
import { anthropicMessage, chatCompletion } from "../helpers/wire.ts";

const post = (body: unknown, headers: Record<string, string> = {}) => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});

/** An upstream whose model writes less when asked to be concise, like a real one would. */
function shapedApp(env: Record<string, string>) {
  const bodies: Record<string, unknown>[] = [];
  const app = buildApp({
    env,
    fetch: async (url, init) => {
      const text = new TextDecoder().decode(init.body as Uint8Array);
      bodies.push(JSON.parse(text));
      const output = text.includes("Be concise") ? 60 : 100;
      const usage = { input: 1000, output, cacheRead: 0, cacheWrite: 0 };
      return new Response(
        url.endsWith("/v1/messages")
          ? anthropicMessage({ kind: "text", text: "ok" }, "m", usage)
          : chatCompletion({ kind: "text", text: "ok" }, "m", usage),
      );
    },
  });
  return { ...app, bodies };
}

const anthropicTurn = (question: string) => ({
  model: "claude-sonnet-4-5",
  system: [{ type: "text", text: "You are a coding agent.", cache_control: { type: "ephemeral" } }],
  messages: [{ role: "user", content: question }],
});

describe("output shaping", () => {
  test("is off by default", async () => {
    const app = shapedApp({});
    await app.request("/v1/messages", post(anthropicTurn("hi")));
    expect(app.bodies[0]).toEqual(anthropicTurn("hi"));
  });

  test("adds the instruction after the system prompt's cache breakpoint, the same bytes every turn, and nothing else", async () => {
    const app = shapedApp({ HEADROOM_OUTPUT_SHAPER: "1" });
    const turn1 = anthropicTurn("fix the bug");
    const turn2 = {
      ...turn1,
      messages: [
        ...turn1.messages,
        { role: "assistant", content: "done" },
        { role: "user", content: "thanks" },
      ],
    };
    await app.request("/v1/messages", post(turn1));
    await app.request("/v1/messages", post(turn2));
    const [first, second] = app.bodies as { system: unknown[]; messages: unknown }[];
    expect(first!.system).toEqual([
      ...turn1.system,
      { type: "text", text: TERSE_INSTRUCTIONS[2]! },
    ]);
    expect(second!.system).toEqual(first!.system);
    expect(first!.messages).toEqual(turn1.messages);
    expect(second!.messages).toEqual(turn2.messages);
  });

  test("lowers OpenAI reasoning effort only on turns that resume after tool results; never Anthropic thinking", async () => {
    const app = shapedApp({ HEADROOM_OUTPUT_SHAPER: "1" });
    const chat = (messages: unknown[]) => ({
      model: "o3",
      reasoning_effort: "high",
      messages: [{ role: "system", content: "Be helpful." }, ...messages],
    });
    await app.request("/v1/chat/completions", post(chat([{ role: "user", content: "plan it" }])));
    await app.request(
      "/v1/chat/completions",
      post(
        chat([
          { role: "user", content: "plan it" },
          {
            role: "assistant",
            content: null,
            tool_calls: [{ id: "c", type: "function", function: { name: "ls", arguments: "{}" } }],
          },
          { role: "tool", tool_call_id: "c", content: "a b c" },
        ]),
      ),
    );
    expect(app.bodies[0]!.reasoning_effort).toBe("high");
    expect(app.bodies[1]!.reasoning_effort).toBe("low");
    expect((app.bodies[1]!.messages as { content: string }[])[0]!.content).toBe(
      `Be helpful.\n\n${TERSE_INSTRUCTIONS[2]}`,
    );
    const thinking = {
      ...anthropicTurn("x"),
      thinking: { type: "enabled", budget_tokens: 8000 },
      messages: [
        { role: "user", content: "x" },
        { role: "assistant", content: [{ type: "tool_use", id: "t", name: "Bash", input: {} }] },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "t", content: "ok" }] },
      ],
    };
    await app.request("/v1/messages", post(thinking));
    expect(app.bodies[2]!.thinking).toEqual({ type: "enabled", budget_tokens: 8000 });
  });

  test("never shapes a bypassed request, and can be switched on live", async () => {
    const app = shapedApp({});
    await app.request(
      "/admin/runtime-env",
      post({ HEADROOM_OUTPUT_SHAPER: "on", HEADROOM_VERBOSITY_LEVEL: "3" }),
    );
    await app.request("/v1/messages", post(anthropicTurn("a")));
    await app.request("/v1/messages", post(anthropicTurn("b"), { "x-headroom-bypass": "true" }));
    expect((app.bodies[0]!.system as { text: string }[]).at(-1)!.text).toBe(TERSE_INSTRUCTIONS[3]!);
    expect(app.bodies[1]).toEqual(anthropicTurn("b"));
  });

  test("with a hold-out share, whole conversations stay unshaped and the saving is measured with its interval", async () => {
    const app = shapedApp({ HEADROOM_OUTPUT_SHAPER: "1", HEADROOM_OUTPUT_HOLDOUT: "0.5" });
    for (let i = 0; i < 40; i++) {
      const turn = anthropicTurn(`question ${i}`);
      await (await app.request("/v1/messages", post(turn))).text();
      // A second turn of the same conversation is shaped (or held out) just like its first.
      await (
        await app.request(
          "/v1/messages",
          post({
            ...turn,
            messages: [
              ...turn.messages,
              { role: "assistant", content: "a" },
              { role: "user", content: "b" },
            ],
          }),
        )
      ).text();
    }
    await waitFor(() => app.exchanges.filter((e) => e.outcome !== "local").length === 80);
    const shapedPairs = app.bodies
      .filter((_, i) => i % 2 === 0)
      .map((b, i) => [
        JSON.stringify(b.system).includes("Be concise"),
        JSON.stringify(app.bodies[i * 2 + 1]!.system).includes("Be concise"),
      ]);
    expect(shapedPairs.every(([a, b]) => a === b)).toBe(true);
    const heldOut = shapedPairs.filter(([a]) => !a).length;
    expect(heldOut).toBeGreaterThan(5);
    expect(heldOut).toBeLessThan(35);
    const stats = await json(app.request("/stats"));
    const terse = stats.output_shaping.terseness;
    expect(terse.method).toBe("measured");
    expect(terse.requests + terse.holdout_requests).toBe(80);
    expect(terse.output_tokens_saved).toBe(40 * terse.requests);
    expect(terse.reduction_percent).toBe(40);
    expect(terse.ci_low).toBeLessThanOrEqual(terse.output_tokens_saved);
    expect(terse.ci_high).toBeGreaterThanOrEqual(terse.output_tokens_saved);
    expect(terse.verdict).toBe("saves more than it costs");
  });

  test("without a hold-out, the saving is reported as an estimate with its range", async () => {
    const app = shapedApp({ HEADROOM_OUTPUT_SHAPER: "1" });
    await (await app.request("/v1/messages", post(anthropicTurn("q")))).text();
    await waitFor(() => app.exchanges.some((e) => e.outcome === "ok"));
    const terse = (await json(app.request("/stats"))).output_shaping.terseness;
    expect(terse.method).toBe("estimated");
    expect(terse.ci_low).toBeLessThan(terse.output_tokens_saved);
    expect(terse.ci_high).toBeGreaterThan(terse.output_tokens_saved);
    expect(terse.verdict).toBe("unmeasured");
  });
});
