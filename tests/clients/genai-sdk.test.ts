/**
 * Google's @google/genai SDK as a real client of headroom (`httpOptions.baseUrl`), against a fake
 * Gemini API on 127.0.0.1: a function-calling conversation whose large functionResponse is
 * compressed, the model's headroom_retrieve answered inside the proxy on generateContent and on
 * generateContentStream (which the SDK sends with `alt=sse`), usage summed over the rounds, an
 * error mid-stream surfacing as the SDK's ApiError, and countTokens and the model list passed
 * through.
 */

import { describe, expect, test } from "bun:test";
import { ApiError, type Content, GoogleGenAI } from "@google/genai";
import {
  bodyText,
  FAILED_LINE,
  FOUND,
  MARKER,
  NOT_FOUND,
  workerLog,
} from "../helpers/agent-env.ts";
import type { RecordedRequest } from "../helpers/fake-upstream.ts";
import { GEMINI_MODELS, geminiChunks, geminiResponse, geminiSse } from "../helpers/gemini-wire.ts";
import { proxiedUpstream } from "../helpers/proxied-upstream.ts";
import { waitFor } from "../helpers/proxy.ts";
import { DEFAULT_USAGE, type Reply } from "../helpers/wire.ts";

const { upstream, proxy } = proxiedUpstream();

const KEY = "AIzaSyGenaiSdkTestKey000000000000000000";
const MODEL = "gemini-2.5-flash";
const LOG = workerLog();

const ai = new GoogleGenAI({ apiKey: KEY, httpOptions: { baseUrl: proxy.url } });

/** A conversation where the app's `read_log` function returned the whole log. */
const contents: Content[] = [
  { role: "user", parts: [{ text: "Which batch failed? Use read_log." }] },
  { role: "model", parts: [{ functionCall: { id: "c1", name: "read_log", args: {} } }] },
  {
    role: "user",
    parts: [{ functionResponse: { id: "c1", name: "read_log", response: { output: LOG } } }],
  },
];
const config = {
  tools: [
    {
      functionDeclarations: [
        { name: "read_log", description: "Reads the worker log", parametersJsonSchema: {} },
      ],
    },
  ],
};

const text = (r: RecordedRequest) => bodyText(r);

/**
 * The fake Gemini: when the log reached it compressed (a marker, no failed line), it asks
 * headroom_retrieve for the original; with the failed line in its context it answers.
 */
function modelThatRetrieves(options: { failContinuation?: boolean } = {}) {
  upstream.always((request) => {
    const body = text(request);
    const hash = MARKER.exec(body)?.[1];
    const retrieved = body.includes('"name":"headroom_retrieve","response"');
    if (retrieved && options.failContinuation)
      return Response.json(
        { error: { code: 400, message: "bad turn order", status: "INVALID_ARGUMENT" } },
        { status: 400 },
      );
    const reply: Reply =
      hash && !retrieved
        ? { kind: "tool", name: "headroom_retrieve", input: { hash }, text: "Checking." }
        : { kind: "text", text: body.includes(FAILED_LINE) ? FOUND : NOT_FOUND };
    if (!request.path.endsWith(":streamGenerateContent"))
      return Response.json(geminiResponse(reply, MODEL, DEFAULT_USAGE));
    return upstream.stream(geminiSse(geminiChunks(reply, MODEL, DEFAULT_USAGE)));
  });
}

describe("@google/genai through headroom", () => {
  test("generateContent: the log goes compressed, the retrieve round stays inside headroom", async () => {
    modelThatRetrieves();
    const response = await ai.models.generateContent({ model: MODEL, contents, config });
    expect(response.text).toBe(FOUND);
    expect(response.functionCalls).toBeUndefined();
    expect(response.usageMetadata).toMatchObject({
      promptTokenCount: 50,
      candidatesTokenCount: 24,
      totalTokenCount: 74,
    });
    expect(upstream.requests).toHaveLength(2);
    const [first, second] = upstream.requests as [RecordedRequest, RecordedRequest];
    // The genai SDK 3 calls the Gemini API's v1 by default.
    expect(first.path).toBe(`/v1/models/${MODEL}:generateContent`);
    expect(first.headers.get("x-goog-api-key")).toBe(KEY);
    const sent = first.json.contents[2].parts[0].functionResponse.response.output as string;
    expect(sent.length).toBeLessThan(LOG.length / 4);
    expect(first.json.tools[0].functionDeclarations.at(-1).name).toBe("headroom_retrieve");
    expect(text(second)).toContain(FAILED_LINE);
    await waitFor(() => proxy.exchanges.length === 1);
    expect(proxy.exchanges[0]).toMatchObject({ api: "gemini", model: MODEL, retrievals: 1 });
  });

  test("generateContentStream: one stream to the SDK, no retrieve call in it, summed usage", async () => {
    modelThatRetrieves();
    const stream = await ai.models.generateContentStream({ model: MODEL, contents, config });
    let said = "";
    let last: Awaited<ReturnType<typeof stream.next>>["value"];
    for await (const chunk of stream) {
      expect(chunk.functionCalls).toBeUndefined();
      said += chunk.text ?? "";
      last = chunk;
    }
    expect(said).toBe(`Checking.${FOUND}`);
    expect(last?.usageMetadata).toMatchObject({ promptTokenCount: 50, candidatesTokenCount: 24 });
    expect(upstream.requests.map((r) => r.query)).toEqual(["alt=sse", "alt=sse"]);
    await waitFor(() => proxy.exchanges.length === 1);
    expect(proxy.exchanges[0]!.usage).toEqual({ inputTokens: 50, outputTokens: 24 });
  });

  test("a continuation the upstream refuses ends the stream with an error the SDK throws", async () => {
    modelThatRetrieves({ failContinuation: true });
    const stream = await ai.models.generateContentStream({ model: MODEL, contents, config });
    const read = async () => {
      for await (const _chunk of stream) {
        // Reading until the error.
      }
    };
    const error = await read().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toContain("retrieval continuation (400)");
  });

  test("countTokens and the model list pass through untouched", async () => {
    const count = await ai.models.countTokens({ model: MODEL, contents });
    expect(count.totalTokens).toBe(42);
    expect(text(upstream.requests[0]!)).not.toContain("headroom");
    const pager = await ai.models.list();
    expect(pager.page.map((m) => m.name)).toEqual(GEMINI_MODELS.models.map((m) => m.name));
    expect(upstream.requests[0]!.path).toBe(`/v1/models/${MODEL}:countTokens`);
    expect(upstream.requests[1]!.path).toBe("/v1/models");
    expect(upstream.requests[1]!.headers.get("x-goog-api-key")).toBe(KEY);
  });
});
