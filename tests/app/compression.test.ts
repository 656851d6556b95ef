import { describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openWorkspaceDatabase } from "../../src/store/sqlite-db.ts";
import { SqliteDecisionStore } from "../../src/store/sqlite-decision-store.ts";
import { type BuildOptions, buildApp, waitFor } from "../helpers/proxy.ts";

/** A realistic tool output: a users API result, pretty-printed as tools print it. */
const usersJson = JSON.stringify(
  Array.from({ length: 60 }, (_, i) => ({
    id: i + 1,
    name: `user${i}`,
    email: `user${i}@example.com`,
    status: i % 7 ? "active" : "disabled",
    created_at: `2025-01-${String((i % 28) + 1).padStart(2, "0")}T10:00:00Z`,
  })),
  null,
  2,
);
const ordersJson = JSON.stringify(
  Array.from({ length: 50 }, (_, i) => ({
    order: 1000 + i,
    sku: `SKU-${i % 9}`,
    qty: (i % 4) + 1,
    state: "shipped",
  })),
  null,
  2,
);

function recordingApp(options: BuildOptions = {}) {
  const bodies: string[] = [];
  const built = buildApp({
    ...options,
    fetch: async (_url, init) => {
      bodies.push(new TextDecoder().decode(init.body as Uint8Array));
      return Response.json({ id: "msg", usage: { input_tokens: 10, output_tokens: 2 } });
    },
  });
  return { ...built, bodies };
}

const claudeTurn1 = {
  model: "claude-sonnet-4-5",
  max_tokens: 1024,
  system: [{ type: "text", text: "You are a coding agent.", cache_control: { type: "ephemeral" } }],
  tools: [{ name: "Bash", description: "Run a command", input_schema: { type: "object" } }],
  messages: [
    { role: "user", content: "Which users are disabled?" },
    {
      role: "assistant",
      content: [
        { type: "tool_use", id: "toolu_1", name: "Bash", input: { command: "curl /users" } },
      ],
    },
    {
      role: "user",
      content: [{ type: "tool_result", tool_use_id: "toolu_1", content: usersJson }],
    },
  ],
};

const claudeTurn2 = {
  ...claudeTurn1,
  messages: [
    ...claudeTurn1.messages,
    {
      role: "assistant",
      content: [
        { type: "tool_use", id: "toolu_2", name: "Bash", input: { command: "curl /orders" } },
      ],
    },
    {
      role: "user",
      content: [{ type: "tool_result", tool_use_id: "toolu_2", content: ordersJson }],
    },
  ],
};

const post = (body: unknown, headers: Record<string, string> = {}) => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});

describe("compression on the data plane", () => {
  test("a large tool output in the newest turn is compressed; everything else arrives byte for byte", async () => {
    const app = recordingApp({ env: { HEADROOM_LOSSY: "false" } });
    const res = await app.request("/v1/messages", post(claudeTurn1));
    expect(res.status).toBe(200);
    const sent = app.bodies[0]!;
    const original = JSON.stringify(claudeTurn1);
    expect(sent.length).toBeLessThan(original.length);
    const forwarded = JSON.parse(sent);
    const output = forwarded.messages[2].content[0].content as string;
    expect(output).not.toBe(usersJson);
    expect(JSON.parse(output)).toBeTruthy(); // lossless JSON stays valid JSON
    // Only the tool output's bytes changed: the text before and after it is identical.
    const at = original.indexOf(JSON.stringify(usersJson));
    expect(sent.slice(0, at)).toBe(original.slice(0, at));
    expect(
      sent.slice(sent.length - (original.length - at - JSON.stringify(usersJson).length)),
    ).toBe(original.slice(at + JSON.stringify(usersJson).length));
    expect(res.headers.get("x-headroom-transforms")).toContain("json");
    const before = Number(res.headers.get("x-headroom-tokens-before"));
    const after = Number(res.headers.get("x-headroom-tokens-after"));
    const saved = Number(res.headers.get("x-headroom-tokens-saved"));
    expect(before - after).toBe(saved);
    expect(saved).toBeGreaterThan(100);
    await res.text();
    await waitFor(() => app.exchanges.length === 1);
    expect(app.exchanges[0]!.compressibleTokens).toBeGreaterThan(saved);
    expect(app.exchanges[0]!.tokensSaved).toBe(saved);
  });

  test("a lossy compression stores its original and offers headroom_retrieve after the client's tools", async () => {
    const app = recordingApp();
    await app.request("/v1/messages", post(claudeTurn1));
    const forwarded = JSON.parse(app.bodies[0]!);
    const output = forwarded.messages[2].content[0].content as string;
    const hash = /headroom_retrieve hash=([0-9a-f]{24})/.exec(output)![1]!;
    const stored = app.deps.originals.get(hash);
    expect("content" in stored && stored.content).toBe(usersJson);
    expect(forwarded.tools.map((tool: { name: string }) => tool.name)).toEqual([
      "Bash",
      "headroom_retrieve",
    ]);
    expect(forwarded.tools[0]).toEqual(claudeTurn1.tools[0]);
    expect(forwarded.system).toEqual(claudeTurn1.system);
  });

  test("on later turns an earlier compressed output is replayed byte-identically and only the new one is compressed", async () => {
    const app = recordingApp();
    await app.request("/v1/messages", post(claudeTurn1));
    await app.request("/v1/messages", post(claudeTurn2));
    await app.request("/v1/messages", post(claudeTurn2));
    const first = JSON.parse(app.bodies[0]!).messages[2].content[0].content;
    const second = JSON.parse(app.bodies[1]!);
    expect(second.messages[2].content[0].content).toBe(first);
    expect(second.messages[4].content[0].content).not.toBe(ordersJson);
    // The whole prefix up to the new output is the same bytes the provider saw last turn.
    const prefixEnd = app.bodies[0]!.lastIndexOf("]}]}");
    expect(app.bodies[1]!.slice(0, prefixEnd)).toBe(app.bodies[0]!.slice(0, prefixEnd));
    expect(app.bodies[2]).toBe(app.bodies[1]!);
  });

  test("an old tool output headroom never saw is left alone (its cache is likely warm already)", async () => {
    const app = recordingApp();
    await app.request("/v1/messages", post(claudeTurn2));
    const forwarded = JSON.parse(app.bodies[0]!);
    expect(forwarded.messages[2].content[0].content).toBe(usersJson);
    expect(forwarded.messages[4].content[0].content).not.toBe(ordersJson);
  });

  test("decisions survive a restart: a compressed output replays, and one left alone stays alone", async () => {
    const workspace = mkdtempSync(join(tmpdir(), "headroom-decisions-"));
    const first = recordingApp({
      decisions: new SqliteDecisionStore(openWorkspaceDatabase(workspace)),
    });
    await first.request("/v1/messages", post(claudeTurn1));
    // A budget of 0 ms leaves the new output alone, and that decision is remembered.
    const tight = recordingApp({
      decisions: new SqliteDecisionStore(openWorkspaceDatabase(workspace)),
      env: { HEADROOM_COMPRESSION_BUDGET_MS: "0" },
    });
    await tight.request("/v1/messages", post(claudeTurn2));
    expect(JSON.parse(tight.bodies[0]!).messages[4].content[0].content).toBe(ordersJson);
    const restarted = recordingApp({
      decisions: new SqliteDecisionStore(openWorkspaceDatabase(workspace)),
    });
    await restarted.request("/v1/messages", post(claudeTurn2));
    const forwarded = JSON.parse(restarted.bodies[0]!);
    expect(forwarded.messages[2].content[0].content).toBe(
      JSON.parse(first.bodies[0]!).messages[2].content[0].content,
    );
    expect(forwarded.messages[4].content[0].content).toBe(ordersJson);
  });

  test("x-headroom-bypass and --no-optimize pass requests untouched", async () => {
    const bypass = recordingApp();
    await bypass.request("/v1/messages", post(claudeTurn1, { "x-headroom-bypass": "true" }));
    expect(bypass.bodies[0]).toBe(JSON.stringify(claudeTurn1));
    const off = recordingApp({ flags: { "no-optimize": true } });
    await off.request("/v1/messages", post(claudeTurn1));
    expect(off.bodies[0]).toBe(JSON.stringify(claudeTurn1));
  });

  test("protected outputs stay verbatim: small errors and headroom's own retrieve results", async () => {
    const app = recordingApp();
    const body = {
      model: "claude-sonnet-4-5",
      messages: [
        { role: "user", content: "go" },
        {
          role: "assistant",
          content: [
            { type: "tool_use", id: "b", name: "Bash", input: {} },
            {
              type: "tool_use",
              id: "c",
              name: "headroom_retrieve",
              input: { hash: "0".repeat(24) },
            },
          ],
        },
        {
          role: "user",
          content: [
            { type: "tool_result", tool_use_id: "b", content: ordersJson, is_error: true },
            { type: "tool_result", tool_use_id: "c", content: usersJson },
          ],
        },
      ],
    };
    await app.request("/v1/messages", post(body));
    expect(app.bodies[0]).toBe(JSON.stringify(body));
  });

  test("Claude Code's cache_control breakpoint on the newest tool_result: compressed once, replayed byte for byte wherever the breakpoint moves", async () => {
    const app = recordingApp();
    const breakpoint = { cache_control: { type: "ephemeral" } };
    const result = (id: string, content: string, marked: boolean) => ({
      type: "tool_result",
      tool_use_id: id,
      content,
      ...(marked ? breakpoint : {}),
    });
    const call = (id: string) => ({
      role: "assistant",
      content: [{ type: "tool_use", id, name: "Bash", input: { command: "curl" } }],
    });
    const turn = (marks: boolean[]) => ({
      model: "claude-sonnet-4-5",
      max_tokens: 1024,
      messages: [
        { role: "user", content: "Which users are disabled?" },
        call("toolu_1"),
        { role: "user", content: [result("toolu_1", usersJson, marks[0]!)] },
        ...(marks.length > 1
          ? [call("toolu_2"), { role: "user", content: [result("toolu_2", ordersJson, marks[1]!)] }]
          : []),
      ],
    });
    await app.request("/v1/messages", post(turn([true])));
    const first = JSON.parse(app.bodies[0]!).messages[2].content[0];
    expect(first.content).toContain("headroom_retrieve hash=");
    expect(first.cache_control).toEqual({ type: "ephemeral" });
    // Next turn: the breakpoint moves to the new result (as Claude Code does), or stays on both.
    await app.request("/v1/messages", post(turn([false, true])));
    await app.request("/v1/messages", post(turn([true, true])));
    for (const body of app.bodies.slice(1)) {
      const messages = JSON.parse(body).messages;
      expect(messages[2].content[0].content).toBe(first.content);
      expect(messages[4].content[0].content).not.toBe(ordersJson);
    }
    // What the provider cached on turn one is the prefix of turn two.
    const prefixEnd = app.bodies[0]!.indexOf(',"cache_control"');
    expect(app.bodies[1]!.slice(0, prefixEnd)).toBe(app.bodies[0]!.slice(0, prefixEnd));
  });

  test("chat tool messages and Responses function_call_output items are compressed too", async () => {
    const app = recordingApp();
    await app.request(
      "/v1/chat/completions",
      post({
        model: "gpt-4o",
        messages: [
          { role: "user", content: "orders?" },
          {
            role: "assistant",
            content: null,
            tool_calls: [
              { id: "call_1", type: "function", function: { name: "sh", arguments: "{}" } },
            ],
          },
          { role: "tool", tool_call_id: "call_1", content: ordersJson },
        ],
      }),
    );
    expect(JSON.parse(app.bodies[0]!).messages[2].content).not.toBe(ordersJson);
    await app.request(
      "/v1/responses",
      post({
        model: "gpt-5-codex",
        input: [
          { type: "message", role: "user", content: [{ type: "input_text", text: "users?" }] },
          { type: "function_call", call_id: "c1", name: "shell", arguments: "{}" },
          { type: "function_call_output", call_id: "c1", output: usersJson },
        ],
      }),
    );
    expect(JSON.parse(app.bodies[1]!).input[2].output).not.toBe(usersJson);
  });

  test("a failure inside compression forwards the original request (fail open)", async () => {
    const bodies: string[] = [];
    const app = buildApp({
      fetch: async (_url, init) => {
        bodies.push(new TextDecoder().decode(init.body as Uint8Array));
        return Response.json({});
      },
    });
    const broken = {
      ...app.deps,
      sha256: () => {
        throw new Error("hasher exploded");
      },
    };
    const { createApp } = await import("../../src/app/create-app.ts");
    const res = await createApp(broken).app.request("/v1/messages", post(claudeTurn1), {
      remoteAddress: "127.0.0.1",
    });
    expect(res.status).toBe(200);
    expect(bodies[0]).toBe(JSON.stringify(claudeTurn1));
    expect(
      app.logs.some((line) => line.msg === "compression failed; forwarding the original request"),
    ).toBe(true);
  });
});
