import { afterAll, describe, expect, test } from "bun:test";
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BINARY, startBinary } from "../helpers/binary.ts";
import { FakeUpstream } from "../helpers/fake-upstream.ts";
import { json } from "../helpers/http.ts";
import { waitFor } from "../helpers/proxy.ts";
import { NPM_QUERY, npmQueryRequest } from "../helpers/tool-output-request.ts";
import { anthropicStream } from "../helpers/wire.ts";

const upstream = new FakeUpstream();
const LOAD_CLIENT = join(import.meta.dir, "..", "helpers", "load-client.ts");
afterAll(() => upstream.stop());

function run(args: string[]) {
  const proc = Bun.spawnSync([BINARY, ...args], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp" },
  });
  return { code: proc.exitCode, stdout: proc.stdout.toString(), stderr: proc.stderr.toString() };
}

/** The CLI's environment: a workspace, and the port where it looks for a running proxy. */
function cliEnv(workspace: string, port: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "/tmp",
    HEADROOM_WORKSPACE_DIR: workspace,
    HEADROOM_PORT: port,
  };
}

describe("the compiled executable", () => {
  test("--version, --help, proxy --help; an unknown flag or command exits 2 with one line", () => {
    expect(run(["--version"])).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^headroom \d+\.\d+\.\d+\n$/),
    });
    expect(run(["--help"]).stdout).toContain("headroom proxy");
    expect(run(["proxy", "--help"]).stdout).toContain("--anthropic-api-url");
    for (const args of [["proxy", "--bogus"], ["frobnicate"], ["proxy", "--port", "70000"]]) {
      const result = run(args);
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
      expect(result.stderr).toStartWith("headroom: ");
    }
  });

  test("compress reads a file or standard input and prints the compressed text with a summary", () => {
    const grep = Array.from(
      { length: 200 },
      (_, i) => `src/app/handlers/user-service.ts:${i + 1}:  const value = compute(input, ${i});`,
    ).join("\n");
    const piped = Bun.spawnSync(
      [BINARY, "compress", "--json", "--lossless", "--query", "compute"],
      {
        stdin: new TextEncoder().encode(grep),
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp" },
      },
    );
    expect(piped.exitCode).toBe(0);
    const result = JSON.parse(piped.stdout.toString());
    expect(result.kind).toBe("search");
    expect(result.tokens_saved).toBe(result.tokens_before - result.tokens_after);
    expect(result.tokens_saved).toBeGreaterThan(0);
    // Lossless: every match line is still there.
    for (let i = 1; i <= 200; i++)
      expect(result.text).toContain(`${i}:  const value = compute(input, ${i - 1});`);
    expect(piped.stderr.toString()).toMatch(
      /^headroom: search, [\d,]+ → [\d,]+ tokens \([\d.]+% saved, search:group\)\n$/,
    );

    const dir = mkdtempSync(join(tmpdir(), "headroom-compress-"));
    writeFileSync(join(dir, "plain.txt"), "just a short note\n");
    const fromFile = run(["compress", join(dir, "plain.txt")]);
    expect(fromFile.code).toBe(0);
    expect(fromFile.stdout).toBe("just a short note\n");
    expect(run(["compress", join(dir, "missing.txt")])).toMatchObject({ code: 2 });
  });

  test("a lossy compress stores the original, and retrieve prints it back from the workspace", () => {
    const workspace = mkdtempSync(join(tmpdir(), "headroom-ws-"));
    const env = cliEnv(workspace, "1");
    const log = Array.from({ length: 400 }, (_, i) =>
      i === 321 ? "ERROR disk /dev/sda1 is full" : `INFO request ${i} served in ${i % 17}ms`,
    ).join("\n");
    const compressed = Bun.spawnSync([BINARY, "compress"], {
      stdin: new TextEncoder().encode(log),
      env,
    });
    expect(compressed.exitCode).toBe(0);
    const out = compressed.stdout.toString();
    expect(out).toContain("ERROR disk /dev/sda1 is full");
    const hash = /hash=([0-9a-f]{24})/.exec(out)![1]!;
    expect(statSync(join(workspace, "headroom.sqlite")).mode & 0o777).toBe(0o600);
    const retrieved = Bun.spawnSync([BINARY, "retrieve", hash], { env });
    expect(retrieved.exitCode).toBe(0);
    expect(retrieved.stdout.toString()).toBe(log);
    const missing = Bun.spawnSync([BINARY, "retrieve", "ffffffffffffffffffffffff"], { env });
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr.toString()).toContain("no original is stored");
  });

  test("compress and retrieve write their whole output into a pipe that is read slowly", () => {
    const workspace = mkdtempSync(join(tmpdir(), "headroom-ws-"));
    const env = cliEnv(workspace, "1");
    const log = Array.from({ length: 20_000 }, (_, i) =>
      i === 12_345 ? "ERROR disk /dev/sda1 is full" : `INFO request ${i} served in ${i % 17}ms`,
    ).join("\n");
    const file = join(workspace, "build.log");
    writeFileSync(file, log);
    // The reader starts late, as jq or less do: the pipe (64 KiB) fills before anyone reads.
    const slowly = (command: string) =>
      Bun.spawnSync(["sh", "-c", `${command} | (sleep 0.3; wc -c)`], { env });
    const lossless = Bun.spawnSync([BINARY, "compress", file, "--lossless"], { env });
    expect(lossless.stdout.length).toBeGreaterThan(200_000);
    const piped = slowly(`'${BINARY}' compress '${file}' --lossless`);
    expect(Number(piped.stdout.toString().trim())).toBe(lossless.stdout.length);
    const hash = /hash=([0-9a-f]{24})/.exec(
      Bun.spawnSync([BINARY, "compress", file], { env }).stdout.toString(),
    )![1]!;
    const retrieved = slowly(`'${BINARY}' retrieve ${hash}`);
    expect(Number(retrieved.stdout.toString().trim())).toBe(log.length);
  });

  test("the CLI layer's savings land in the proxy's ledger, and headroom stats summarises them", async () => {
    const workspace = mkdtempSync(join(tmpdir(), "headroom-layers-"));
    const proxy = await startBinary([
      "--anthropic-api-url",
      upstream.url,
      "--workspace-dir",
      workspace,
    ]);
    try {
      const port = new URL(proxy.url).port;
      const env = cliEnv(workspace, port);
      const log = Array.from(
        { length: 300 },
        (_, i) => `2026-11-26T09:00:00Z INFO step ${i} done`,
      ).join("\n");
      expect(
        Bun.spawnSync([BINARY, "compress"], { stdin: new TextEncoder().encode(log), env }).exitCode,
      ).toBe(0);
      const stats = await json(fetch(`${proxy.url}/stats`));
      expect(stats.tokens.cli_filtering_saved).toBeGreaterThan(100);
      expect(stats.tokens.saved).toBe(
        stats.tokens.proxy_compression_saved + stats.tokens.cli_filtering_saved,
      );
      expect(stats.persistent_savings.lifetime.cli_tokens_saved).toBe(
        stats.tokens.cli_filtering_saved,
      );
      const summary = Bun.spawnSync([BINARY, "stats"], { env });
      expect(summary.exitCode).toBe(0);
      expect(summary.stdout.toString()).toMatch(
        /^headroom \d+\.\d+\.\d+: healthy, up 0h 0m\nSession: .* tokens saved/,
      );
      const down = Bun.spawnSync([BINARY, "stats", "--port", "1"], { env });
      expect(down.exitCode).toBe(1);
      // One line, ours: where nothing answers and how to start a proxy, not the runtime's error.
      expect(down.stderr.toString()).toBe(
        "headroom: no proxy answers on 127.0.0.1:1; start one with: headroom proxy --port 1\n",
      );
      const other = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response("no") });
      try {
        // Spawned asynchronously: the server above must keep answering meanwhile.
        const foreign = Bun.spawn([BINARY, "stats", "--port", String(other.port)], {
          env,
          stderr: "pipe",
        });
        expect(await foreign.exited).toBe(1);
        expect(await new Response(foreign.stderr).text()).toBe(
          `headroom: something answers on 127.0.0.1:${other.port} (HTTP 200), but it is not headroom; pick headroom's port with --port or HEADROOM_PORT\n`,
        );
      } finally {
        other.stop(true);
      }
    } finally {
      await proxy.stop();
    }
  });

  test("serves health and a proxied stream, never reads a .env in its working directory, and stops cleanly", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "headroom-cwd-"));
    writeFileSync(
      join(cwd, ".env"),
      "ANTHROPIC_TARGET_API_URL=http://dotenv.invalid\nHEADROOM_PROXY_TOKEN=from-dotenv\n",
    );
    const workspace = join(cwd, "ws");
    const proxy = await startBinary(
      ["--anthropic-api-url", upstream.url, "--workspace-dir", workspace],
      { OPENAI_TARGET_API_URL: upstream.url },
      cwd,
    );
    try {
      const health = await json(fetch(`${proxy.url}/health`));
      expect(health.status).toBe("healthy");
      expect(health.config.anthropic_api_url).toBe(upstream.url);
      expect(health.config.proxy_token_required).toBe(false);
      expect(typeof health.pid).toBe("number");
      expect((await fetch(`${proxy.url}/readyz`)).status).toBe(200);
      // The dashboard page is embedded in the executable, not read from the source tree.
      const dashboard = await fetch(`${proxy.url}/dashboard`);
      expect(dashboard.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(await dashboard.text()).toContain('data-testid="lifetime-tokens-saved"');
      expect(statSync(workspace).mode & 0o777).toBe(0o700);
      const res = await fetch(`${proxy.url}/v1/messages?beta=true`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-key": "sk-ant-e2e" },
        body: JSON.stringify({
          model: "claude-sonnet-4-5",
          stream: true,
          messages: [{ role: "user", content: "hi" }],
        }),
      });
      expect(await res.text()).toBe(
        anthropicStream(
          { kind: "text", text: "Hello from the fake upstream." },
          "claude-sonnet-4-5",
        ).join(""),
      );
      expect(upstream.requests.at(-1)!.query).toBe("beta=true");
      // Log lines are written in batches: wait for the request's line to arrive.
      await waitFor(() => proxy.lines.some((line) => line.includes('"msg":"request"')));
      const logLine = proxy.lines.find((line) => line.includes('"msg":"request"'));
      expect(JSON.parse(logLine!)).toMatchObject({
        path: "/v1/messages",
        status: 200,
        model: "claude-sonnet-4-5",
      });
      expect(proxy.lines.join("\n")).not.toContain("sk-ant-e2e");
    } finally {
      expect(await proxy.stop("SIGTERM")).toBe(0);
    }
  });

  test("compresses in a worker built into the executable, away from any source tree", async () => {
    // Built without its own entrypoint, the worker would be looked up at its path in this source
    // tree, which works here and nowhere else: it must be one of the embedded modules.
    const executable = Buffer.from(await Bun.file(BINARY).arrayBuffer());
    expect(executable.includes("/$bunfs/root/runtime/compress-worker.js")).toBe(true);
    upstream.reset();
    const cwd = mkdtempSync(join(tmpdir(), "headroom-cwd-"));
    const proxy = await startBinary(["--openai-api-url", upstream.url, "--stateless"], {}, cwd);
    try {
      // No worker runs until a compression needs one.
      const threads = () =>
        readdirSync(`/proc/${proxy.proc.pid}/task`).map((task) =>
          readFileSync(`/proc/${proxy.proc.pid}/task/${task}/comm`, "utf8").trim(),
        );
      const linux = existsSync(`/proc/${proxy.proc.pid}/task`);
      if (linux) expect(threads()).not.toContain("Worker");
      // A real 172 KB JSON output as the newest turn's tool output.
      const res = await fetch(`${proxy.url}/v1/chat/completions`, npmQueryRequest("sk-e2e"));
      expect(res.status).toBe(200);
      expect(res.headers.get("x-headroom-transforms")).toStartWith("json:");
      expect(Number(res.headers.get("x-headroom-tokens-saved"))).toBeGreaterThan(1000);
      expect(upstream.requests.at(-1)!.body.length).toBeLessThan(NPM_QUERY.length);
      if (linux) expect(threads()).toContain("Worker");
      // The pool reports every worker that fails to start or dies.
      expect(proxy.lines.join("\n")).not.toContain("compression worker");
    } finally {
      expect(await proxy.stop("SIGTERM")).toBe(0);
    }
  });

  test("SIGTERM lets an in-flight stream finish before exiting 0", async () => {
    upstream.reset();
    upstream.eventDelayMs = 40;
    const proxy = await startBinary(["--anthropic-api-url", upstream.url]);
    const res = await fetch(`${proxy.url}/v1/messages`, {
      method: "POST",
      body: JSON.stringify({ model: "m", stream: true }),
    });
    const reader = res.body!.getReader();
    await reader.read();
    proxy.proc.kill("SIGTERM");
    let text = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    expect(text).toContain("message_stop");
    expect(await proxy.proc.exited).toBe(0);
    upstream.reset();
  });

  test("relays more than Bun's default 256 concurrent upstream streams", async () => {
    upstream.reset();
    let open = 0;
    let peak = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    upstream.always(async () => {
      open++;
      peak = Math.max(peak, open);
      await gate;
      open--;
      return upstream.stream(anthropicStream({ kind: "text", text: "ok" }, "m"));
    });
    const proxy = await startBinary(["--anthropic-api-url", upstream.url]);
    try {
      const total = 300;
      const client = Bun.spawn(
        [
          process.execPath,
          LOAD_CLIENT,
          `${proxy.url}/v1/messages`,
          String(total),
          '{"model":"m","stream":true}',
          "message_stop",
        ],
        { env: { ...process.env, BUN_CONFIG_MAX_HTTP_REQUESTS: "4096" }, stdout: "pipe" },
      );
      const deadline = Date.now() + 20_000;
      while (peak < total && Date.now() < deadline) await Bun.sleep(20);
      // Every stream is open upstream at the same moment: none was queued behind a cap.
      expect(peak).toBe(total);
      release();
      const result = JSON.parse(await new Response(client.stdout).text());
      expect(result).toEqual({ ok: total, failed: 0, errors: [] });
    } finally {
      release();
      await proxy.stop();
      upstream.reset();
    }
  });
});
