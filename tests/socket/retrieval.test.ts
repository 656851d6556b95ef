import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { openWorkspaceDatabase } from "../../src/store/sqlite-db.ts";
import { SqliteDecisionStore } from "../../src/store/sqlite-decision-store.ts";
import { SqliteHiddenCallStore } from "../../src/store/sqlite-hidden-call-store.ts";
import { SqliteOriginalStore } from "../../src/store/sqlite-original-store.ts";
import { chatgptToken } from "../helpers/chatgpt-token.ts";
import type { RecordedRequest } from "../helpers/fake-upstream.ts";
import { hostListingWithNeedle } from "../helpers/output-fixture.ts";
import { proxiedUpstream } from "../helpers/proxied-upstream.ts";
import { serveApp, waitFor } from "../helpers/proxy.ts";
import {
  anthropicMessage,
  anthropicStream,
  chatCompletion,
  chatStream,
  type Reply,
  responsesBody,
  responsesStream,
} from "../helpers/wire.ts";

const { upstream, proxy } = proxiedUpstream();

// The needle sits in the listing's row 58, which lossy compression drops.
const NEEDLE = "needle-7f3a-the-answer";
const rows = hostListingWithNeedle(NEEDLE);
const FINAL = "The note on row 58 is needle-7f3a-the-answer.";

const text = (r: RecordedRequest) => new TextDecoder().decode(r.body);

/** The fake model: asks headroom_retrieve for the marker's hash until the original is in its context. */
function modelThatRetrieves(
  api: "messages" | "chat" | "responses",
  mixedWith?: Reply & { kind: "tool" },
) {
  upstream.always((request) => {
    const body = text(request);
    const hash = /headroom_retrieve hash=([0-9a-f]{24})/.exec(body)?.[1];
    const answered = body.includes(NEEDLE);
    let reply: Reply;
    if (answered || !hash) reply = { kind: "text", text: FINAL };
    else
      reply = {
        kind: "tool",
        name: "headroom_retrieve",
        input: { hash },
        id: `call_retrieve_${upstream.requests.length}`,
        text: "Let me fetch the full output.",
      };
    const stream = request.json.stream === true;
    if (mixedWith && !answered) return respond(api, stream, reply, mixedWith);
    return respond(api, stream, reply);
  });
}

function respond(
  api: string,
  stream: boolean,
  reply: Reply,
  extra?: Reply & { kind: "tool" },
): Response {
  const model = "m";
  if (api === "messages") {
    if (!extra)
      return stream
        ? upstream.stream(anthropicStream(reply, model))
        : new Response(anthropicMessage(reply, model));
    // Two tool_use blocks in one reply: headroom_retrieve first, then the client's own tool.
    const body = JSON.parse(anthropicMessage(reply, model));
    body.content.push({ type: "tool_use", id: extra.id, name: extra.name, input: extra.input });
    if (!stream) return new Response(JSON.stringify(body));
    const events = anthropicStream(reply, model);
    const stopAt = events.findIndex((e) => e.startsWith("event: message_delta"));
    const index = body.content.length - 1;
    const extraEvents = [
      `event: content_block_start\ndata: ${JSON.stringify({ type: "content_block_start", index, content_block: { type: "tool_use", id: extra.id, name: extra.name, input: {} } })}\n\n`,
      `event: content_block_delta\ndata: ${JSON.stringify({ type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: JSON.stringify(extra.input) } })}\n\n`,
      `event: content_block_stop\ndata: ${JSON.stringify({ type: "content_block_stop", index })}\n\n`,
    ];
    return upstream.stream([...events.slice(0, stopAt), ...extraEvents, ...events.slice(stopAt)]);
  }
  if (api === "chat") {
    if (!extra)
      return stream
        ? upstream.stream(chatStream(reply, model, undefined, true))
        : new Response(chatCompletion(reply, model));
    const body = JSON.parse(chatCompletion(reply, model));
    body.choices[0].message.tool_calls.push({
      id: extra.id,
      type: "function",
      function: { name: extra.name, arguments: JSON.stringify(extra.input) },
    });
    return new Response(JSON.stringify(body));
  }
  if (!extra)
    return stream
      ? upstream.stream(responsesStream(reply, model))
      : new Response(responsesBody(reply, model));
  const body = JSON.parse(responsesBody(reply, model));
  body.output.push({
    type: "function_call",
    id: "fc_client",
    call_id: extra.id,
    name: extra.name,
    arguments: JSON.stringify(extra.input),
    status: "completed",
  });
  return new Response(JSON.stringify(body));
}

const anthropic = new Anthropic({ apiKey: "sk-ant-test", baseURL: proxy.url, maxRetries: 0 });
const openai = new OpenAI({ apiKey: "sk-test", baseURL: `${proxy.url}/v1`, maxRetries: 0 });

const anthropicHistory = [
  { role: "user" as const, content: "Which host has the unusual note?" },
  {
    role: "assistant" as const,
    content: [
      {
        type: "tool_use" as const,
        id: "toolu_hosts",
        name: "Bash",
        input: { command: "curl /hosts" },
      },
    ],
  },
  {
    role: "user" as const,
    content: [{ type: "tool_result" as const, tool_use_id: "toolu_hosts", content: rows }],
  },
];
const chatHistory: OpenAI.ChatCompletionMessageParam[] = [
  { role: "user", content: "Which host has the unusual note?" },
  {
    role: "assistant",
    content: null,
    tool_calls: [{ id: "call_hosts", type: "function", function: { name: "sh", arguments: "{}" } }],
  },
  { role: "tool", tool_call_id: "call_hosts", content: rows },
];
const responsesInput: OpenAI.Responses.ResponseInput = [
  { type: "message", role: "user", content: "Which host has the unusual note?" },
  { type: "function_call", call_id: "call_hosts", name: "sh", arguments: "{}" },
  { type: "function_call_output", call_id: "call_hosts", output: rows },
];

function expectRetrievalLoop() {
  expect(upstream.requests).toHaveLength(2);
  const first = text(upstream.requests[0]!);
  expect(first).not.toContain(NEEDLE);
  expect(first).toContain('"name":"headroom_retrieve"');
  const second = text(upstream.requests[1]!);
  expect(second).toContain(NEEDLE);
  expect(second).toContain("call_retrieve_1");
}

describe("headroom answers the model's retrieve calls itself", () => {
  test("Anthropic, non-streaming: the client gets only the final answer, with usage of both rounds", async () => {
    modelThatRetrieves("messages");
    const message = await anthropic.messages.create({
      model: "m",
      max_tokens: 100,
      messages: anthropicHistory,
    });
    expect(message.content).toMatchObject([{ type: "text", text: FINAL }]);
    expect(JSON.stringify(message)).not.toContain("headroom_retrieve");
    expect(message.usage.output_tokens).toBe(24);
    expectRetrievalLoop();
    await waitFor(() => proxy.exchanges.length === 1);
    expect(proxy.exchanges[0]!.retrievals).toBe(1);
  });

  test("on a Claude subscription, the round headroom adds carries the client's OAuth headers unchanged", async () => {
    modelThatRetrieves("messages");
    const subscriber = {
      authorization: "Bearer sk-ant-oat01-retrieval-test",
      "anthropic-beta": "claude-code-20250219,oauth-2025-04-20",
      "anthropic-version": "2023-06-01",
      "user-agent": "claude-cli/2.1.332 (external, cli)",
    };
    const res = await fetch(`${proxy.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", ...subscriber },
      body: JSON.stringify({ model: "m", max_tokens: 100, messages: anthropicHistory }),
    });
    const message = (await res.json()) as { content: unknown };
    expect(message.content).toMatchObject([{ type: "text", text: FINAL }]);
    expectRetrievalLoop();
    for (const request of upstream.requests) {
      for (const [name, value] of Object.entries(subscriber))
        expect([name, request.headers.get(name)]).toEqual([name, value]);
      expect(request.headers.has("x-api-key")).toBe(false);
    }
  });

  test("Anthropic, streaming: one well-formed stream, round 1 text kept, indexes consecutive, summed usage", async () => {
    modelThatRetrieves("messages");
    const res = await fetch(`${proxy.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": "k" },
      body: JSON.stringify({
        model: "m",
        max_tokens: 100,
        stream: true,
        messages: anthropicHistory,
      }),
    });
    const raw = await res.text();
    expect(raw).not.toContain("headroom_retrieve");
    expect(raw.match(/event: message_start/g)).toHaveLength(1);
    expect(raw.match(/event: message_stop/g)).toHaveLength(1);
    const starts = [...raw.matchAll(/"type":"content_block_start","index":(\d+)/g)].map((m) =>
      Number(m[1]),
    );
    expect(starts).toEqual([0, 1]);
    // The official SDK assembles the same stream into one message.
    modelThatRetrieves("messages");
    upstream.requests.length = 0;
    const message = await anthropic.messages
      .stream({ model: "m", max_tokens: 100, messages: anthropicHistory })
      .finalMessage();
    expect(message.content.map((block) => block.type)).toEqual(["text", "text"]);
    expect(message.content[0]).toMatchObject({ text: "Let me fetch the full output." });
    expect(message.content[1]).toMatchObject({ text: FINAL });
    expect(message.stop_reason).toBe("end_turn");
    expect(message.usage.output_tokens).toBe(24);
    expectRetrievalLoop();
  });

  test("Chat Completions, non-streaming and streaming", async () => {
    modelThatRetrieves("chat");
    const completion = await openai.chat.completions.create({ model: "m", messages: chatHistory });
    expect(completion.choices[0]!.message.content).toBe(FINAL);
    expect(completion.choices[0]!.message.tool_calls ?? []).toEqual([]);
    expect(completion.usage?.completion_tokens).toBe(24);
    expectRetrievalLoop();

    upstream.requests.length = 0;
    const stream = await openai.chat.completions.create({
      model: "m",
      messages: chatHistory,
      stream: true,
      stream_options: { include_usage: true },
    });
    let content = "";
    let usage: OpenAI.CompletionUsage | null | undefined;
    const finishes: (string | null)[] = [];
    for await (const chunk of stream) {
      expect(JSON.stringify(chunk)).not.toContain("headroom_retrieve");
      content += chunk.choices[0]?.delta.content ?? "";
      if (chunk.choices[0]?.finish_reason) finishes.push(chunk.choices[0].finish_reason);
      if (chunk.usage) usage = chunk.usage;
    }
    expect(content).toBe(FINAL);
    expect(finishes).toEqual(["stop"]);
    expect(usage?.completion_tokens).toBe(24);
    expectRetrievalLoop();
  });

  test("Responses, non-streaming and streaming", async () => {
    modelThatRetrieves("responses");
    const response = await openai.responses.create({ model: "m", input: responsesInput });
    expect(response.output_text).toBe(FINAL);
    expect(JSON.stringify(response.output)).not.toContain("headroom_retrieve");
    expect(response.usage?.output_tokens).toBe(24);
    expectRetrievalLoop();

    upstream.requests.length = 0;
    const stream = openai.responses.stream({ model: "m", input: responsesInput });
    const sequence: number[] = [];
    stream.on("event", (event) => sequence.push(event.sequence_number));
    const final = await stream.finalResponse();
    expect(final.output_text).toBe(FINAL);
    expect(JSON.stringify(final.output)).not.toContain("headroom_retrieve");
    expect(final.usage?.output_tokens).toBe(24);
    expect(sequence).toEqual(sequence.map((_, i) => i));
    expectRetrievalLoop();
  });

  test("Responses signed in with ChatGPT, on Codex's alias: the same loop, every round at the ChatGPT backend", async () => {
    modelThatRetrieves("responses");
    const token = chatgptToken("acct-retrieval", "retrieval");
    // The ChatGPT backend's base is the fake's root here (CHATGPT_TARGET_API_URL in serveApp).
    const signedIn = new OpenAI({
      apiKey: token,
      baseURL: `${proxy.url}/backend-api/codex`,
      maxRetries: 0,
    });
    const stream = signedIn.responses.stream({ model: "m", input: responsesInput });
    const final = await stream.finalResponse();
    expect(final.output_text).toBe(FINAL);
    expect(JSON.stringify(final.output)).not.toContain("headroom_retrieve");
    expectRetrievalLoop();
    for (const request of upstream.requests) {
      expect(request.path).toBe("/responses");
      expect(request.headers.get("authorization")).toBe(`Bearer ${token}`);
      expect(request.headers.get("chatgpt-account-id")).toBe("acct-retrieval");
    }
  });

  test("a retrieve call for an unknown hash gets a clear error result, and the loop still ends", async () => {
    upstream.always((request) => {
      const body = text(request);
      if (body.includes("No original is stored for hash"))
        return new Response(anthropicMessage({ kind: "text", text: "Could not fetch it." }, "m"));
      return new Response(
        anthropicMessage(
          {
            kind: "tool",
            name: "headroom_retrieve",
            input: { hash: "0123456789abcdef01234567" },
            id: "call_x",
          },
          "m",
        ),
      );
    });
    const message = await anthropic.messages.create({
      model: "m",
      max_tokens: 100,
      messages: anthropicHistory,
    });
    expect(message.content).toMatchObject([{ type: "text", text: "Could not fetch it." }]);
    const continuation = upstream.requests[1]!.json;
    const result = continuation.messages.at(-1).content[0];
    expect(result).toMatchObject({ type: "tool_result", tool_use_id: "call_x", is_error: true });
  });

  test("the rounds are bounded: a model that keeps retrieving gets a normal end, never a dangling tool call", async () => {
    upstream.always(
      () =>
        new Response(
          anthropicMessage(
            {
              kind: "tool",
              name: "headroom_retrieve",
              input: { hash: "0123456789abcdef01234567" },
              id: "call_loop",
            },
            "m",
          ),
        ),
    );
    const message = await anthropic.messages.create({
      model: "m",
      max_tokens: 100,
      messages: anthropicHistory,
    });
    expect(message.stop_reason).toBe("end_turn");
    expect(JSON.stringify(message)).not.toContain("headroom_retrieve");
    expect(upstream.requests).toHaveLength(4); // the first request and three continuation rounds
  });
});

describe("a reply mixing headroom_retrieve with the client's own tool call", () => {
  const weather = {
    kind: "tool" as const,
    name: "get_weather",
    input: { city: "Oslo" },
    id: "toolu_weather",
  };

  test("Anthropic: the client sees only its tool call; later requests carry the hidden pair back in place, the same bytes every turn", async () => {
    modelThatRetrieves("messages", weather);
    const reply = await anthropic.messages.create({
      model: "m",
      max_tokens: 100,
      messages: anthropicHistory,
    });
    expect(
      reply.content.filter((b) => b.type === "tool_use").map((b) => (b as { name: string }).name),
    ).toEqual(["get_weather"]);
    expect(upstream.requests).toHaveLength(1);

    const nextTurn = [
      ...anthropicHistory,
      { role: "assistant" as const, content: reply.content },
      {
        role: "user" as const,
        content: [{ type: "tool_result" as const, tool_use_id: "toolu_weather", content: "4°C" }],
      },
    ];
    upstream.always(
      () => new Response(anthropicMessage({ kind: "text", text: "It is 4°C." }, "m")),
    );
    await anthropic.messages.create({ model: "m", max_tokens: 100, messages: nextTurn });
    await anthropic.messages.create({ model: "m", max_tokens: 100, messages: nextTurn });
    const seen = upstream.requests[1]!.json;
    const assistant = seen.messages[3];
    expect(assistant.content.map((b: { name?: string; type: string }) => b.name ?? b.type)).toEqual(
      ["text", "headroom_retrieve", "get_weather"],
    );
    const results = seen.messages[4].content;
    expect(results[0].tool_use_id).toBe(assistant.content[1].id);
    expect(results[0].content).toContain(NEEDLE);
    expect(results[1]).toEqual({
      type: "tool_result",
      tool_use_id: "toolu_weather",
      content: "4°C",
    });
    expect(text(upstream.requests[2]!)).toBe(text(upstream.requests[1]!));
  });

  test("Anthropic streaming: the hidden block leaves no gap in the client's block indexes", async () => {
    modelThatRetrieves("messages", weather);
    const message = await anthropic.messages
      .stream({ model: "m", max_tokens: 100, messages: anthropicHistory })
      .finalMessage();
    expect(message.content.map((b) => b.type)).toEqual(["text", "tool_use"]);
    expect(message.content[1]).toMatchObject({ name: "get_weather", input: { city: "Oslo" } });
    expect(message.stop_reason).toBe("tool_use");
  });

  test("Chat and Responses: the hidden call and its answer are put back on the next turn", async () => {
    modelThatRetrieves("chat", { ...weather, id: "call_weather" });
    const completion = await openai.chat.completions.create({ model: "m", messages: chatHistory });
    const calls = completion.choices[0]!.message.tool_calls!;
    expect(calls.map((c) => (c.type === "function" ? c.function.name : ""))).toEqual([
      "get_weather",
    ]);
    upstream.always(() => new Response(chatCompletion({ kind: "text", text: "ok" }, "m")));
    await openai.chat.completions.create({
      model: "m",
      messages: [
        ...chatHistory,
        completion.choices[0]!.message,
        { role: "tool", tool_call_id: "call_weather", content: "4°C" },
      ],
    });
    const seen = upstream.requests[1]!.json;
    expect(
      seen.messages[3].tool_calls.map((c: { function: { name: string } }) => c.function.name),
    ).toEqual(["headroom_retrieve", "get_weather"]);
    expect(seen.messages[4].role).toBe("tool");
    expect(seen.messages[4].content).toContain(NEEDLE);
    expect(seen.messages[5]).toEqual({
      role: "tool",
      tool_call_id: "call_weather",
      content: "4°C",
    });

    upstream.reset();
    modelThatRetrieves("responses", { ...weather, id: "call_w2" });
    const response = await openai.responses.create({ model: "m", input: responsesInput });
    expect(
      response.output
        .filter((i) => i.type === "function_call")
        .map((i) => (i as { name: string }).name),
    ).toEqual(["get_weather"]);
    upstream.always(() => new Response(responsesBody({ kind: "text", text: "ok" }, "m")));
    await openai.responses.create({
      model: "m",
      input: [
        ...responsesInput,
        ...(response.output as OpenAI.Responses.ResponseInputItem[]),
        { type: "function_call_output", call_id: "call_w2", output: "4°C" },
      ],
    });
    const input = upstream.requests[1]!.json.input;
    const kinds = input.map(
      (item: { type?: string; name?: string }) => `${item.type}${item.name ? `:${item.name}` : ""}`,
    );
    expect(kinds.slice(3)).toEqual([
      "function_call:headroom_retrieve",
      "function_call_output",
      "function_call:get_weather",
      "function_call_output",
    ]);
    expect(JSON.stringify(input[4])).toContain(NEEDLE);
  });
});

describe("a hidden retrieve pair across a restart", () => {
  test("a proxy started again on the same workspace puts the pair back with the same bytes", async () => {
    const workspace = mkdtempSync(join(tmpdir(), "headroom-hidden-"));
    /** A proxy on the workspace's SQLite stores, as `headroom proxy` opens them. */
    const start = () => {
      const db = openWorkspaceDatabase(workspace);
      const served = serveApp({
        upstream: upstream.url,
        decisions: new SqliteDecisionStore(db),
        originals: new SqliteOriginalStore(db),
        hiddenCalls: new SqliteHiddenCallStore(db),
      });
      const client = new Anthropic({ apiKey: "sk-ant-test", baseURL: served.url, maxRetries: 0 });
      return { db, served, client };
    };
    const weather = {
      kind: "tool" as const,
      name: "get_weather",
      input: { city: "Oslo" },
      id: "toolu_w2",
    };
    try {
      const first = start();
      modelThatRetrieves("messages", weather);
      const reply = await first.client.messages.create({
        model: "m",
        max_tokens: 100,
        messages: anthropicHistory,
      });
      const nextTurn = [
        ...anthropicHistory,
        { role: "assistant" as const, content: reply.content },
        {
          role: "user" as const,
          content: [{ type: "tool_result" as const, tool_use_id: "toolu_w2", content: "4°C" }],
        },
      ];
      upstream.always(() => new Response(anthropicMessage({ kind: "text", text: "4°C." }, "m")));
      await first.client.messages.create({ model: "m", max_tokens: 100, messages: nextTurn });
      const before = text(upstream.requests.at(-1)!);
      expect(before).toContain("headroom_retrieve");
      await first.served.stop();
      first.db.close();

      const second = start();
      await second.client.messages.create({ model: "m", max_tokens: 100, messages: nextTurn });
      expect(text(upstream.requests.at(-1)!)).toBe(before);
      await second.served.stop();
      second.db.close();
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  });
});
