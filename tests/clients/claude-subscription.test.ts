/**
 * Claude Code signed in with a Claude plan (an OAuth access token, `sk-ant-oat…`, instead of an
 * API key) through the compiled proxy against a fake Anthropic upstream. A recording tap between
 * Claude Code and headroom keeps what the client sent, so the upstream's copy can be compared with
 * it: the bearer, the OAuth beta header, every other header, the system prompt's bytes (which
 * Anthropic checks on subscription traffic) and metadata.user_id arrive as sent; the only change
 * is the compressed tool output and the retrieve tool. The token is written nowhere.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  type AgentRun,
  CLAUDE,
  CLAUDE_OAUTH_TOKEN,
  claudeSubscriptionEnv,
  type EgressTrap,
  FOUND,
  MARKER,
  makeSandbox,
  proxyEnv,
  runAgent,
  type Sandbox,
  startEgressTrap,
  workerLog,
} from "../helpers/agent-env.ts";
import { type RunningBinary, startBinary } from "../helpers/binary.ts";
import { ClientTap } from "../helpers/client-tap.ts";
import {
  agentTurns,
  CLAUDE_PROMPT,
  expectToolResultCompressed,
  fakeClaudeModel,
  resultText,
  toolResult,
} from "../helpers/fake-claude.ts";
import { FakeUpstream, type RecordedRequest } from "../helpers/fake-upstream.ts";
import { json } from "../helpers/http.ts";
import { waitFor } from "../helpers/proxy.ts";
import { type WrappedRun, wrapInSandbox } from "../helpers/wrap-run.ts";

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary provider JSON
type Json = any;

const LOG = workerLog();
const CLAUDE_ARGS = ["-p", CLAUDE_PROMPT, "--allowedTools", "Bash", "--output-format", "json"];
/** Headers a hop may set for itself: the connection, the body's length and encodings. */
const PER_HOP = new Set(["host", "content-length", "accept-encoding", "connection"]);

const upstream = new FakeUpstream();
let trap: EgressTrap;
let proxyUrl = "";
const tap = new ClientTap(() => proxyUrl);
beforeAll(async () => {
  trap = await startEgressTrap();
});
afterAll(() => {
  tap.stop();
  upstream.stop();
  trap.stop();
});

const messagesCalls = (requests: RecordedRequest[]) =>
  requests.filter((r) => r.method === "POST" && r.path === "/v1/messages");

/**
 * The upstream's copy of a request with headroom's own changes taken back out: the retrieve
 * tool it declares, and compressed tool outputs put back as the client sent them.
 */
function withoutHeadroom(received: Json, sent: Json): Json {
  const copy = structuredClone(received);
  if (Array.isArray(copy.tools)) {
    copy.tools = copy.tools.filter((tool: Json) => tool.name !== "headroom_retrieve");
    if (copy.tools.length === 0 && sent.tools === undefined) delete copy.tools;
  }
  copy.messages.forEach((message: Json, i: number) => {
    if (!Array.isArray(message.content)) return;
    message.content.forEach((block: Json, j: number) => {
      if (block.type === "tool_result" && MARKER.test(JSON.stringify(block.content)))
        block.content = sent.messages[i].content[j].content;
    });
  });
  return copy;
}

/**
 * Each request Claude Code sent, with the upstream's copy of it: the one that is the same apart
 * from headroom's changes (side calls may run concurrently, so arrival order proves nothing).
 */
function pairs(): [RecordedRequest, RecordedRequest][] {
  const sent = messagesCalls(tap.requests);
  const received = messagesCalls(upstream.requests);
  expect(received.length).toBe(sent.length);
  return sent.map((client) => {
    const partner = received.find((candidate) => {
      try {
        return Bun.deepEquals(withoutHeadroom(candidate.json, client.json), client.json);
      } catch {
        return false;
      }
    });
    if (!partner) throw new Error(`no upstream request matches ${client.sha256}`);
    return [client, partner];
  });
}

/** Everything headroom wrote or serves, as text, to search for a credential. */
async function everythingWritten(proxy: RunningBinary, sandbox: Sandbox): Promise<string> {
  let all = proxy.lines.join("\n");
  for (const path of [
    "/stats",
    "/stats-history?detail=full",
    "/metrics",
    "/health",
    "/transformations/feed?limit=200",
  ])
    all += await (await fetch(`${proxy.url}${path}`)).text();
  for (const file of readdirSync(sandbox.workspace, { recursive: true, withFileTypes: true }))
    if (file.isFile()) all += readFileSync(join(file.parentPath, file.name)).toString("latin1");
  return all;
}

describe("Claude Code on a Claude subscription through headroom", () => {
  let sandbox: Sandbox;
  let proxy: RunningBinary;
  let run: AgentRun;
  beforeAll(async () => {
    upstream.reset();
    fakeClaudeModel(upstream);
    sandbox = makeSandbox("claude-oauth");
    writeFileSync(join(sandbox.work, "worker.log"), LOG);
    // The most a proxy ever writes: every log level, tool outputs in the feed.
    proxy = await startBinary([], {
      ...proxyEnv(upstream.url, sandbox.workspace),
      HEADROOM_LOG_LEVEL: "debug",
      HEADROOM_LOG_MESSAGES: "1",
    });
    proxyUrl = proxy.url;
    run = await runAgent([CLAUDE, ...CLAUDE_ARGS], {
      cwd: sandbox.work,
      env: claudeSubscriptionEnv(sandbox, tap.url, trap),
    });
  }, 120_000);
  afterAll(() => proxy?.stop());

  let roundTripOk = false;
  test("the Bash round trip completes with the OAuth bearer, and nothing tried to leave", () => {
    if (run.code !== 0) throw new Error(`claude exited ${run.code}:\n${run.stderr}\n${run.stdout}`);
    expect(JSON.parse(run.stdout)).toMatchObject({ is_error: false, result: FOUND });
    expectToolResultCompressed(upstream, LOG);
    expect(trap.attempts).toEqual([]);
    roundTripOk = true;
  });

  test("every header Claude Code sent reaches the upstream unchanged, the OAuth ones included", () => {
    expect(roundTripOk).toBe(true);
    for (const [client, upstreamCopy] of pairs()) {
      expect(upstreamCopy.query).toBe(client.query);
      // What a subscription sends, and no API key.
      expect(client.headers.get("authorization")).toBe(`Bearer ${CLAUDE_OAUTH_TOKEN}`);
      expect(client.headers.get("anthropic-beta")).toContain("oauth-2025-04-20");
      expect(client.headers.has("x-api-key")).toBe(false);
      for (const [name, value] of client.headers)
        if (!PER_HOP.has(name))
          expect([name, upstreamCopy.headers.get(name)]).toEqual([name, value]);
      for (const name of upstreamCopy.headers.keys())
        if (!PER_HOP.has(name)) expect([name, client.headers.has(name)]).toEqual([name, true]);
    }
  });

  test("the bodies arrive as sent apart from compression: system prompt and metadata byte for byte", () => {
    expect(roundTripOk).toBe(true);
    const matched = pairs();
    // Pairing already required each upstream copy to equal what was sent apart from headroom's
    // changes; the fields Anthropic checks must also be the very same bytes.
    for (const [client, upstreamCopy] of matched) {
      const clientText = new TextDecoder().decode(client.body);
      const upstreamText = new TextDecoder().decode(upstreamCopy.body);
      for (const field of ["system", "metadata"]) {
        const bytes = `"${field}":${JSON.stringify(client.json[field])}`;
        expect(clientText).toContain(bytes);
        expect(upstreamText).toContain(bytes);
      }
      expect(withoutHeadroom(upstreamCopy.json, client.json)).toEqual(client.json);
      // Claude Code's own identity and session fields are among them.
      expect(JSON.parse(client.json.metadata.user_id)).toHaveProperty("session_id");
    }
    // Headroom did change something: the newest tool output, and the tools it declares.
    expect(matched.some(([client, copy]) => copy.sha256 !== client.sha256)).toBe(true);
  });

  test("the token is in no log, store or stats view; the savings are attributed to claude-code", async () => {
    expect(roundTripOk).toBe(true);
    const stats = await json(fetch(`${proxy.url}/stats`));
    expect(stats.requests.by_agent["claude-code"]).toBe(upstream.requests.length);
    expect(stats.requests.compressed).toBe(1);
    // The executable's log reaches the test through a pipe: on a busy machine its last lines
    // (the debug ones among them) arrive a little after the answers.
    await waitFor(() => proxy.lines.some((line) => line.includes('"level":"debug"')), 10_000);
    const written = await everythingWritten(proxy, sandbox);
    expect(written).toContain("claude-code");
    expect(written).not.toContain(CLAUDE_OAUTH_TOKEN);
    expect(written).not.toContain(CLAUDE_OAUTH_TOKEN.slice(14));
  });
});

describe("Claude Code signed in with `claude login` (a credentials file) through headroom", () => {
  let proxy: RunningBinary;
  let run: AgentRun;
  const fileToken = "sk-ant-oat01-HeadroomFakeLoginFileToken-fedcba9876543210";
  beforeAll(async () => {
    upstream.reset();
    fakeClaudeModel(upstream);
    trap.attempts.length = 0;
    const sandbox = makeSandbox("claude-login");
    writeFileSync(join(sandbox.work, "worker.log"), LOG);
    // What `claude login` stores on Linux, valid for a day.
    const { CLAUDE_CODE_OAUTH_TOKEN: _, ...env } = claudeSubscriptionEnv(sandbox, "", trap);
    const credentials = {
      claudeAiOauth: {
        accessToken: fileToken,
        refreshToken: "sk-ant-ort01-HeadroomFakeRefreshToken",
        expiresAt: Date.now() + 86_400_000,
        scopes: ["user:inference", "user:profile", "user:sessions:claude_code"],
        subscriptionType: "max",
      },
    };
    const configDir = env.CLAUDE_CONFIG_DIR!;
    await Bun.write(join(configDir, ".credentials.json"), JSON.stringify(credentials));
    proxy = await startBinary([], proxyEnv(upstream.url, sandbox.workspace));
    run = await runAgent([CLAUDE, ...CLAUDE_ARGS], {
      cwd: sandbox.work,
      env: { ...env, ANTHROPIC_BASE_URL: proxy.url },
    });
  }, 120_000);
  afterAll(() => proxy?.stop());

  // Signed in this way, Claude Code also reads its account (profile, roles) from
  // api.anthropic.com itself: that is not model traffic and ANTHROPIC_BASE_URL does not move it.
  test("the model traffic goes through headroom with the login's bearer; only Anthropic's own account API is called directly", () => {
    if (run.code !== 0) throw new Error(`claude exited ${run.code}:\n${run.stderr}\n${run.stdout}`);
    expect(JSON.parse(run.stdout)).toMatchObject({ is_error: false, result: FOUND });
    const received = messagesCalls(upstream.requests);
    expect(received.length).toBeGreaterThanOrEqual(2);
    for (const request of received) {
      expect(request.headers.get("authorization")).toBe(`Bearer ${fileToken}`);
      expect(request.headers.get("anthropic-beta")).toContain("oauth-2025-04-20");
      expect(request.headers.has("x-api-key")).toBe(false);
    }
    expect(resultText(toolResult(agentTurns(upstream)[1]!))).toMatch(MARKER);
    for (const attempt of trap.attempts)
      expect(attempt).toBe("CONNECT api.anthropic.com:443 HTTP/1.1");
  });
});

describe("headroom wrap claude on a Claude subscription", () => {
  let wrapped: WrappedRun;
  beforeAll(async () => {
    upstream.reset();
    fakeClaudeModel(upstream);
    trap.attempts.length = 0;
    const sandbox = makeSandbox("claude-wrap-oauth");
    writeFileSync(join(sandbox.work, "worker.log"), LOG);
    // A subscriber's environment: a token, their own custom header, no API key, no base URL.
    const { ANTHROPIC_BASE_URL: _, ...env } = claudeSubscriptionEnv(sandbox, "", trap, {
      ANTHROPIC_CUSTOM_HEADERS: "x-team: blue",
    });
    wrapped = await wrapInSandbox("claude", CLAUDE, CLAUDE_ARGS, sandbox, env, upstream.url);
  }, 120_000);
  afterAll(() => wrapped?.stop());

  test("needs no API key and sets none; the user's custom headers and wrap's project label both apply", async () => {
    const { run } = wrapped;
    if (run.code !== 0) throw new Error(`wrap exited ${run.code}:\n${run.stderr}\n${run.stdout}`);
    expect(JSON.parse(run.stdout)).toMatchObject({ is_error: false, result: FOUND });
    expect(trap.attempts).toEqual([]);
    for (const request of messagesCalls(upstream.requests)) {
      expect(request.headers.get("authorization")).toBe(`Bearer ${CLAUDE_OAUTH_TOKEN}`);
      expect(request.headers.has("x-api-key")).toBe(false);
      expect(request.headers.get("x-team")).toBe("blue");
      expect(request.headers.get("x-headroom-project")).toBeNull();
    }
    expect(resultText(toolResult(agentTurns(upstream)[1]!))).toMatch(MARKER);
    const stats = await json(fetch(`${wrapped.url}/stats`));
    expect(Object.keys(stats.savings.per_project)).toEqual(["work"]);
    expect(stats.requests.by_stack).toEqual({ wrap_claude: stats.requests.total });
  });
});
