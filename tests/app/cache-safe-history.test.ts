/**
 * The prompt the provider caches never changes behind it: every upstream request of a conversation
 * extends the previous one byte for byte (tools, system, every earlier message), from the first
 * request through the first compression, a live switch of lossy compression, a restart on the
 * same workspace and a bypassed turn; headroom_retrieve is declared from the first request on;
 * a decision applies to the occurrence it was made for; and the one rewrite headroom can cause
 * (the tool added to a conversation already under way) is counted in /stats and /metrics.
 */

import { describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RETRIEVE_TOOL_JSON } from "../../src/ccr/retrieve-tool.ts";
import { openWorkspaceDatabase } from "../../src/store/sqlite-db.ts";
import { SqliteDecisionStore } from "../../src/store/sqlite-decision-store.ts";
import { SqliteOriginalStore } from "../../src/store/sqlite-original-store.ts";
import { type BuildOptions, buildApp, waitFor } from "../helpers/proxy.ts";

const ROOT = join(import.meta.dir, "..", "..");
// Real outputs: this repository's lockfile, and a recorded JSON tool output.
const LOCKFILE = readFileSync(join(ROOT, "package-lock.json"), "utf8");
const EVENTS = JSON.parse(
  readFileSync(
    join(
      ROOT,
      "tests/fixtures/headroom-parity/smart_crusher/dict_array_100_sequential_b91d1fff5ba3.json",
    ),
    "utf8",
  ),
).input.content as string;

const MARKER = /headroom_retrieve hash=[0-9a-f]{24}/;
const BREAKPOINT = { type: "ephemeral" };

type Message = { role: string; content: unknown };

/** What the provider renders and caches, in order: tools, system, messages (breakpoints aside). */
function renderedPrompt(body: string): string {
  const value = JSON.parse(body) as Record<string, unknown>;
  const strip = (key: string, v: unknown) => (key === "cache_control" ? undefined : v);
  const parts = [JSON.stringify(value.tools ?? null, strip), JSON.stringify(value.system, strip)];
  for (const message of value.messages as unknown[]) parts.push(JSON.stringify(message, strip));
  return parts.join("\n");
}

/** A Claude Code-like conversation: each turn runs one command; the newest result carries the breakpoint. */
class Conversation {
  readonly messages: Message[] = [{ role: "user", content: "Check the project's dependencies." }];
  #turn = 0;

  /** Adds one tool call and its output; returns the request body as the client sends it. */
  turn(output: string): string {
    this.#turn++;
    const id = `toolu_${String(this.#turn).padStart(3, "0")}`;
    // The previous newest result loses its breakpoint, as Claude Code moves it every turn.
    const last = this.messages.at(-1);
    if (Array.isArray(last?.content)) {
      for (const block of last.content as Record<string, unknown>[]) delete block.cache_control;
    }
    this.messages.push(
      {
        role: "assistant",
        content: [{ type: "tool_use", id, name: "Bash", input: { command: `step ${this.#turn}` } }],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: id, content: output, cache_control: BREAKPOINT },
        ],
      },
    );
    return this.body();
  }

  body(): string {
    return JSON.stringify({
      model: "claude-sonnet-4-5",
      max_tokens: 1024,
      system: [{ type: "text", text: "You are a coding agent.", cache_control: BREAKPOINT }],
      tools: [{ name: "Bash", description: "Run a command", input_schema: { type: "object" } }],
      messages: this.messages,
    });
  }
}

function workspaceStores() {
  const dir = mkdtempSync(join(tmpdir(), "headroom-cache-safe-"));
  const open = () => {
    const db = openWorkspaceDatabase(dir);
    return { decisions: new SqliteDecisionStore(db), originals: new SqliteOriginalStore(db) };
  };
  return open;
}

function recordingApp(bodies: string[], options: BuildOptions) {
  return buildApp({
    env: { HEADROOM_COMPRESSION_BUDGET_MS: "30000", ...options.env },
    ...options,
    fetch: async (_url, init) => {
      bodies.push(new TextDecoder().decode(init.body as Uint8Array));
      return Response.json({
        id: "msg_1",
        type: "message",
        role: "assistant",
        content: [{ type: "text", text: "ok" }],
        usage: { input_tokens: 10, output_tokens: 2 },
      });
    },
  });
}

/** Sends one request and reads its answer whole, as a client does. */
async function send(app: ReturnType<typeof buildApp>, init: RequestInit): Promise<number> {
  const res = await app.request("/v1/messages", init);
  await res.arrayBuffer();
  return res.status;
}

function post(body: string, headers: Record<string, string> = {}): RequestInit {
  return {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": "sk-ant-test", ...headers },
    body,
  };
}

async function statsOf(app: ReturnType<typeof buildApp>, requests: number) {
  await waitFor(() => app.exchanges.length === requests);
  return (await (await app.request("/stats")).json()) as {
    cache_rewrites_caused: { total: number; by_reason: Record<string, number> };
  };
}

describe("a conversation's cached prefix is never rewritten", () => {
  test("20 turns, first compression at turn 8, lossy switched off, a restart and a bypass", async () => {
    const open = workspaceStores();
    const bodies: string[] = [];
    let app = recordingApp(bodies, open());
    const chat = new Conversation();
    const small = (n: number) => `step ${n} done\n`;
    const outputs: Record<number, string> = { 8: LOCKFILE, 12: EVENTS, 15: LOCKFILE, 19: EVENTS };
    for (let turn = 1; turn <= 20; turn++) {
      if (turn === 10) {
        const res = await app.request("/admin/runtime-env", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ HEADROOM_LOSSY: "false" }),
        });
        expect(res.status).toBe(200);
      }
      if (turn === 14) app = recordingApp(bodies, { ...open(), env: { HEADROOM_LOSSY: "false" } });
      const headers: Record<string, string> = turn === 17 ? { "x-headroom-bypass": "true" } : {};
      expect(await send(app, post(chat.turn(outputs[turn] ?? small(turn)), headers))).toBe(200);
    }
    expect(bodies).toHaveLength(20);
    const markerTurns = bodies.map((body, i) => (MARKER.test(body) ? i + 1 : 0)).filter(Boolean);
    expect(markerTurns[0]).toBe(8);
    for (let i = 1; i < bodies.length; i++) {
      const previous = renderedPrompt(bodies[i - 1]!);
      expect(renderedPrompt(bodies[i]!).startsWith(previous)).toBe(true);
    }
    // Declared from the first request, as the last tool, with the same bytes every time.
    for (const body of bodies) {
      expect(body).toContain(`,${RETRIEVE_TOOL_JSON.messages}]`);
    }
    // The lockfile sent again at turn 15 is a new occurrence: compressed (losslessly now, or not
    // at all), while its copy from turn 8 keeps the bytes it was first sent with.
    const turn20 = JSON.parse(bodies[19]!).messages;
    expect(turn20[16].content[0].content).toMatch(MARKER);
    expect((await statsOf(app, 7)).cache_rewrites_caused.total).toBe(0);
  });

  test("an output sent again as the newest leaves its earlier, unseen copy as it was", async () => {
    const bodies: string[] = [];
    const app = recordingApp(bodies, {});
    const chat = new Conversation();
    // Three turns before headroom saw the conversation: the lockfile is in history, never decided.
    chat.turn("ok\n");
    chat.turn(LOCKFILE);
    chat.turn("ok\n");
    // Read again, then one more turn.
    await send(app, post(chat.turn(LOCKFILE)));
    await send(app, post(chat.turn("done\n")));
    const [first, second] = bodies.map((body) => JSON.parse(body).messages as Message[]);
    const text = (messages: Message[], i: number) =>
      (messages[i]!.content as { content: string }[])[0]!.content;
    // The earlier copy went as the client sent it, and stays so; the newest copy is compressed.
    expect(text(first!, 4)).toBe(LOCKFILE);
    expect(text(second!, 4)).toBe(LOCKFILE);
    expect(text(first!, 8)).toMatch(MARKER);
    expect(text(second!, 8)).toBe(text(first!, 8));
    expect(renderedPrompt(bodies[1]!).startsWith(renderedPrompt(bodies[0]!))).toBe(true);
  });

  test("the tool added to a conversation already under way is one counted rewrite", async () => {
    const bodies: string[] = [];
    const app = recordingApp(bodies, {});
    const chat = new Conversation();
    chat.turn("ok\n");
    chat.turn("ok\n");
    for (let turn = 0; turn < 3; turn++) await send(app, post(chat.turn("ok\n")));
    const stats = await statsOf(app, 3);
    expect(stats.cache_rewrites_caused).toEqual({
      total: 1,
      by_reason: { retrieve_tool_added_mid_conversation: 1 },
    });
    const metrics = await (await app.request("/metrics")).text();
    expect(metrics).toContain(
      'headroom_cache_rewrites_caused_total{reason="retrieve_tool_added_mid_conversation"} 1',
    );
    for (let i = 1; i < bodies.length; i++)
      expect(renderedPrompt(bodies[i]!).startsWith(renderedPrompt(bodies[i - 1]!))).toBe(true);
  });

  test("with lossy compression off from the start, tool-declaring requests go as sent", async () => {
    const bodies: string[] = [];
    const app = recordingApp(bodies, { env: { HEADROOM_LOSSY: "false" } });
    const chat = new Conversation();
    const sent = chat.turn("ok\n");
    await send(app, post(sent));
    expect(bodies[0]).toBe(sent);
  });
});
