import { afterAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { PROXY_HELP } from "../../src/cli/help.ts";
import { DENO_ENTRY, DENO_ENV, startServerProcess } from "../helpers/binary.ts";
import { FakeUpstream } from "../helpers/fake-upstream.ts";
import { json } from "../helpers/http.ts";
import { rawHandshake } from "../helpers/raw-handshake.ts";
import { NPM_QUERY, npmQueryRequest } from "../helpers/tool-output-request.ts";
import { chatStream } from "../helpers/wire.ts";

const root = join(import.meta.dir, "..", "..");
const upstream = new FakeUpstream();
afterAll(() => upstream.stop());

/** Runs the Deno entry to completion (help and usage errors exit at once). */
function runDeno(args: string[], env: Record<string, string> = {}) {
  const proc = Bun.spawnSync([...DENO_ENTRY, ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...DENO_ENV, ...env },
  });
  return { code: proc.exitCode, stdout: proc.stdout.toString(), stderr: proc.stderr.toString() };
}

describe("the Deno entry", () => {
  test("serves /health and relays a streaming request under Deno.serve", async () => {
    const proxy = await startServerProcess(
      [...DENO_ENTRY, "--port", "0", "--openai-api-url", upstream.url],
      DENO_ENV,
      root,
    );
    try {
      expect(proxy.lines.join("\n")).toContain('"runtime":"deno"');
      const health = await fetch(`${proxy.url}/health`);
      expect(health.status).toBe(200);
      expect((await json(health)).status).toBe("healthy");
      const dashboard = await fetch(`${proxy.url}/dashboard`);
      expect(await dashboard.text()).toContain('data-testid="lifetime-tokens-saved"');
      const res = await fetch(`${proxy.url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: "Bearer sk-deno" },
        body: JSON.stringify({
          model: "gpt-4o",
          stream: true,
          stream_options: { include_usage: true },
          messages: [],
        }),
      });
      expect(res.headers.get("content-type")).toContain("text/event-stream");
      expect(await res.text()).toBe(
        chatStream({ kind: "text", text: "Hello from the fake upstream." }, "gpt-4o").join(""),
      );
      expect(upstream.requests.at(-1)!.headers.get("authorization")).toBe("Bearer sk-deno");

      // A tool output compressed in the pool's Web Worker, exact tokens counted there too.
      const compressed = await fetch(
        `${proxy.url}/v1/chat/completions`,
        npmQueryRequest("sk-deno"),
      );
      expect(compressed.status).toBe(200);
      expect(compressed.headers.get("x-headroom-transforms")).toStartWith("json:");
      expect(Number(compressed.headers.get("x-headroom-tokens-saved"))).toBeGreaterThan(1000);
      expect(upstream.requests.at(-1)!.body.length).toBeLessThan(NPM_QUERY.length);
      // The workers loaded: the pool reports every worker that fails to start or dies.
      expect(proxy.lines.join("\n")).not.toContain("compression worker");

      // Only the Bun server relays the Responses WebSocket: Deno answers 426 and Codex uses HTTP.
      const before = upstream.requests.length;
      const upgrade = await rawHandshake(proxy.url, "sk-deno");
      expect(upgrade).toStartWith("HTTP/1.1 426");
      expect(upgrade).toContain("use HTTP streaming");
      expect(upstream.requests.length).toBe(before);
    } finally {
      await proxy.stop();
    }
  });

  test("takes headroom proxy's flags, help and error messages", async () => {
    expect(runDeno(["--help"])).toMatchObject({ code: 0, stdout: PROXY_HELP });
    expect(runDeno(["--port", "abc"])).toMatchObject({
      code: 2,
      stderr: 'headroom: --port must be an integer from 0 to 65535 (got "abc")\n',
    });
    expect(runDeno([], { HEADROOM_RETRY_MAX_ATTEMPTS: "0" })).toMatchObject({
      code: 2,
      stderr: 'headroom: HEADROOM_RETRY_MAX_ATTEMPTS must be an integer from 1 to 10 (got "0")\n',
    });
    expect(runDeno(["--proxy-token", "x"]).code).toBe(2);
    const untokened = runDeno(["--port", "0"], { HEADROOM_REQUIRE_PROXY_TOKEN: "on" });
    expect(untokened.code).toBe(2);
    expect(untokened.stderr).toStartWith("headroom: HEADROOM_REQUIRE_PROXY_TOKEN is on but");

    const proxy = await startServerProcess(
      [
        ...DENO_ENTRY,
        "--port",
        "0",
        "--host",
        "127.0.0.1",
        "--anthropic-api-url",
        `${upstream.url}/v1`,
        "--no-optimize",
        "--stateless",
        "--cache",
        "--log-messages",
        "--log-level",
        "debug",
        "--request-timeout-seconds",
        "9",
        "--retry-max-attempts",
        "2",
        "--workspace-dir",
        "/nonexistent/headroom-deno",
      ],
      DENO_ENV,
      root,
    );
    try {
      const { config } = await json(fetch(`${proxy.url}/health`));
      expect(config).toMatchObject({
        anthropic_api_url: upstream.url,
        optimize: false,
        stateless: true,
        cache: true,
        workspace_dir: "/nonexistent/headroom-deno",
        request_timeout_seconds: 9,
        retry_max_attempts: 2,
        log_level: "debug",
        log_messages: true,
      });
      const live = (await json(fetch(`${proxy.url}/admin/runtime-env`))).runtime_env;
      expect(live.HEADROOM_RETRY_MAX_ATTEMPTS).toEqual({ value: "2", source: "flag" });
      expect(live.HEADROOM_LOG_LEVEL).toEqual({ value: "debug", source: "flag" });
    } finally {
      await proxy.stop();
    }
  });
});
