/**
 * What `headroom selftest` checks, one function per printed line, each against a proxy started
 * in this process in front of the fake provider. A check returns what it saw, or throws a
 * {@link CheckFailed} saying what went wrong.
 * @module
 */

import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { markerHashes } from "../../compress/marker.ts";
import { RETRIEVE_TOOL_NAME } from "../../compress/slots.ts";
import { type FakeProvider, foundText, modelReply, type Received } from "./fake-provider.ts";
import {
  APIS,
  type Api,
  apiHeaders,
  apiPath,
  requestBody,
  streamedAnswer,
  wholeAnswer,
} from "./wire.ts";

/** A check that did not pass; its message is the line printed. */
export class CheckFailed extends Error {}

/** What the checks share: the proxy, the provider behind it, and what earlier checks found. */
export interface SelftestContext {
  readonly proxyUrl: string;
  readonly provider: FakeProvider;
  readonly workspaceDir: string;
  /** Generation requests sent so far (what /stats must count). */
  sent: number;
  /** Per API, what the provider received and the client got for the large tool output. */
  readonly compressed: Map<Api, { upstream: Received[]; answer: string; hash: string }>;
}

const LABEL: Record<Api, string> = {
  messages: "Anthropic Messages",
  chat: "OpenAI chat",
  responses: "OpenAI Responses",
  gemini: "Gemini",
};

const ALL_APIS = APIS.map((api) => LABEL[api]).join(", ");

/** The needle the fake model looks for: only in row 58 of the large output, which lossy compression drops. */
export const NEEDLE = "needle-7f3a-maintenance-window";

/** A realistic large tool output: an inventory of 120 hosts as JSON, one with an odd note. */
const HOSTS_JSON = JSON.stringify(
  Array.from({ length: 120 }, (_, i) => ({
    id: i + 1,
    host: `web-${(i % 6) + 1}.internal`,
    region: ["eu-west-1", "us-east-1", "ap-south-1"][i % 3],
    status: "healthy",
    uptime_days: 30 + ((i * 7) % 200),
    note: i === 57 ? NEEDLE : `routine check ${i}`,
  })),
  null,
  2,
);

// Small enough that nothing is worth compressing: it must pass untouched, é's two bytes included.
const SMALL_OUTPUT = "3 hosts healthy: web-1, web-2, web-3 (rack café)";

// A proxy that stalls fails the check that waited on it instead of hanging the selftest.
const CALL_TIMEOUT_MS = 10_000;

/** fetch, given up on after {@link CALL_TIMEOUT_MS} (the body's reading included). */
function call(url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { ...init, signal: AbortSignal.timeout(CALL_TIMEOUT_MS) });
}

function fail(message: string): never {
  throw new CheckFailed(message);
}

async function post(
  context: SelftestContext,
  api: Api,
  stream: boolean,
  body: string,
): Promise<{ status: number; type: string; text: string; upstream: Received[] }> {
  const before = context.provider.received.length;
  context.sent++;
  const response = await call(`${context.proxyUrl}${apiPath(api, stream)}`, {
    method: "POST",
    headers: apiHeaders(api),
    body,
  });
  const text = await response.text();
  const type = response.headers.get("content-type") ?? "";
  const upstream = context.provider.received.slice(before);
  return { status: response.status, type, text, upstream };
}

/** Whether the provider received exactly one request: the client's bytes, at the client's path. */
function arrivedAsSent(upstream: Received[], api: Api, stream: boolean, body: string): boolean {
  const [only] = upstream;
  const path = apiPath(api, stream).split("?")[0];
  return upstream.length === 1 && only?.body === body && only.path === path;
}

/** A request with nothing to compress reaches the provider as sent, and its answer comes back as given. */
async function checkPassthrough(context: SelftestContext): Promise<string> {
  for (const api of APIS) {
    const body = requestBody(api, "Is any host down?", SMALL_OUTPUT, {
      stream: false,
      tools: false,
    });
    const { status, text, upstream } = await post(context, api, false, body);
    if (status !== 200) fail(`${LABEL[api]}: HTTP ${status}: ${text.slice(0, 200)}`);
    if (!arrivedAsSent(upstream, api, false, body))
      fail(`${LABEL[api]}: the request reached the provider changed`);
    if (text !== wholeAnswer(api, modelReply(body, NEEDLE)))
      fail(`${LABEL[api]}: the answer reached the client changed`);
  }
  return `request and answer byte-identical on ${ALL_APIS}`;
}

/** A streamed answer reaches the client event for event, byte for byte. */
async function checkStream(context: SelftestContext): Promise<string> {
  let events = 0;
  for (const api of APIS) {
    const body = requestBody(api, "Is any host down?", SMALL_OUTPUT, {
      stream: true,
      tools: false,
    });
    const { status, type, text, upstream } = await post(context, api, true, body);
    if (status !== 200) fail(`${LABEL[api]}: HTTP ${status}: ${text.slice(0, 200)}`);
    if (!arrivedAsSent(upstream, api, true, body))
      fail(`${LABEL[api]}: the streamed request reached the provider changed`);
    if (!type.startsWith("text/event-stream"))
      fail(`${LABEL[api]}: the stream came back as ${type || "no content-type"}`);
    const expected = streamedAnswer(api, modelReply(body, NEEDLE));
    if (text !== expected.join(""))
      fail(`${LABEL[api]}: the event stream reached the client changed`);
    events += expected.length;
  }
  return `${events} SSE events relayed intact on ${ALL_APIS}`;
}

/** A large tool output goes upstream compressed, with a marker naming its original's hash. */
async function checkCompression(context: SelftestContext): Promise<string> {
  const sizes: string[] = [];
  for (const api of APIS) {
    // A question naming nothing in row 58, so keeping rows that match it cannot keep that one.
    const body = requestBody(api, "Summarise this inventory.", HOSTS_JSON, {
      stream: false,
      tools: true,
    });
    const { status, text, upstream } = await post(context, api, false, body);
    if (status !== 200) fail(`${LABEL[api]}: HTTP ${status}: ${text.slice(0, 200)}`);
    const first = upstream[0]?.body ?? "";
    const hash = markerHashes(first)[0];
    if (!hash || first.includes(NEEDLE))
      fail(`${LABEL[api]}: the ${HOSTS_JSON.length}-byte tool output went upstream uncompressed`);
    if (first.length >= body.length) fail(`${LABEL[api]}: the compressed request is not shorter`);
    context.compressed.set(api, { upstream, answer: text, hash });
    sizes.push(`${LABEL[api]} ${body.length} → ${first.length}`);
  }
  const hash = context.compressed.get("messages")?.hash;
  return `${HOSTS_JSON.length}-byte JSON tool output elided behind marker hash=${hash}; request bytes: ${sizes.join(", ")}`;
}

/** The model's headroom_retrieve call is answered by the proxy, which then continues the call. */
async function checkRetrieveTool(context: SelftestContext): Promise<string> {
  if (context.compressed.size === 0)
    fail("nothing was compressed, so there is nothing to retrieve");
  for (const [api, { upstream, answer }] of context.compressed) {
    if (upstream.length !== 2 || !upstream[1]?.body.includes(NEEDLE))
      fail(`${LABEL[api]}: the original did not reach the model after its headroom_retrieve call`);
    // The usage in the answer adds up both rounds; the text is the model's final answer.
    if (!answer.includes(foundText(NEEDLE)) || answer.includes(RETRIEVE_TOOL_NAME))
      fail(`${LABEL[api]}: the client did not get the model's final answer alone`);
  }
  return `the proxy answered the model's headroom_retrieve with the original on ${ALL_APIS}; the client saw only the final answer`;
}

/** GET /v1/retrieve/{hash} gives back the original, character for character. */
async function checkRetrieveEndpoint(context: SelftestContext): Promise<string> {
  const hash = context.compressed.get("messages")?.hash;
  if (!hash) fail("no marker to look up");
  const response = await call(`${context.proxyUrl}/v1/retrieve/${hash}`);
  const json = (await response.json()) as { original_content?: unknown };
  if (response.status !== 200) fail(`/v1/retrieve/${hash} answered HTTP ${response.status}`);
  if (json.original_content !== HOSTS_JSON)
    fail(`/v1/retrieve/${hash} did not return the original`);
  return `/v1/retrieve/${hash} returned the ${HOSTS_JSON.length}-byte original`;
}

/** The Prometheus samples of `text` by name with labels. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const cut = line.lastIndexOf(" ");
    out.set(line.slice(0, cut), Number(line.slice(cut + 1)));
  }
  return out;
}

function sum(metrics: Map<string, number>, name: string): number {
  let total = 0;
  for (const [key, value] of metrics)
    if (key === name || key.startsWith(`${name}{`)) total += value;
  return total;
}

interface StatsFigures {
  requests: { total: number };
  tokens: { proxy_compression_saved: number; input: number };
}

/** /stats counts every request sent, and /metrics reports the same figures. */
async function checkStatsAndMetrics(context: SelftestContext): Promise<string> {
  // Each request's ledger row is written when its exchange ends, just after the answer.
  const deadline = Date.now() + 3000;
  let stats: StatsFigures;
  for (;;) {
    stats = (await (await call(`${context.proxyUrl}/stats`)).json()) as StatsFigures;
    if (stats.requests.total >= context.sent || Date.now() > deadline) break;
    await Bun.sleep(20);
  }
  if (stats.requests.total !== context.sent)
    fail(`/stats counts ${stats.requests.total} requests; ${context.sent} were sent`);
  const saved = stats.tokens.proxy_compression_saved;
  if (context.compressed.size > 0 && !(saved > 0))
    fail("/stats reports no tokens saved after compressing");
  const metrics = samples(await (await call(`${context.proxyUrl}/metrics`)).text());
  const pairs: [string, number, number][] = [
    ["requests", sum(metrics, "headroom_requests_total"), stats.requests.total],
    ["tokens saved", sum(metrics, "headroom_tokens_saved_total"), saved],
    ["input tokens", sum(metrics, "headroom_input_tokens_total"), stats.tokens.input],
  ];
  for (const [what, fromMetrics, fromStats] of pairs)
    if (fromMetrics !== fromStats)
      fail(`/metrics says ${fromMetrics} ${what}, /stats says ${fromStats}`);
  return `both report ${stats.requests.total} requests, ${saved} tokens saved, ${stats.tokens.input} input tokens`;
}

/** The control plane answers a loopback Host, and a foreign one (DNS rebinding) gets a 404. */
async function checkControlPlane(context: SelftestContext): Promise<string> {
  const hash = context.compressed.get("messages")?.hash ?? "0".repeat(24);
  const url = `${context.proxyUrl}/v1/retrieve/${hash}`;
  const foreign = await call(url, { headers: { host: "selftest.example:8787" } });
  const body = await foreign.text();
  if (foreign.status !== 404 || body.includes(NEEDLE))
    fail(`/v1/retrieve answered a foreign Host with HTTP ${foreign.status}`);
  const local = await call(url);
  await local.body?.cancel();
  if (local.status === 404 && context.compressed.size > 0)
    fail("/v1/retrieve refused this machine too");
  return "/v1/retrieve refused Host selftest.example with 404 and answered 127.0.0.1";
}

/** Every path under `dir` whose mode lets anyone but the owner in. */
function openToOthers(dir: string): { files: number; open: string[] } {
  let files = 0;
  const open: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path);
    if (stat.isDirectory()) {
      const inner = openToOthers(path);
      files += inner.files;
      open.push(...inner.open);
    } else files++;
    if (stat.mode & 0o077) open.push(`${path} (${(stat.mode & 0o777).toString(8)})`);
  }
  return { files, open };
}

/** The workspace is the owner's alone: the directory 0700, every file in it 0600. */
async function checkWorkspacePrivate(context: SelftestContext): Promise<string> {
  const dir = context.workspaceDir;
  if (process.platform === "win32") return `${dir} (file modes do not apply on Windows)`;
  const mode = statSync(dir).mode & 0o777;
  if (mode & 0o077) fail(`${dir} is open to others (mode ${mode.toString(8)}); chmod 700 it`);
  const { files, open } = openToOthers(dir);
  if (open.length) fail(`open to others: ${open.join(", ")}`);
  if (files === 0) fail(`${dir} holds no files: the proxy stored nothing there`);
  return `${dir} is mode 700 and its ${files} files are private`;
}

/** The checks in the order they run: later ones read what earlier ones found. */
export const CHECKS: readonly { name: string; run: (c: SelftestContext) => Promise<string> }[] = [
  { name: "passthrough", run: checkPassthrough },
  { name: "stream", run: checkStream },
  { name: "compression", run: checkCompression },
  { name: "retrieve-tool", run: checkRetrieveTool },
  { name: "retrieve-api", run: checkRetrieveEndpoint },
  { name: "stats", run: checkStatsAndMetrics },
  { name: "control", run: checkControlPlane },
  { name: "workspace", run: checkWorkspacePrivate },
];
