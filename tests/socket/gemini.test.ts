import { describe, expect, test } from "bun:test";
import type { RecordedRequest } from "../helpers/fake-upstream.ts";
import {
  GEMINI_MODELS,
  geminiArray,
  geminiChunks,
  geminiResponse,
  geminiSse,
} from "../helpers/gemini-wire.ts";
import { hostListingWithNeedle } from "../helpers/output-fixture.ts";
import { proxiedUpstream } from "../helpers/proxied-upstream.ts";
import { waitFor } from "../helpers/proxy.ts";
import { DEFAULT_USAGE, type Reply } from "../helpers/wire.ts";

const { upstream, proxy } = proxiedUpstream();

// biome-ignore lint/suspicious/noExplicitAny: provider JSON as the client reads it
type GeminiJson = any;

const KEY = "AIzaSyFAKE-gemini-sentinel-0123456789ab";
const MODEL = "gemini-2.5-flash";
const text = (r: RecordedRequest) => new TextDecoder().decode(r.body);

// The needle sits in the listing's row 58, which lossy compression drops.
const NEEDLE = "needle-5c1e-gemini-answer";
const rows = hostListingWithNeedle(NEEDLE);
const FINAL = "The note on row 58 is needle-5c1e-gemini-answer.";

/** A Gemini CLI style conversation: the question, the shell call, its output. */
function conversation(output = rows) {
  return {
    contents: [
      { role: "user", parts: [{ text: "Which host has the unusual note?" }] },
      {
        role: "model",
        parts: [
          {
            functionCall: { name: "run_shell_command", args: { command: "curl /hosts" } },
            thoughtSignature: "CiQBsig==",
          },
        ],
      },
      {
        role: "user",
        parts: [
          {
            functionResponse: {
              id: "run_shell_command-1",
              name: "run_shell_command",
              response: { output },
            },
          },
        ],
      },
    ],
    systemInstruction: { parts: [{ text: "You are a CLI agent." }] },
    tools: [
      {
        functionDeclarations: [
          {
            name: "run_shell_command",
            description: "Runs a shell command",
            parametersJsonSchema: {
              type: "object",
              properties: { command: { type: "string" } },
            },
          },
        ],
      },
    ],
  };
}

function post(method: string, body: unknown, query = "", headers: Record<string, string> = {}) {
  return fetch(`${proxy.url}/v1beta/models/${MODEL}:${method}${query}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-goog-api-key": KEY, ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** The fake Gemini: calls headroom_retrieve for the marker's hash until the original is back. */
function modelThatRetrieves(options: { withId?: boolean; mixed?: boolean; stream?: boolean } = {}) {
  upstream.always((request) => {
    const body = text(request);
    const hash = /headroom_retrieve hash=([0-9a-f]{24})/.exec(body)?.[1];
    const answered = body.includes(NEEDLE);
    const reply: Reply =
      answered || !hash
        ? { kind: "text", text: FINAL }
        : {
            kind: "tool",
            name: "headroom_retrieve",
            input: { hash },
            ...(options.withId ? { id: `call_retrieve_${upstream.requests.length}` } : {}),
            text: "Let me fetch the full output.",
          };
    const sse = new URLSearchParams(request.query).get("alt") === "sse";
    const streamed = request.path.endsWith(":streamGenerateContent");
    if (options.mixed && !answered && reply.kind === "tool") {
      const whole = geminiResponse(reply, MODEL, DEFAULT_USAGE);
      whole.candidates[0].content.parts.push({
        functionCall: {
          ...(options.withId ? { id: "call_ls" } : {}),
          name: "list_directory",
          args: { path: "." },
        },
      });
      if (!streamed) return Response.json(whole);
      return upstream.stream(geminiSse([whole]));
    }
    if (!streamed) return Response.json(geminiResponse(reply, MODEL, DEFAULT_USAGE));
    const chunks = geminiChunks(reply, MODEL, DEFAULT_USAGE);
    return sse
      ? upstream.stream(geminiSse(chunks))
      : new Response(geminiArray(chunks), { headers: { "content-type": "application/json" } });
  });
}

describe("Gemini routes", () => {
  test("generateContent reaches the Gemini upstream with the key, path and body untouched", async () => {
    const body = `{"contents":[{"role":"user","parts":[{"text":"hi"}]}]}`;
    const res = await post("generateContent", body, `?key=${KEY}&foo=1`);
    expect(res.status).toBe(200);
    const answer = (await res.json()) as GeminiJson;
    expect(answer.candidates[0].content.parts[0].text).toBe("Hello from the fake upstream.");
    const sent = upstream.requests[0]!;
    expect(sent.path).toBe(`/v1beta/models/${MODEL}:generateContent`);
    expect(sent.query).toBe(`key=${KEY}&foo=1`);
    expect(sent.headers.get("x-goog-api-key")).toBe(KEY);
    expect(text(sent)).toBe(body);
    await waitFor(() => proxy.exchanges.length === 1);
    const exchange = proxy.exchanges[0]!;
    expect(exchange).toMatchObject({ api: "gemini", provider: "gemini", model: MODEL });
    expect(exchange.usage).toEqual({ inputTokens: 25, outputTokens: 12 });
  }, 30_000);

  test("an alt=sse stream is relayed byte for byte, usage read from its last chunk", async () => {
    const events = geminiSse(
      geminiChunks({ kind: "text", text: "Hello there" }, MODEL, DEFAULT_USAGE),
    );
    upstream.once(() => upstream.stream(events));
    const res = await post("streamGenerateContent", conversation("short"), "?alt=sse");
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    expect(await res.text()).toBe(events.join(""));
    await waitFor(() => proxy.exchanges.length === 1);
    expect(proxy.exchanges[0]).toMatchObject({ stream: true, model: MODEL });
    expect(proxy.exchanges[0]!.usage).toEqual({ inputTokens: 25, outputTokens: 12 });
  }, 30_000);

  test("a stream without alt=sse (one JSON array) is relayed byte for byte, usage from its last element", async () => {
    const res = await post("streamGenerateContent", conversation("short"));
    const chunks = geminiChunks(
      { kind: "text", text: "Hello from the fake upstream." },
      MODEL,
      DEFAULT_USAGE,
    );
    expect(await res.text()).toBe(geminiArray(chunks));
    await waitFor(() => proxy.exchanges.length === 1);
    expect(proxy.exchanges[0]!.usage).toEqual({ inputTokens: 25, outputTokens: 12 });
  }, 30_000);

  test("cached and thinking tokens reach the ledger: cached as cache reads, thoughts as output", async () => {
    const costSoFar = async () =>
      ((await (await fetch(`${proxy.url}/stats`)).json()) as GeminiJson).cost.with_headroom_usd;
    const before = await costSoFar();
    upstream.once(() =>
      Response.json(
        geminiResponse(
          { kind: "text", text: "ok" },
          MODEL,
          { input: 100, output: 7, cacheRead: 900, cacheWrite: 0 },
          30,
        ),
      ),
    );
    await (await post("generateContent", conversation("short"))).text();
    const generation = () => proxy.exchanges.find((e) => e.api === "gemini");
    await waitFor(() => generation() !== undefined);
    expect(generation()!.usage).toEqual({
      inputTokens: 1000,
      outputTokens: 37,
      cacheReadTokens: 900,
    });
    const stats = (await (await fetch(`${proxy.url}/stats`)).json()) as GeminiJson;
    expect(JSON.stringify(stats)).toContain('"gemini"');
    // Gemini 2.5 Flash list prices: $0.30 input, $0.03 cached, $2.50 output per million.
    expect(stats.cost.unpriced_requests).toBe(0);
    expect((await costSoFar()) - before).toBeCloseTo((100 * 0.3 + 900 * 0.03 + 37 * 2.5) / 1e6, 6);
  }, 30_000);

  test("countTokens and GET /v1beta/models pass through to the Gemini upstream", async () => {
    const count = await post("countTokens", conversation());
    expect(await count.json()).toEqual({ totalTokens: 42 });
    expect(text(upstream.requests[0]!)).toBe(JSON.stringify(conversation()));
    const models = await fetch(`${proxy.url}/v1beta/models`, {
      headers: { "x-goog-api-key": KEY },
    });
    expect(await models.json()).toEqual(GEMINI_MODELS);
    expect(upstream.requests[1]!.headers.get("x-goog-api-key")).toBe(KEY);
  }, 30_000);

  test("GET /v1/models with a Google key (header or ?key=) is Gemini's, never OpenAI's", async () => {
    const header = await fetch(`${proxy.url}/v1/models`, { headers: { "x-goog-api-key": KEY } });
    expect(await header.json()).toEqual(GEMINI_MODELS);
    expect((await fetch(`${proxy.url}/v1/models?key=${KEY}`)).status).toBe(200);
    await waitFor(() => proxy.exchanges.length === 2);
    expect(proxy.exchanges.map((e) => e.provider)).toEqual(["gemini", "gemini"]);
    // An OpenAI key and a Google key together belong to two providers: sent nowhere.
    const both = await fetch(`${proxy.url}/v1/models?key=${KEY}`, {
      headers: { authorization: "Bearer sk-x" },
    });
    expect(both.status).toBe(404);
    expect(upstream.requests).toHaveLength(2);
  }, 30_000);

  test("bad JSON is refused in Google's error shape and not forwarded", async () => {
    const res = await post("generateContent", "{not json");
    expect(res.status).toBe(400);
    const body = (await res.json()) as GeminiJson;
    expect(body.error).toMatchObject({ code: 400, status: "INVALID_ARGUMENT" });
    expect(typeof body.error.message).toBe("string");
    expect(upstream.requests).toHaveLength(0);
  }, 30_000);
});

describe("Gemini compression", () => {
  test("a stream sent as one JSON array gets no new lossy compression and no retrieve tool: no call in it could be answered", async () => {
    // Rows no other test sends, so no earlier decision is replayed for them.
    const own = rows.replaceAll("routine check", "array-stream check");
    const res = await post("streamGenerateContent", conversation(own));
    expect(res.status).toBe(200);
    await res.text();
    const sent = text(upstream.requests[0]!);
    expect(sent).not.toContain("headroom_retrieve");
    expect(sent).toBe(JSON.stringify(conversation(own)));
  }, 30_000);

  test("the newest functionResponse is compressed, the retrieve tool declared, and the next turn replays it", async () => {
    const turn1 = conversation();
    await (await post("generateContent", turn1)).text();
    const first = upstream.requests[0]!;
    const sentOutput = first.json.contents[2].parts[0].functionResponse.response.output;
    expect(sentOutput.length).toBeLessThan(rows.length);
    expect(sentOutput).toMatch(/headroom_retrieve hash=[0-9a-f]{24}/);
    const declarations = first.json.tools[0].functionDeclarations;
    expect(declarations.map((d: { name: string }) => d.name)).toEqual([
      "run_shell_command",
      "headroom_retrieve",
    ]);
    // Everything but the tool output and the declaration is the client's own bytes.
    expect(first.json.contents[1]).toEqual(turn1.contents[1]);
    expect(first.json.systemInstruction).toEqual(turn1.systemInstruction);

    const turn2 = {
      ...turn1,
      contents: [
        ...turn1.contents,
        { role: "model", parts: [{ text: "Looking further." }] },
        { role: "user", parts: [{ text: "And the disk usage?" }] },
      ],
    };
    await (await post("generateContent", turn2)).text();
    const second = text(upstream.requests[1]!);
    const firstText = text(first);
    // The first request's prefix (up to the end of its contents) is repeated byte for byte.
    const prefix = firstText.slice(0, firstText.indexOf(',"systemInstruction"') - 1);
    expect(second.startsWith(prefix)).toBe(true);
    expect(upstream.requests[1]!.json.tools[0].functionDeclarations).toHaveLength(2);
  }, 30_000);

  test("the model's retrieve call is answered by the proxy (JSON), usage summed over both rounds", async () => {
    modelThatRetrieves();
    const res = await post("generateContent", conversation());
    const answer = (await res.json()) as GeminiJson;
    expect(answer.candidates[0].content.parts).toEqual([{ text: FINAL }]);
    expect(JSON.stringify(answer)).not.toContain("headroom_retrieve");
    expect(answer.usageMetadata).toMatchObject({ promptTokenCount: 50, candidatesTokenCount: 24 });
    expect(upstream.requests).toHaveLength(2);
    const continuation = upstream.requests[1]!.json;
    const added = continuation.contents.slice(3);
    expect(added[0].role).toBe("model");
    expect(added[0].parts.at(-1).functionCall.name).toBe("headroom_retrieve");
    expect(added[0].parts.at(-1).thoughtSignature).toBe("CiQBVKhc7fakeSignature==");
    expect(added[1].role).toBe("user");
    expect(added[1].parts[0].functionResponse.name).toBe("headroom_retrieve");
    expect(added[1].parts[0].functionResponse.response.output).toContain(NEEDLE);
    // A call without an id is answered without one.
    expect(added[1].parts[0].functionResponse.id).toBeUndefined();
    await waitFor(() => proxy.exchanges.length === 1);
    expect(proxy.exchanges[0]!.retrievals).toBe(1);
    expect(proxy.exchanges[0]!.usage).toEqual({ inputTokens: 50, outputTokens: 24 });
  }, 30_000);

  test("streaming (alt=sse): one stream, no retrieve call, one finish, the first responseId, summed usage", async () => {
    modelThatRetrieves({ withId: true });
    const res = await post("streamGenerateContent", conversation(), "?alt=sse");
    const raw = await res.text();
    expect(raw).not.toContain("headroom_retrieve");
    const chunks = raw
      .split("\r\n\r\n")
      .filter(Boolean)
      .map((event) => JSON.parse(event.replace(/^data: /, "")));
    const said = chunks
      .flatMap((c) => c.candidates[0].content.parts.map((p: { text?: string }) => p.text))
      .join("");
    expect(said).toBe(`Let me fetch the full output.${FINAL}`);
    expect(chunks.filter((c) => c.candidates[0].finishReason)).toHaveLength(1);
    expect(chunks.at(-1).candidates[0].finishReason).toBe("STOP");
    expect(new Set(chunks.map((c) => c.responseId))).toEqual(new Set(["fakeResp1AbCd"]));
    expect(chunks.at(-1).usageMetadata).toMatchObject({
      promptTokenCount: 50,
      candidatesTokenCount: 24,
      totalTokenCount: 74,
    });
    const answerPart = upstream.requests[1]!.json.contents.at(-1).parts[0].functionResponse;
    expect(answerPart).toMatchObject({ id: "call_retrieve_1", name: "headroom_retrieve" });
    await waitFor(() => proxy.exchanges.length === 1);
    expect(proxy.exchanges[0]!.usage).toEqual({ inputTokens: 50, outputTokens: 24 });
  }, 30_000);

  test("a retrieve call beside the client's own call is hidden, answered, and put back next turn", async () => {
    modelThatRetrieves({ withId: true, mixed: true });
    const answer = (await (await post("generateContent", conversation())).json()) as GeminiJson;
    const parts = answer.candidates[0].content.parts;
    expect(parts.map((p: { functionCall?: { name: string } }) => p.functionCall?.name)).toEqual([
      undefined,
      "list_directory",
    ]);
    expect(upstream.requests).toHaveLength(1);
    // The client answers its own call; headroom puts the hidden call and its answer back.
    const turn2 = conversation();
    turn2.contents.push(
      { role: "model", parts },
      {
        role: "user",
        parts: [
          {
            functionResponse: {
              id: "call_ls",
              name: "list_directory",
              response: { output: "a.txt" },
            },
          },
        ],
      },
    );
    upstream.always(() =>
      Response.json(geminiResponse({ kind: "text", text: "ok" }, MODEL, DEFAULT_USAGE)),
    );
    await (await post("generateContent", turn2)).text();
    const sent = upstream.requests[1]!.json.contents;
    expect(
      sent[3].parts.map((p: { functionCall?: { name: string } }) => p.functionCall?.name),
    ).toEqual([undefined, "headroom_retrieve", "list_directory"]);
    expect(sent[4].parts[0].functionResponse.name).toBe("headroom_retrieve");
    expect(sent[4].parts[0].functionResponse.response.output).toContain(NEEDLE);
    expect(sent[4].parts[1].functionResponse.id).toBe("call_ls");
  }, 30_000);
});

describe("Gemini 3 thought signatures", () => {
  for (const stream of [false, true]) {
    test(`a hidden retrieve call without ids hands its signature to the client's call (${stream ? "alt=sse" : "JSON"})`, async () => {
      modelThatRetrieves({ mixed: true });
      const res = stream
        ? await post("streamGenerateContent", conversation(), "?alt=sse")
        : await post("generateContent", conversation());
      const raw = await res.text();
      const reply = JSON.parse(stream ? raw.replace(/^data: /, "") : raw) as GeminiJson;
      expect(reply.candidates[0].content.parts.at(-1)).toEqual({
        functionCall: { name: "list_directory", args: { path: "." } },
        thoughtSignature: "CiQBVKhc7fakeSignature==",
      });
      expect(raw).not.toContain("headroom_retrieve");
    }, 30_000);
  }
});

describe("Gemini credentials", () => {
  test("the API key, in the header or the query, appears in no log, record, stats or error", async () => {
    await (await post("generateContent", conversation(), `?key=${KEY}`)).text();
    await (await post("generateContent", "{bad", `?key=${KEY}`)).text();
    const unreachable = await fetch(
      `${proxy.url}/v1beta/models/${MODEL}:generateContent?key=${KEY}`,
      {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-goog-api-key": KEY,
          "x-headroom-base-url": "http://127.0.0.1:1",
        },
        body: JSON.stringify(conversation("short")),
      },
    );
    const errorText = await unreachable.text();
    expect(unreachable.status).toBe(502);
    await waitFor(() => proxy.exchanges.length === 3);
    const seen = [
      errorText,
      JSON.stringify(proxy.logs),
      JSON.stringify(proxy.exchanges, (_k, v) => (v instanceof Uint8Array ? undefined : v)),
      await (await fetch(`${proxy.url}/stats`)).text(),
      await (await fetch(`${proxy.url}/metrics`)).text(),
      await (await fetch(`${proxy.url}/transformations/feed`)).text(),
    ].join("\n");
    expect(seen).not.toContain(KEY);
    expect(seen).not.toContain("AIzaSy");
  }, 30_000);
});
