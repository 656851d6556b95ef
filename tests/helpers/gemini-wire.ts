/**
 * Gemini's generateContent wire format, built for the fake upstream: a whole
 * GenerateContentResponse, the chunks of a stream (running usageMetadata on each, finishReason
 * on the last), framed as the API frames them: `data: {…}\r\n\r\n` with `alt=sse`, one JSON
 * array without it.
 */

import type { FakeUsage, Reply } from "./wire.ts";

// biome-ignore lint/suspicious/noExplicitAny: provider JSON
type Json = Record<string, any>;

/** Usage as Gemini reports it: the prompt count includes the cached part; thoughts are apart. */
function usageMetadata(usage: FakeUsage, output: number, thoughts = 0): Json {
  return {
    promptTokenCount: usage.input + usage.cacheRead,
    candidatesTokenCount: output,
    totalTokenCount: usage.input + usage.cacheRead + output + thoughts,
    ...(usage.cacheRead ? { cachedContentTokenCount: usage.cacheRead } : {}),
    promptTokensDetails: [{ modality: "TEXT", tokenCount: usage.input + usage.cacheRead }],
    ...(thoughts ? { thoughtsTokenCount: thoughts } : {}),
  };
}

/** The model's parts for a reply (a function call carries a thought signature, as Gemini 2.5+). */
function partsOf(reply: Reply): Json[] {
  if (reply.kind === "text") return [{ text: reply.text }];
  if (reply.kind === "thinking") return [{ text: reply.text }];
  return [
    ...(reply.text ? [{ text: reply.text }] : []),
    {
      functionCall: { ...(reply.id ? { id: reply.id } : {}), name: reply.name, args: reply.input },
      thoughtSignature: "CiQBVKhc7fakeSignature==",
    },
  ];
}

/** A whole GenerateContentResponse (generateContent). */
export function geminiResponse(reply: Reply, model: string, usage: FakeUsage, thoughts = 0): Json {
  return {
    candidates: [
      {
        content: { parts: partsOf(reply), role: "model" },
        finishReason: "STOP",
        index: 0,
      },
    ],
    usageMetadata: usageMetadata(usage, usage.output, thoughts),
    modelVersion: model,
    responseId: "fakeResp1AbCd",
  };
}

/** The chunks of a streamed reply: text in two pieces, a function call whole in the last chunk. */
export function geminiChunks(reply: Reply, model: string, usage: FakeUsage, thoughts = 0): Json[] {
  const parts = partsOf(reply);
  const pieces: Json[][] = [];
  for (const part of parts) {
    if (typeof part.text === "string" && part.text.length > 1) {
      const half = Math.ceil(part.text.length / 2);
      pieces.push([{ text: part.text.slice(0, half) }], [{ text: part.text.slice(half) }]);
    } else pieces.push([part]);
  }
  return pieces.map((piece, k) => {
    const last = k === pieces.length - 1;
    const output = last ? usage.output : Math.max(1, Math.floor(usage.output / 2));
    return {
      candidates: [
        {
          content: { parts: piece, role: "model" },
          ...(last ? { finishReason: "STOP" } : {}),
          index: 0,
        },
      ],
      usageMetadata: usageMetadata(usage, output, thoughts),
      modelVersion: model,
      responseId: "fakeResp1AbCd",
    };
  });
}

/** The chunks as `alt=sse` sends them. */
export function geminiSse(chunks: readonly Json[]): string[] {
  return chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\r\n\r\n`);
}

/** The chunks as a stream without `alt=sse` sends them: one pretty-printed JSON array. */
export function geminiArray(chunks: readonly Json[]): string {
  return `[${chunks.map((chunk) => JSON.stringify(chunk, null, 2)).join("\r\n,")}]`;
}

/** GET /v1beta/models as the Gemini API answers it, with one model. */
export const GEMINI_MODELS = {
  models: [
    {
      name: "models/gemini-2.5-flash",
      version: "001",
      displayName: "Gemini 2.5 Flash",
      inputTokenLimit: 1048576,
      outputTokenLimit: 65536,
      supportedGenerationMethods: ["generateContent", "countTokens"],
    },
  ],
};
