/**
 * Compaction on cache expiry: a conversation whose provider cache has surely expired gets its
 * whole history decided again with today's compressors, once, and that is replayed byte for byte
 * afterwards; a conversation resumed while its cache is warm, one sharing the same outputs, a
 * restart in between and a request asking for the 1-hour lifetime all keep their bytes. The
 * clock is injected: minutes pass without sleeping.
 */

import { describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteConversationStore } from "../../src/store/sqlite-conversation-store.ts";
import { openWorkspaceDatabase } from "../../src/store/sqlite-db.ts";
import { SqliteDecisionStore } from "../../src/store/sqlite-decision-store.ts";
import { SqliteOriginalStore } from "../../src/store/sqlite-original-store.ts";
import { type BuildOptions, buildApp, waitFor } from "../helpers/proxy.ts";

const ROOT = join(import.meta.dir, "..", "..");
// A real output headroom compresses (this repository's lockfile, as JSON).
const LOCKFILE = readFileSync(join(ROOT, "package-lock.json"), "utf8");
const MARKER = /headroom_retrieve hash=[0-9a-f]{24}/;
const MINUTE = 60_000;
const BREAKPOINT = { type: "ephemeral" } as const;

type Block = Record<string, unknown>;
type Message = { role: string; content: string | Block[] };

/** A Claude Code-like conversation; the newest result carries the moving breakpoint. */
class Conversation {
  readonly messages: Message[];
  #turn = 0;

  constructor(
    readonly opening: string,
    readonly breakpoint: Record<string, string> = BREAKPOINT,
  ) {
    this.messages = [{ role: "user", content: opening }];
  }

  turn(output: string): string {
    this.#turn++;
    const id = `toolu_${String(this.#turn).padStart(3, "0")}`;
    const last = this.messages.at(-1);
    if (Array.isArray(last?.content)) for (const block of last.content) delete block.cache_control;
    this.messages.push(
      {
        role: "assistant",
        content: [{ type: "tool_use", id, name: "Bash", input: { n: this.#turn } }],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: id, content: output, cache_control: this.breakpoint },
        ],
      },
    );
    return JSON.stringify({
      model: "claude-sonnet-4-5",
      max_tokens: 1024,
      system: [{ type: "text", text: "You are a coding agent.", cache_control: this.breakpoint }],
      tools: [{ name: "Bash", description: "Run a command", input_schema: { type: "object" } }],
      messages: this.messages,
    });
  }
}

/** What the provider caches, in order (breakpoints aside). */
function rendered(body: string): string {
  const value = JSON.parse(body) as Record<string, unknown>;
  const strip = (key: string, v: unknown) => (key === "cache_control" ? undefined : v);
  return [value.tools, value.system, ...(value.messages as unknown[])]
    .map((part) => JSON.stringify(part ?? null, strip))
    .join("\n");
}

/** The text of the tool result at message `index` of an upstream body. */
function resultAt(body: string, index: number): string {
  return (JSON.parse(body).messages[index].content as { content: string }[])[0]!.content;
}

/** An app whose upstream answers with Anthropic usage that reads most of the prompt from cache. */
function clockedApp(bodies: string[], clock: { now: number }, options: BuildOptions = {}) {
  return buildApp({
    ...options,
    env: { HEADROOM_COMPRESSION_BUDGET_MS: "30000", ...options.env },
    wallClock: () => clock.now,
    fetch: async (_url, init) => {
      bodies.push(new TextDecoder().decode(init.body as Uint8Array));
      return Response.json({
        id: "msg_1",
        type: "message",
        role: "assistant",
        content: [{ type: "text", text: "ok" }],
        usage: {
          input_tokens: 10,
          cache_read_input_tokens: 9000,
          cache_creation_input_tokens: 500,
          output_tokens: 2,
        },
      });
    },
  });
}

/** Sends one turn and waits until its exchange (and its clock) is recorded. */
async function send(
  app: ReturnType<typeof buildApp>,
  body: string,
  headers: Record<string, string> = {},
) {
  const before = app.exchanges.length;
  const res = await app.request("/v1/messages", {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": "sk-ant-test", ...headers },
    body,
  });
  await res.arrayBuffer();
  expect(res.status).toBe(200);
  await waitFor(() => app.exchanges.length === before + 1);
  // The clock is written by an observer after the exchange ends.
  await new Promise((resolve) => setTimeout(resolve, 0));
}

/** A conversation headroom joins late: the lockfile is already in its history, never decided. */
function lateConversation(opening = "Check the dependencies."): Conversation {
  const chat = new Conversation(opening);
  chat.turn("ok\n");
  chat.turn(LOCKFILE);
  return chat;
}

async function compactionStats(app: ReturnType<typeof buildApp>) {
  const stats = (await (await app.request("/stats")).json()) as {
    compaction: { compactions: number; tokens_removed: number; saved_usd: number };
    cache_rewrites_caused: { total: number };
  };
  return stats;
}

describe("compaction when the provider's cache has expired", () => {
  test("a conversation resumed before the lifetime is never touched", async () => {
    const bodies: string[] = [];
    const clock = { now: 1_000_000_000 };
    const app = clockedApp(bodies, clock);
    const chat = lateConversation();
    await send(app, chat.turn("ok\n"));
    for (const minutes of [4, 5, 5.4]) {
      clock.now += minutes * MINUTE;
      await send(app, chat.turn("ok\n"));
    }
    for (const body of bodies) expect(resultAt(body, 4)).toBe(LOCKFILE);
    for (let i = 1; i < bodies.length; i++)
      expect(rendered(bodies[i]!).startsWith(rendered(bodies[i - 1]!))).toBe(true);
    expect((await compactionStats(app)).compaction.compactions).toBe(0);
  });

  test("one resumed after it is compacted once, then replayed byte for byte", async () => {
    const bodies: string[] = [];
    const clock = { now: 1_000_000_000 };
    const app = clockedApp(bodies, clock);
    const chat = lateConversation();
    await send(app, chat.turn("ok\n"));
    clock.now += 6 * MINUTE;
    await send(app, chat.turn("ok\n"));
    expect(resultAt(bodies[0]!, 4)).toBe(LOCKFILE);
    const compacted = resultAt(bodies[1]!, 4);
    expect(compacted).toMatch(MARKER);
    expect(compacted.length).toBeLessThan(LOCKFILE.length / 2);
    // Every later turn, warm or after another idle gap, repeats the compacted prompt.
    for (const minutes of [0.5, 2, 7]) {
      clock.now += minutes * MINUTE;
      await send(app, chat.turn("ok\n"));
    }
    for (let i = 2; i < bodies.length; i++) {
      expect(resultAt(bodies[i]!, 4)).toBe(compacted);
      expect(rendered(bodies[i]!).startsWith(rendered(bodies[i - 1]!))).toBe(true);
    }
    // The original behind the marker can be retrieved.
    const hash = compacted.match(/hash=([0-9a-f]{24})/)![1];
    const retrieved = await app.request(`/v1/retrieve/${hash}`);
    expect(((await retrieved.json()) as { original_content: string }).original_content).toBe(
      LOCKFILE,
    );
    const stats = await compactionStats(app);
    expect(stats.compaction.compactions).toBe(1);
    expect(stats.compaction.tokens_removed).toBeGreaterThan(1000);
    // Billed at the write price on the compacting turn, the read price on the three after it.
    expect(stats.compaction.saved_usd).toBeGreaterThan(0);
    // The one rewrite counted is headroom joining the conversation late (the tool added on its
    // first request); the compaction itself rewrote nothing the provider still held.
    expect(stats.cache_rewrites_caused.total).toBe(1);
    expect(app.exchanges[0]!.cacheRewrite).toBeDefined();
    expect(app.exchanges[1]!.compaction?.slots).toBe(1);
    const metrics = await (await app.request("/metrics")).text();
    expect(metrics).toContain("headroom_compactions_total 1");
  });

  test("history first sight already compressed with today's rules is left as it was", async () => {
    const bodies: string[] = [];
    const clock = { now: 1_000_000_000 };
    const app = clockedApp(bodies, clock);
    const chat = new Conversation("Check the dependencies.");
    chat.turn("ok\n");
    await send(app, chat.turn(LOCKFILE));
    clock.now += 30 * MINUTE;
    await send(app, chat.turn("ok\n"));
    expect(resultAt(bodies[0]!, 4)).toMatch(MARKER);
    expect(resultAt(bodies[1]!, 4)).toBe(resultAt(bodies[0]!, 4));
    expect((await compactionStats(app)).compaction.compactions).toBe(0);
  });

  test("a second conversation sharing the outputs keeps its bytes while its cache is warm", async () => {
    const bodies: string[] = [];
    const clock = { now: 1_000_000_000 };
    const app = clockedApp(bodies, clock);
    // A fork: the same calls and outputs, opened with other words.
    const idle = lateConversation("Check the dependencies.");
    const busy = lateConversation("Check the dependencies, please.");
    await send(app, idle.turn("ok\n"));
    await send(app, busy.turn("ok\n"));
    clock.now += 3 * MINUTE;
    await send(app, busy.turn("ok\n"));
    clock.now += 3 * MINUTE;
    await send(app, idle.turn("ok\n"));
    await send(app, busy.turn("ok\n"));
    expect(resultAt(bodies[3]!, 4)).toMatch(MARKER);
    for (const i of [1, 2, 4]) expect(resultAt(bodies[i]!, 4)).toBe(LOCKFILE);
    expect(rendered(bodies[4]!).startsWith(rendered(bodies[2]!))).toBe(true);
  });

  test("a restart between the turns changes nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "headroom-compact-"));
    const stores = () => {
      const db = openWorkspaceDatabase(dir);
      return {
        decisions: new SqliteDecisionStore(db),
        originals: new SqliteOriginalStore(db),
        conversations: new SqliteConversationStore(db),
      };
    };
    const bodies: string[] = [];
    const clock = { now: 1_000_000_000 };
    const chat = lateConversation();
    await send(clockedApp(bodies, clock, stores()), chat.turn("ok\n"));
    // Restarted while warm: still warm.
    clock.now += 4 * MINUTE;
    await send(clockedApp(bodies, clock, stores()), chat.turn("ok\n"));
    // Restarted after the expiry: compacted, and replayed by the next process.
    clock.now += 6 * MINUTE;
    await send(clockedApp(bodies, clock, stores()), chat.turn("ok\n"));
    clock.now += 1 * MINUTE;
    await send(clockedApp(bodies, clock, stores()), chat.turn("ok\n"));
    expect(resultAt(bodies[1]!, 4)).toBe(LOCKFILE);
    expect(resultAt(bodies[2]!, 4)).toMatch(MARKER);
    expect(resultAt(bodies[3]!, 4)).toBe(resultAt(bodies[2]!, 4));
    expect(rendered(bodies[3]!).startsWith(rendered(bodies[2]!))).toBe(true);
  });

  test("a request asking for the 1-hour lifetime is not compacted after 10 minutes", async () => {
    const bodies: string[] = [];
    const clock = { now: 1_000_000_000 };
    const app = clockedApp(bodies, clock);
    const chat = new Conversation("Check the dependencies.", { type: "ephemeral", ttl: "1h" });
    chat.turn("ok\n");
    chat.turn(LOCKFILE);
    await send(app, chat.turn("ok\n"));
    clock.now += 10 * MINUTE;
    await send(app, chat.turn("ok\n"));
    clock.now += 50 * MINUTE;
    await send(app, chat.turn("ok\n"));
    expect(resultAt(bodies[1]!, 4)).toBe(LOCKFILE);
    expect(resultAt(bodies[2]!, 4)).toBe(LOCKFILE);
    clock.now += 67 * MINUTE;
    await send(app, chat.turn("ok\n"));
    expect(resultAt(bodies[3]!, 4)).toMatch(MARKER);
  });

  test("switched off, bypassed, a failing store or unknown usage: never compacted", async () => {
    const clock = { now: 1_000_000_000 };
    const closed = openWorkspaceDatabase(mkdtempSync(join(tmpdir(), "headroom-compact-")));
    const failing = new SqliteConversationStore(closed);
    closed.close();
    const cases: { options: BuildOptions; headers?: Record<string, string> }[] = [
      { options: { env: { HEADROOM_COMPACT_ON_EXPIRY: "0" } } },
      { options: {}, headers: { "x-headroom-bypass": "true" } },
      { options: { conversations: failing } },
    ];
    for (const { options, headers } of cases) {
      const bodies: string[] = [];
      const app = clockedApp(bodies, clock, options);
      const chat = lateConversation();
      await send(app, chat.turn("ok\n"), headers);
      clock.now += 30 * MINUTE;
      await send(app, chat.turn("ok\n"), headers);
      expect(resultAt(bodies[1]!, 4)).toBe(LOCKFILE);
    }
    // An upstream that reports no usage leaves the cache's state in doubt.
    const bodies: string[] = [];
    const app = buildApp({
      env: { HEADROOM_COMPRESSION_BUDGET_MS: "30000" },
      wallClock: () => clock.now,
      fetch: async (_url, init) => {
        bodies.push(new TextDecoder().decode(init.body as Uint8Array));
        return Response.json({ id: "msg_1", type: "message", role: "assistant", content: [] });
      },
    });
    const chat = lateConversation();
    await send(app, chat.turn("ok\n"));
    clock.now += 30 * MINUTE;
    await send(app, chat.turn("ok\n"));
    expect(resultAt(bodies[1]!, 4)).toBe(LOCKFILE);
  });

  test("OpenAI Responses: a day's retention is honoured, and cached_tokens is the usage read", async () => {
    const bodies: string[] = [];
    const clock = { now: 1_000_000_000 };
    const app = buildApp({
      env: { HEADROOM_COMPRESSION_BUDGET_MS: "30000" },
      wallClock: () => clock.now,
      fetch: async (_url, init) => {
        bodies.push(new TextDecoder().decode(init.body as Uint8Array));
        return Response.json({
          id: "resp_1",
          object: "response",
          status: "completed",
          output: [],
          usage: {
            input_tokens: 9000,
            input_tokens_details: { cached_tokens: 8000 },
            output_tokens: 2,
          },
        });
      },
    });
    // Codex's shape: headroom joins with the lockfile already in the history.
    const input: unknown[] = [
      {
        type: "message",
        role: "user",
        content: [{ type: "input_text", text: "Check the dependencies." }],
      },
    ];
    let call = 0;
    const turn = (output: string) => {
      const id = `call_${++call}`;
      input.push({ type: "function_call", name: "exec_command", arguments: "{}", call_id: id });
      input.push({ type: "function_call_output", call_id: id, output });
      return JSON.stringify({
        model: "gpt-5",
        prompt_cache_retention: "24h",
        input,
        tools: [{ type: "function", name: "exec_command", parameters: {} }],
      });
    };
    turn(LOCKFILE);
    const sendResponses = async (body: string) => {
      const before = app.exchanges.length;
      const res = await app.request("/v1/responses", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: "Bearer sk-test" },
        body,
      });
      await res.arrayBuffer();
      expect(res.status).toBe(200);
      await waitFor(() => app.exchanges.length === before + 1);
      await new Promise((resolve) => setTimeout(resolve, 0));
    };
    const lockfileIn = (body: string) => JSON.parse(body).input[2].output as string;
    await sendResponses(turn("ok\n"));
    clock.now += 2 * 60 * MINUTE;
    await sendResponses(turn("ok\n"));
    expect(lockfileIn(bodies[1]!)).toBe(LOCKFILE);
    clock.now += 27 * 60 * MINUTE;
    await sendResponses(turn("ok\n"));
    expect(lockfileIn(bodies[2]!)).toMatch(MARKER);
    await sendResponses(turn("ok\n"));
    expect(lockfileIn(bodies[3]!)).toBe(lockfileIn(bodies[2]!));
  });
});
