/**
 * Gemini CLI (the real @google/gemini-cli) through the compiled proxy against a fake Gemini API
 * speaking streamGenerateContent with `alt=sse`: `gemini -p` asks, the fake model calls the CLI's
 * run_shell_command to cat a large log, the CLI runs it locally (`--yolo`) and sends the
 * functionResponse back through headroom, and prints the fake model's final answer. Nothing leaves
 * 127.0.0.1: the CLI's proxy variables point at an egress trap that must stay empty.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  type AgentRun,
  bodyText,
  type EgressTrap,
  FAILED_LINE,
  FOUND,
  GEMINI,
  GEMINI_KEY,
  geminiEnv,
  jsonResponse,
  MARKER,
  makeSandbox,
  NOT_FOUND,
  proxyEnv,
  runAgent,
  startEgressTrap,
  workerLog,
  writeGeminiSettings,
} from "../helpers/agent-env.ts";
import { type RunningBinary, startBinary } from "../helpers/binary.ts";
import { FakeUpstream, type RecordedRequest } from "../helpers/fake-upstream.ts";
import { geminiChunks, geminiSse } from "../helpers/gemini-wire.ts";
import { json } from "../helpers/http.ts";
import { DEFAULT_USAGE, type Reply } from "../helpers/wire.ts";

const MODEL = "gemini-2.5-flash";
const SHELL_TOOL = "run_shell_command";
const PROMPT = "Which batch failed in worker.log? Read the file.";
const LOG = workerLog();

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary provider JSON
type Json = any;

const upstream = new FakeUpstream();
let trap: EgressTrap;
let proxy: RunningBinary;
let run: AgentRun;

/** The functionResponse part answering the shell call, as the upstream received it. */
function shellResponse(request: RecordedRequest): Json {
  for (const content of request.json?.contents ?? [])
    for (const part of content.parts ?? [])
      if (part.functionResponse?.name === SHELL_TOOL) return part.functionResponse;
  return undefined;
}

function turns(): RecordedRequest[] {
  return upstream.requests.filter((r) => r.path.endsWith(":streamGenerateContent"));
}

/** The fake Gemini: a shell call that cats the log, then the answer it can give only if the line survived. */
function fakeGemini(): void {
  upstream.always((request) => {
    if (request.method !== "POST" || !request.path.endsWith(":streamGenerateContent"))
      return jsonResponse({ error: { code: 404, message: "not found", status: "NOT_FOUND" } }, 404);
    const reply: Reply = shellResponse(request)
      ? { kind: "text", text: bodyText(request).includes(FAILED_LINE) ? FOUND : NOT_FOUND }
      : { kind: "tool", name: SHELL_TOOL, input: { command: "cat worker.log" } };
    return upstream.stream(geminiSse(geminiChunks(reply, MODEL, DEFAULT_USAGE)));
  });
}

beforeAll(async () => {
  trap = await startEgressTrap();
  fakeGemini();
  const sandbox = makeSandbox("gemini");
  writeFileSync(join(sandbox.work, "worker.log"), LOG);
  writeGeminiSettings(sandbox);
  proxy = await startBinary([], proxyEnv(upstream.url, sandbox.workspace));
  run = await runAgent([GEMINI, "-m", MODEL, "-p", PROMPT, "--yolo"], {
    cwd: sandbox.work,
    env: geminiEnv(sandbox, proxy.url, trap),
  });
}, 150_000);
afterAll(async () => {
  await proxy?.stop();
  upstream.stop();
  trap.stop();
});

describe("Gemini CLI through headroom (GOOGLE_GEMINI_BASE_URL, a Gemini API key)", () => {
  test("a streamed shell round trip completes and prints the model's answer, nothing leaves 127.0.0.1", () => {
    if (run.code !== 0) throw new Error(`gemini exited ${run.code}:\n${run.stderr}\n${run.stdout}`);
    expect(run.stdout).toContain(FOUND);
    expect(turns()).toHaveLength(2);
    for (const request of turns()) {
      expect(request.path).toBe(`/v1beta/models/${MODEL}:streamGenerateContent`);
      expect(request.query).toBe("alt=sse");
      expect(request.headers.get("x-goog-api-key")).toBe(GEMINI_KEY);
      expect(request.headers.get("user-agent")).toStartWith("GeminiCLI");
    }
    expect(trap.attempts).toEqual([]);
  });

  test("the shell output reaches the upstream compressed inside the CLI's own framing", async () => {
    const [first, second] = turns() as [RecordedRequest, RecordedRequest];
    expect(shellResponse(first)).toBeUndefined();
    const sent: string = shellResponse(second).response.output;
    // Gemini CLI frames a shell result: `Output: ` and the facts after it, in untrusted_context.
    expect(sent).toStartWith("<untrusted_context>\nOutput: ");
    expect(sent).toMatch(/\nProcess Group PGID: \d+\n<\/untrusted_context>$/);
    expect(sent.length).toBeLessThan(LOG.length / 4);
    expect(sent).toContain(FAILED_LINE);
    const hash = MARKER.exec(sent)?.[1];
    expect(hash).toBeDefined();
    // headroom_retrieve joins the CLI's one list of declarations, the same from the first request.
    const names = (r: RecordedRequest) =>
      r.json.tools[0].functionDeclarations.map((d: Json) => d.name);
    expect(names(first)).toContain(SHELL_TOOL);
    expect(names(first).at(-1)).toBe("headroom_retrieve");
    expect(second.json.tools).toEqual(first.json.tools);
    expect(second.json.systemInstruction).toEqual(first.json.systemInstruction);
    // The original the CLI sent is retrievable by the hash.
    const original = await json(fetch(`${proxy.url}/v1/retrieve/${hash}`));
    expect(original.original_content).toContain(LOG.trimEnd());
  });

  test("/stats shows the requests under provider gemini and agent gemini-cli, with savings", async () => {
    const stats = await json(fetch(`${proxy.url}/stats`));
    expect(stats.requests.total).toBe(2);
    expect(stats.requests.compressed).toBe(1);
    expect(stats.requests.by_agent["gemini-cli"]).toBe(2);
    expect(JSON.stringify(stats)).toContain('"gemini"');
    expect(stats.tokens.saved).toBeGreaterThan(3_000);
  });
});
