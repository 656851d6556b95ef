/**
 * No secrets at rest (docs/ARCHITECTURE.md). Requests carry sentinel credentials in every place a client
 * puts them (x-api-key, an API key or a Claude OAuth token in Authorization, a query parameter, a
 * refused ?key=, the proxy token) and the proxy is driven through success, upstream errors,
 * refusals, transport failures and an unhandled error. Then every place headroom writes to is
 * searched: each log level (debug, with
 * HEADROOM_LOG_MESSAGES on), the SQLite files in the workspace, /stats, /stats-history,
 * /metrics, the live feed, the original store and the health and admin views.
 *
 * A key inside a tool output is content, not a credential header: the provider receives it
 * anyway, and the original store keeps it so the model can retrieve what was elided. It lives
 * there under the workspace's 0600 files for the store's lifetime, and the live feed shows it only
 * when HEADROOM_LOG_MESSAGES is on. Logs scrub anything shaped like a key as a second defence.
 */

import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AppDeps } from "../../src/app/deps.ts";
import { crashReporters } from "../../src/cli/crash-reporting.ts";
import { createLogger } from "../../src/core/logger.ts";
import { openWorkspaceDatabase } from "../../src/store/sqlite-db.ts";
import { SqliteDecisionStore } from "../../src/store/sqlite-decision-store.ts";
import { SqliteLedgerStore } from "../../src/store/sqlite-ledger.ts";
import { SqliteOriginalStore } from "../../src/store/sqlite-original-store.ts";
import { askAboutLog, buildLogWithKey } from "../helpers/key-in-output.ts";
import { buildApp, waitFor } from "../helpers/proxy.ts";
import { anthropicMessage, anthropicStream, chatCompletion } from "../helpers/wire.ts";

const tag = crypto.randomUUID().slice(0, 8);
/** Credentials as clients send them; each must never be written anywhere. */
const HEADER_SECRETS = {
  anthropic: `sk-ant-api03-SENTINEL-${tag}-HDR`,
  // A Claude subscription's OAuth access token, sent as a bearer.
  claudeOauth: `sk-ant-oat01-SENTINEL-${tag}-OAUTH`,
  openai: `sk-proj-SENTINEL-${tag}-BEARER`,
  query: `SENTINELqry${tag}`,
  proxyToken: `SENTINELproxytoken${tag}`,
  // Shaped like no known key, so only "never written" can keep it out (not the log scrubber).
  gateway: `gw_SENTINEL_${tag}_opaque`,
};
/** A key a tool printed: content, which may be stored as an original for retrieval. */
const CONTENT_SECRET = `sk-ant-SENTINEL-${tag}-CONTENT`;

const workspaces: string[] = [];
afterAll(() => {
  for (const dir of workspaces) rmSync(dir, { recursive: true, force: true });
});

function workspaceApp(fetch: AppDeps["fetch"]) {
  const dir = mkdtempSync(join(tmpdir(), "headroom-secrets-"));
  workspaces.push(dir);
  const db = openWorkspaceDatabase(dir);
  const built = buildApp({
    env: {
      HEADROOM_LOG_MESSAGES: "1",
      HEADROOM_PROXY_TOKEN: HEADER_SECRETS.proxyToken,
      HEADROOM_RETRY_MAX_ATTEMPTS: "2",
    },
    decisions: new SqliteDecisionStore(db),
    originals: new SqliteOriginalStore(db),
    ledger: new SqliteLedgerStore(db),
    fetch,
  });
  return { ...built, dir, db };
}

const toolOutput = buildLogWithKey(CONTENT_SECRET);
const anthropicBody = (id: string, stream = false) => askAboutLog(toolOutput, id, stream);

function chatBody(): string {
  return JSON.stringify({
    model: "gpt-4o",
    messages: [
      { role: "user", content: "why did the build fail?" },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          { id: "call_1", type: "function", function: { name: "bash", arguments: "{}" } },
        ],
      },
      { role: "tool", tool_call_id: "call_1", content: toolOutput },
    ],
  });
}

const anthropicHeaders = (extra: Record<string, string> = {}) => ({
  "content-type": "application/json",
  "anthropic-version": "2023-06-01",
  "x-api-key": HEADER_SECRETS.anthropic,
  "user-agent": "claude-cli/2.0.0 (external, cli)",
  ...extra,
});
const openaiHeaders = (extra: Record<string, string> = {}) => ({
  "content-type": "application/json",
  authorization: `Bearer ${HEADER_SECRETS.openai}`,
  "x-gateway-token": HEADER_SECRETS.gateway,
  ...extra,
});

function expectNoHeaderSecret(where: string, text: string): void {
  for (const [name, secret] of Object.entries(HEADER_SECRETS))
    expect([where, name, text.includes(secret)]).toEqual([where, name, false]);
}

describe("credential headers are never logged or persisted", () => {
  test("a run through success, refusals and failures leaves them nowhere", async () => {
    let mode: "ok" | "echo-401" | "throw-error" | "throw-odd" | "not-a-response" = "ok";
    const upstreamSaw: string[] = [];
    const app = workspaceApp(async (url, init) => {
      const headers = new Headers(init.headers);
      upstreamSaw.push(`${url} ${headers.get("x-api-key")} ${headers.get("authorization")}`);
      const body = new TextDecoder().decode(init.body as Uint8Array | undefined);
      if (mode === "echo-401") {
        // Providers quote a bad key back; that body goes to its owner only.
        return Response.json(
          {
            type: "error",
            error: {
              type: "authentication_error",
              message: `invalid x-api-key: ${headers.get("x-api-key")}`,
            },
          },
          { status: 401 },
        );
      }
      if (mode === "throw-error") {
        // A runtime that quotes the offending header in its error.
        throw new TypeError(
          `Header 'authorization' has invalid value: 'Bearer ${HEADER_SECRETS.openai}' (x-api-key: ${headers.get("x-api-key")})`,
        );
      }
      if (mode === "throw-odd") {
        // Not an Error at all: an object whose text is the request it failed on.
        throw {
          toString: () => `fetch ${url} failed with authorization=Bearer ${HEADER_SECRETS.openai}`,
        };
      }
      if (mode === "not-a-response") {
        // Not a Response: a status, then headers that explode when read (past the upstream
        // call's own error handling, so this takes the unhandled-error path).
        return {
          status: 200,
          get headers(): Headers {
            throw new Error(
              `cannot read headers of ${url} (authorization: Bearer ${HEADER_SECRETS.openai})`,
            );
          },
        } as unknown as Response;
      }
      if (body.includes('"stream":true')) {
        return new Response(
          anthropicStream({ kind: "text", text: "disk full" }, "claude-sonnet-4-5").join(""),
          {
            headers: { "content-type": "text/event-stream" },
          },
        );
      }
      if (url.includes("/chat/completions"))
        return new Response(chatCompletion({ kind: "text", text: "disk full" }, "gpt-4o"), {
          headers: { "content-type": "application/json" },
        });
      return new Response(
        anthropicMessage({ kind: "text", text: "disk full" }, "claude-sonnet-4-5"),
        {
          headers: { "content-type": "application/json" },
        },
      );
    });
    // A secret in the query string (a gateway's signature, say); `key=` would be a Google API
    // key, which the route table refuses on these routes (sent below, among the refusals).
    const query = `?beta=true&sig=${HEADER_SECRETS.query}`;
    const remote = { remoteAddress: "203.0.113.7" };
    const sent: Response[] = [];
    const send = async (path: string, init: RequestInit, env?: { remoteAddress: string }) => {
      const res = await app.request(path, init, env);
      await res.text();
      sent.push(res);
      return res;
    };

    // Compressed, stored, streamed, replayed, over both providers, locally and from a remote peer.
    await send(`/v1/messages${query}`, {
      method: "POST",
      headers: anthropicHeaders(),
      body: anthropicBody("toolu_1"),
    });
    const { "x-api-key": _, ...subscriber } = anthropicHeaders({
      authorization: `Bearer ${HEADER_SECRETS.claudeOauth}`,
      "anthropic-beta": "claude-code-20250219,oauth-2025-04-20",
    });
    await send(`/v1/messages${query}`, {
      method: "POST",
      headers: subscriber,
      body: anthropicBody("toolu_4", true),
    });
    await send(`/v1/messages${query}`, {
      method: "POST",
      headers: anthropicHeaders(),
      body: anthropicBody("toolu_1", true),
    });
    await send(`/v1/chat/completions${query}`, {
      method: "POST",
      headers: openaiHeaders(),
      body: chatBody(),
    });
    await send(
      `/v1/messages${query}`,
      {
        method: "POST",
        headers: anthropicHeaders({ "x-headroom-proxy-token": HEADER_SECRETS.proxyToken }),
        body: anthropicBody("toolu_2"),
      },
      remote,
    );
    await send(`/v1/models${query}`, { headers: openaiHeaders() });
    // Refused before forwarding: a wrong proxy token, a base URL carrying a key, a bad body.
    await send(
      `/v1/messages${query}`,
      {
        method: "POST",
        headers: anthropicHeaders({ "x-headroom-proxy-token": `${HEADER_SECRETS.proxyToken}x` }),
        body: "{}",
      },
      remote,
    );
    await send(`/v1/chat/completions${query}`, {
      method: "POST",
      headers: openaiHeaders({
        "x-headroom-base-url": `https://gateway.invalid/v1?key=${HEADER_SECRETS.query}`,
      }),
      body: chatBody(),
    });
    await send(`/v1/messages${query}`, {
      method: "POST",
      headers: anthropicHeaders(),
      body: `{"api_key": "${HEADER_SECRETS.anthropic}"`,
    });
    await send(`/v1/messages?key=${HEADER_SECRETS.query}`, {
      method: "POST",
      headers: anthropicHeaders(),
      body: anthropicBody("toolu_4"),
    });
    // The upstream quotes the key back; then the transport fails in ways that quote it too.
    mode = "echo-401";
    const echoed = await app.request(`/v1/messages${query}`, {
      method: "POST",
      headers: anthropicHeaders(),
      body: anthropicBody("toolu_3"),
    });
    expect(echoed.status).toBe(401);
    expect(await echoed.text()).toContain(HEADER_SECRETS.anthropic);
    for (const failing of ["throw-error", "throw-odd", "not-a-response"] as const) {
      mode = failing;
      const res = await send(`/v1/chat/completions${query}`, {
        method: "POST",
        headers: openaiHeaders(),
        body: chatBody(),
      });
      expect([failing, res.status >= 500]).toEqual([failing, true]);
    }

    // The sentinels really were sent where they belong.
    expect(upstreamSaw.some((line) => line.includes(HEADER_SECRETS.anthropic))).toBe(true);
    expect(upstreamSaw.some((line) => line.includes(HEADER_SECRETS.openai))).toBe(true);
    expect(upstreamSaw.some((line) => line.includes(HEADER_SECRETS.claudeOauth))).toBe(true);
    expect(upstreamSaw.some((line) => line.includes(`sig=${HEADER_SECRETS.query}`))).toBe(true);
    expect(sent.map((res) => res.status)).toEqual(
      expect.arrayContaining([200, 401, 400, 502, 500]),
    );

    // The ledger and the feed are written once exact token counts are in.
    // (Generous: the first exact count loads the tokenizer, slow on a busy machine.)
    await waitFor(
      () => app.stats.feed.length > 0 && app.exchanges.length === sent.length + 1,
      45_000,
    );
    // Every observability surface, as this machine sees it (the fullest view).
    const surfaces: Record<string, string> = {};
    for (const path of [
      "/stats",
      "/stats?cached=true",
      "/stats-history?detail=full",
      "/stats-history?format=csv&detail=full",
      "/metrics",
      "/transformations/feed?limit=200",
      "/v1/retrieve/stats",
      "/health",
      "/admin/runtime-env",
      "/admin/upstream",
    ]) {
      surfaces[path] = await (await app.request(path)).text();
    }
    for (const [path, text] of Object.entries(surfaces)) expectNoHeaderSecret(path, text);

    // Every log line, at every level (the app logs at debug, with HEADROOM_LOG_MESSAGES on).
    const logText = app.logs.map((line) => JSON.stringify(line)).join("\n");
    expectNoHeaderSecret("logs", logText);
    expect(logText).not.toContain(CONTENT_SECRET);
    const levels = new Set(app.logs.map((line) => line.level));
    expect([...levels]).toEqual(expect.arrayContaining(["debug", "info", "error"]));
    // The crash was logged, with its credential scrubbed.
    const crash = app.logs.find((line) => line.msg === "unhandled error");
    expect(crash?.error).toContain("[redacted]");
    expect(
      app.logs.some((line) => line.msg === "request" && String(line.error).includes("[redacted]")),
    ).toBe(true);

    // The SQLite files, byte for byte, while open (the -wal holds the newest pages) and after.
    app.db.run("PRAGMA wal_checkpoint(PASSIVE)");
    const grepWorkspace = (when: string) => {
      const files = readdirSync(app.dir);
      expect(files).toContain("headroom.sqlite");
      let all = "";
      for (const file of files) {
        const bytes = readFileSync(join(app.dir, file)).toString("latin1");
        expectNoHeaderSecret(`${when} ${file}`, bytes);
        all += bytes;
      }
      return all;
    };
    const whileOpen = grepWorkspace("open");
    expect(whileOpen).toContain("claude-cli/2.0.0");
    app.db.close();
    grepWorkspace("closed");

    // The key the tool printed is content: kept whole in the original, retrievable by hash, and
    // shown in the feed only because HEADROOM_LOG_MESSAGES is on.
    const feed = JSON.parse(surfaces["/transformations/feed?limit=200"]!);
    expect(feed.log_messages).toBe(true);
    expect(feed.transformations.length).toBeGreaterThan(0);
    expect(surfaces["/transformations/feed?limit=200"]).toContain(CONTENT_SECRET);
    expect(whileOpen).toContain(CONTENT_SECRET);
  });

  test("without HEADROOM_LOG_MESSAGES the feed carries figures, not the tool outputs", async () => {
    const app = buildApp({
      fetch: async () =>
        new Response(anthropicMessage({ kind: "text", text: "ok" }, "claude-sonnet-4-5")),
    });
    const res = await app.request("/v1/messages", {
      method: "POST",
      headers: anthropicHeaders(),
      body: anthropicBody("toolu_9"),
    });
    expect(res.status).toBe(200);
    await res.text();
    await waitFor(() => app.stats.feed.length > 0, 45_000);
    const feed = await (await app.request("/transformations/feed")).text();
    expect(JSON.parse(feed).transformations.length).toBeGreaterThan(0);
    expect(feed).not.toContain(CONTENT_SECRET);
    expect(feed).not.toContain("handled job");
    expectNoHeaderSecret("feed", feed);
    expectNoHeaderSecret("logs", JSON.stringify(app.logs));
  });
});

describe("an error nothing caught", () => {
  const crashLog = () => {
    const lines: string[] = [];
    const log = createLogger(
      () => "info",
      (line) => lines.push(line),
    );
    const exits: number[] = [];
    return { lines, exits, reporters: crashReporters(log, (code) => exits.push(code)) };
  };

  test("is reported scrubbed instead of by the runtime, and the proxy exits", () => {
    const { lines, exits, reporters } = crashLog();
    reporters.uncaughtException(
      new Error(`upstream said: invalid x-api-key: ${HEADER_SECRETS.anthropic}`),
    );
    expect(exits).toEqual([1]);
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({ level: "error", error: expect.stringContaining("[redacted]") });
    expect(line.stack).toContain("secrets.test.ts");
    expectNoHeaderSecret("crash report", lines[0]!);
  });

  test("a rejection nothing awaited is reported scrubbed, and serving goes on", () => {
    const { lines, exits, reporters } = crashLog();
    reporters.unhandledRejection(`Bearer ${HEADER_SECRETS.openai}`);
    expect(exits).toEqual([]);
    expect(JSON.parse(lines[0]!).error).toContain("[redacted]");
    expectNoHeaderSecret("rejection report", lines[0]!);
  });
});
