/**
 * A Claude Code session built from the tool outputs the real Claude Code sent (the captured
 * shapes in tests/fixtures/agent-shapes): each turn is one tool call and its tool_result block
 * as captured, the newest carrying the moving cache breakpoint, under Claude Code's system
 * prompt breakpoint and tool list. For tests that follow one conversation across proxies.
 */

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SHAPES_DIR } from "./agent-shapes.ts";

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary provider JSON
type Json = any;

const BREAKPOINT = { type: "ephemeral" };

/** The captured Claude Code tool calls, in file-name order. */
export const CLAUDE_SHAPES: { tool: string; input: Json; content: Json }[] = readdirSync(SHAPES_DIR)
  .filter((name) => name.startsWith("claude-") && name.endsWith(".json"))
  .sort()
  .map((name) => {
    const shape = JSON.parse(readFileSync(join(SHAPES_DIR, name), "utf8"));
    return { tool: shape.tool, input: shape.input, content: shape.sent.content };
  });

/** What the provider renders and caches, in order: tools, system, messages (breakpoints aside). */
export function renderedPrompt(body: string): string {
  const value = JSON.parse(body) as Record<string, unknown>;
  const strip = (key: string, v: unknown) => (key === "cache_control" ? undefined : v);
  const parts = [JSON.stringify(value.tools ?? null, strip), JSON.stringify(value.system, strip)];
  for (const message of value.messages as unknown[]) parts.push(JSON.stringify(message, strip));
  return parts.join("\n");
}

/** One conversation; `turn()` adds the next captured tool call and returns the request body. */
export class ClaudeSession {
  readonly messages: Json[] = [{ role: "user", content: "Look through the project's logs." }];
  #turn = 0;

  /** `stream`: ask for the answer as SSE, as Claude Code does. */
  constructor(
    readonly label = "s",
    readonly stream = false,
  ) {}

  turn(): string {
    const shape = CLAUDE_SHAPES[this.#turn % CLAUDE_SHAPES.length]!;
    this.#turn++;
    const id = `toolu_${this.label}_${String(this.#turn).padStart(3, "0")}`;
    const last = this.messages.at(-1);
    if (Array.isArray(last?.content)) for (const block of last.content) delete block.cache_control;
    this.messages.push(
      {
        role: "assistant",
        content: [{ type: "tool_use", id, name: shape.tool, input: shape.input }],
      },
      {
        role: "user",
        content: [
          {
            type: "tool_result",
            tool_use_id: id,
            content: shape.content,
            cache_control: BREAKPOINT,
          },
        ],
      },
    );
    return this.body();
  }

  body(): string {
    return JSON.stringify({
      model: "claude-sonnet-4-5",
      max_tokens: 4096,
      system: [{ type: "text", text: "You are Claude Code.", cache_control: BREAKPOINT }],
      tools: ["Bash", "Read", "Grep"].map((name) => ({
        name,
        description: `The ${name} tool`,
        input_schema: { type: "object" },
      })),
      messages: this.messages,
      stream: this.stream,
    });
  }
}
