/**
 * The one writer of a request's record: the stages return what they found (the route, the
 * body, the compression plan, the token figures, a failure, how the answer flowed) and these
 * functions put it on the exchange; finish-exchange.ts closes the record once and hands it to
 * the observers. (A streamed answer's usage is folded in place as events pass, in the relay.)
 * @module
 */

import type { RequestCompression, SlotEdit } from "../compress/compress-request.ts";
import { markerHashes } from "../compress/marker.ts";
import type { TokenAnswer } from "../compress/token-job.ts";
import { type Api, geminiCall, type Provider } from "../core/api.ts";
import type { JsonBody } from "../core/body.ts";
import type { ProxyError } from "../core/errors.ts";
import { type Exchange, type ExchangeOutcome, elapsedMs } from "../core/exchange.ts";
import { projectOf } from "../core/project.ts";
import { cwdOf, tagsOf, userIdOf } from "../core/request-tags.ts";
import type { Usage } from "../core/usage.ts";
import { agentOf, cleanLabel } from "../stats/agent.ts";

/** The record as its one writer sees it. */
type Writable = { -readonly [K in keyof Exchange]: Exchange[K] };

/** The record, writable: only this module uses it. */
function writable(exchange: Exchange): Writable {
  return exchange;
}

/** Which API and provider the request is for, and who sent it (labels only, never credentials). */
export function recordRoute(
  exchange: Exchange,
  api: Api,
  provider: Provider,
  headers: Headers,
): void {
  const userAgent = headers.get("user-agent");
  writable(exchange).client = {
    agent: agentOf(headers.get("x-client"), userAgent, headers.get("x-headroom-stack")),
    userAgent: userAgent ? userAgent.slice(0, 200) : null,
    project: projectOf(headers) ?? null,
    stack: cleanLabel(headers.get("x-headroom-stack")) ?? null,
    auth: null,
    userId: userIdOf(headers) ?? null,
    cwd: cwdOf(headers) ?? null,
    tags: tagsOf(headers) ?? null,
  };
  writable(exchange).api = api;
  writable(exchange).provider = provider;
}

/** The kind of sign-in the request was routed with (a label, never the credential). */
export function recordAuth(exchange: Exchange, auth: string | null): void {
  const client = exchange.client;
  if (client) writable(exchange).client = { ...client, auth };
}

/** Which provider a request refused before routing was meant for. */
export function recordProvider(exchange: Exchange, provider: Provider): void {
  writable(exchange).provider = provider;
}

/** The body's size as received. */
export function recordBody(exchange: Exchange, raw: Uint8Array): void {
  writable(exchange).bytesIn = raw.length;
}

/** What a generation request asks for (Gemini names its model and streaming in the path). */
export function recordGeneration(exchange: Exchange, json: JsonBody, path: string): void {
  const gemini = exchange.api === "gemini" ? geminiCall(path) : undefined;
  if (gemini) writable(exchange).model = gemini.model;
  else if (typeof json.value.model === "string") writable(exchange).model = json.value.model;
  writable(exchange).stream = gemini
    ? gemini.method === "streamGenerateContent"
    : json.value.stream === true;
  // Only needed when the upstream reports no usage; estimated then, from the text kept here.
  writable(exchange).inputText = json.text;
}

/** Served from the response cache: no upstream tokens were spent on it. */
export function recordCacheHit(exchange: Exchange): void {
  writable(exchange).cached = true;
  writable(exchange).outcome = "ok";
  writable(exchange).usage = { inputTokens: 0, outputTokens: 0 };
}

/** The upstream call is on its way: the proxy's own time ends here. */
export function recordDispatch(exchange: Exchange): void {
  writable(exchange).overheadMs = elapsedMs(exchange);
}

/** Work the record still waits for (exact token counting). */
export function recordAccounting(exchange: Exchange, accounting: Promise<void>): void {
  writable(exchange).accounting = accounting;
}

/** A request headroom answered itself with an error. */
export function recordFailure(exchange: Exchange, error: ProxyError): void {
  writable(exchange).outcome = error.outcome;
  writable(exchange).status = error.status;
  writable(exchange).error = error.options.recorded ?? error.message;
}

/** How long planning took, and how many outputs went whole for want of time. */
export function recordPlanning(exchange: Exchange, plan: RequestCompression, ms: number): void {
  writable(exchange).compressionMs = Math.round(ms * 100) / 100;
  writable(exchange).candidateCount = plan.candidates.length;
  writable(exchange).overBudget = plan.kept.over_budget ?? 0;
}

/** The conversation the request belongs to, as its cache clock judged it. */
export function recordConversation(
  exchange: Exchange,
  conversation: NonNullable<Exchange["conversation"]>,
): void {
  writable(exchange).conversation = conversation;
}

/** The plan went upstream: its strategies and the markers it carries. */
export function recordCompressed(exchange: Exchange, plan: RequestCompression): void {
  const own = plan.edits.filter((edit) => edit.compactedTokens !== undefined);
  if (own.length > 0) {
    const now = own.filter((edit) => !edit.replayed);
    const sum = (edits: SlotEdit[]) => edits.reduce((n, e) => n + (e.compactedTokens ?? 0), 0);
    writable(exchange).compaction = {
      slots: now.length,
      tokensRemoved: sum(now),
      tokensSaved: sum(own),
    };
  }
  writable(exchange).transforms = [...new Set(plan.edits.map((edit) => edit.strategy))];
  writable(exchange).markerHashes = [
    ...new Set(plan.edits.flatMap((edit) => (edit.lossy ? markerHashes(edit.text) : []))),
  ];
}

/** Compression or the rewrite failed and the original went (fail open). */
export function recordFailOpen(exchange: Exchange): void {
  writable(exchange).compressionFailed = true;
}

/** A WebSocket turn's frame went upstream with this many bytes. */
export function recordSocketFrame(exchange: Exchange, bytesSent: number): void {
  writable(exchange).socketFrame = { bytesSent };
}

/** Output shaping's labels. */
export function recordShaping(exchange: Exchange, labels: string[]): void {
  writable(exchange).shaping = labels;
}

/** Why headroom made the provider rewrite its cached prompt prefix. */
export function recordCacheRewrite(exchange: Exchange, reason: string): void {
  writable(exchange).cacheRewrite = reason;
}

/** The exact token figures of a compressed request, and each compression for the live feed. */
export function recordTokens(
  exchange: Exchange,
  edits: readonly SlotEdit[],
  figures: TokenAnswer,
  withText: boolean,
): void {
  writable(exchange).compressions = edits.map((edit, i) => ({
    tool: edit.slot.toolName ?? null,
    strategy: edit.strategy,
    tokensBefore: figures.edits[i]?.before ?? 0,
    tokensAfter: figures.edits[i]?.after ?? 0,
    lossy: edit.lossy,
    replayed: edit.replayed,
    ...(withText
      ? { original: edit.slot.text.slice(0, 20_000), compressed: edit.text.slice(0, 20_000) }
      : {}),
  }));
  writable(exchange).tokensBefore = figures.before;
  writable(exchange).tokensAfter = figures.after;
  writable(exchange).tokensSaved = figures.saved;
  writable(exchange).compressibleTokens = figures.compressible;
}

/** The status the client is answered with. */
export function recordStatus(exchange: Exchange, status: number): void {
  writable(exchange).status = status;
}

/** A body is flowing to the client: its end, not the handler's, finishes the record. */
export function recordFlowing(exchange: Exchange): void {
  writable(exchange).pending = true;
}

/** The first byte reached the client (only the first counts). */
export function recordFirstByte(exchange: Exchange): void {
  writable(exchange).ttfbMs ??= elapsedMs(exchange);
}

/** Bytes sent to the client so far. */
export function recordBytesOut(exchange: Exchange, bytes: number): void {
  writable(exchange).bytesOut += bytes;
}

/** The usage the upstream reported for the whole answer. */
export function recordUsage(exchange: Exchange, usage: Usage): void {
  writable(exchange).usage = usage;
}

/** How the answer ended, and why when it failed. */
export function recordOutcome(
  exchange: Exchange,
  outcome: ExchangeOutcome,
  error?: string | undefined,
): void {
  writable(exchange).outcome = outcome;
  if (error !== undefined) writable(exchange).error = error;
}

/** headroom_retrieve calls the proxy answered for this request. */
export function recordRetrievals(exchange: Exchange, calls: number): void {
  writable(exchange).retrievals = (exchange.retrievals ?? 0) + calls;
}

/** The record is complete: no body is flowing any more, and its duration is known. */
export function recordFinished(exchange: Exchange): void {
  writable(exchange).pending = false;
  writable(exchange).durationMs = elapsedMs(exchange);
}
