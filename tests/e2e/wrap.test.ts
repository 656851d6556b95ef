/**
 * `headroom wrap`, `unwrap` and `doctor` through the compiled executable, with stand-in agents:
 * small shell scripts on PATH that record the arguments and environment they were launched with
 * and exit with a chosen code. (The real Claude Code and Codex run in tests/clients.)
 */

import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BINARY } from "../helpers/binary.ts";
import { chatgptToken } from "../helpers/chatgpt-token.ts";
import { FakeUpstream } from "../helpers/fake-upstream.ts";
import { json } from "../helpers/http.ts";

const upstream = new FakeUpstream();
/** Background proxies the tests started, stopped at the end. */
const startedPids: number[] = [];

afterAll(() => {
  for (const pid of startedPids) {
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      // Already gone.
    }
  }
  upstream.stop();
});

/** A port nothing listens on right now. */
function freePort(): number {
  const probe = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response() });
  const port = probe.port!;
  probe.stop(true);
  return port;
}

interface Home {
  home: string;
  bin: string;
  work: string;
  /** Where stand-in agents write what they saw. */
  record: string;
}

let h: Home;

beforeEach(() => {
  const root = mkdtempSync(join(tmpdir(), "headroom-wrap-"));
  h = {
    home: join(root, "home"),
    bin: join(root, "bin"),
    work: join(root, "my-project"),
    record: join(root, "record.txt"),
  };
  for (const dir of [h.home, h.bin, h.work]) mkdirSync(dir);
});

/** Puts a stand-in agent called `name` on PATH: it records its argv and env, then exits `code`. */
function standIn(name: string, code: number, extra = ""): void {
  const script = `#!/bin/sh
{
  printf 'args:'; for a in "$@"; do printf ' [%s]' "$a"; done; echo
  env | grep -E '^(OPENAI|ANTHROPIC|HEADROOM)_' | sort
} > "${h.record}"
${extra}
exit ${code}
`;
  writeFileSync(join(h.bin, name), script);
  chmodSync(join(h.bin, name), 0o755);
}

/** Runs the executable; asynchronously, so servers in this process keep answering meanwhile. */
async function runHeadroom(args: string[], env: Record<string, string> = {}) {
  const proc = Bun.spawn([BINARY, ...args], {
    cwd: h.work,
    env: {
      PATH: `${h.bin}:${process.env.PATH ?? "/usr/bin:/bin"}`,
      HOME: h.home,
      ANTHROPIC_TARGET_API_URL: upstream.url,
      OPENAI_TARGET_API_URL: upstream.url,
      CHATGPT_TARGET_API_URL: upstream.url,
      ...env,
    },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
  ]);
  return { code: await proc.exited, stdout, stderr };
}

async function healthOn(port: number) {
  const health = await json(fetch(`http://127.0.0.1:${port}/health`));
  if (!startedPids.includes(health.pid)) startedPids.push(health.pid);
  return health;
}

describe("headroom wrap", () => {
  test("--print-env shows the environment, Codex's block and the command, and changes nothing", async () => {
    const claude = await runHeadroom(["wrap", "claude", "--print-env", "--port", "9911"]);
    expect(claude.code).toBe(0);
    expect(claude.stdout).toContain("export ANTHROPIC_BASE_URL=http://127.0.0.1:9911\n");
    expect(claude.stdout).toContain("x-headroom-project: my-project");
    expect(claude.stdout.trimEnd().split("\n").at(-1)).toBe("claude");

    const codex = await runHeadroom([
      "wrap",
      "codex",
      "--print-env",
      "--port",
      "9911",
      "--",
      "exec",
      "it's done",
    ]);
    expect(codex.stdout).toContain('base_url = "http://127.0.0.1:9911/v1"');
    expect(codex.stdout).toContain('wire_api = "responses"');
    expect(codex.stdout).toContain("supports_websockets = true");
    expect(codex.stdout.trimEnd().split("\n").at(-1)).toBe(
      `codex -c 'model_provider="headroom"' exec 'it'"'"'s done'`,
    );

    const cursor = await runHeadroom(["wrap", "cursor", "--print-env", "--port", "9911"]);
    expect(cursor.stdout).toContain("http://127.0.0.1:9911/v1");
    // Nothing was started or written.
    expect(existsSync(join(h.home, ".headroom"))).toBe(false);
    expect(existsSync(join(h.home, ".codex"))).toBe(false);
  });

  test("starts a shared proxy in the background, launches the agent at it, exits with its code, and the next wrap reuses the proxy", async () => {
    const port = freePort();
    standIn("my-agent", 7);
    const first = await runHeadroom(
      ["wrap", "my-agent", "--port", String(port), "--", "--model", "x y"],
      {
        HEADROOM_MIN_TOKENS: "123",
      },
    );
    expect(first.code).toBe(7);
    expect(first.stderr).toContain(
      `started headroom in the background on http://127.0.0.1:${port}`,
    );
    const seen = readFileSync(h.record, "utf8");
    expect(seen).toContain("args: [--model] [x y]\n");
    expect(seen).toContain(`OPENAI_BASE_URL=http://127.0.0.1:${port}/v1\n`);
    expect(seen).toContain(`ANTHROPIC_BASE_URL=http://127.0.0.1:${port}\n`);

    // The proxy outlived wrap, logs into the workspace, and runs with the caller's settings.
    const health = await healthOn(port);
    expect(health.config.anthropic_api_url).toBe(upstream.url);
    const log = join(h.home, ".headroom", "logs", "proxy.log");
    expect(statSync(log).mode & 0o777).toBe(0o600);
    const runtime = await json(fetch(`http://127.0.0.1:${port}/admin/runtime-env`));
    expect(runtime.runtime_env.HEADROOM_MIN_TOKENS).toEqual({ value: "123", source: "env" });

    // A second session reuses it: live settings are synced, restart-only ones reported.
    standIn("my-agent", 0);
    const second = await runHeadroom(["wrap", "my-agent", "--port", String(port)], {
      HEADROOM_MIN_TOKENS: "456",
      HEADROOM_CACHE: "1",
    });
    expect(second.code).toBe(0);
    expect(second.stderr).not.toContain("started headroom");
    expect(second.stderr).toContain(
      "applied to the shared proxy (every session it serves): HEADROOM_MIN_TOKENS",
    );
    expect(second.stderr).toContain(
      "HEADROOM_CACHE differ from the shared proxy's and need a restart",
    );
    expect((await healthOn(port)).pid).toBe(health.pid);
    const after = await json(fetch(`http://127.0.0.1:${port}/admin/runtime-env`));
    expect(after.overrides).toEqual({ HEADROOM_MIN_TOKENS: "456" });
  });

  test("refuses a port held by another program, and reports an agent that is not installed", async () => {
    const other = Bun.serve({
      port: 0,
      hostname: "127.0.0.1",
      fetch: () => new Response("not here", { status: 404 }),
    });
    try {
      standIn("my-agent", 0);
      const refused = await runHeadroom(["wrap", "my-agent", "--port", String(other.port)]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(
        `port ${other.port} is taken by something that is not headroom`,
      );
      expect(existsSync(h.record)).toBe(false);
    } finally {
      other.stop(true);
    }
    const port = freePort();
    const missing = await runHeadroom(["wrap", "no-such-agent-anywhere", "--port", String(port)]);
    expect(missing.code).toBe(127);
    expect(missing.stderr).toContain("no-such-agent-anywhere is not installed or not on PATH");
    await healthOn(port);
  });

  test("--print-env for codex without an API key shows the plan and says the key is missing", async () => {
    const noKey = await runHeadroom(["wrap", "codex", "--print-env", "--port", "9911"]);
    expect(noKey.code).toBe(1);
    expect(noKey.stdout).toContain('base_url = "http://127.0.0.1:9911/v1"');
    expect(noKey.stderr).toBe(
      "headroom: Codex through headroom needs a ChatGPT sign-in (codex login) or an OpenAI API key in OPENAI_API_KEY; it has neither.\n",
    );
    const withKey = await runHeadroom(["wrap", "codex", "--print-env", "--port", "9911"], {
      OPENAI_API_KEY: "sk-wrap-test",
    });
    expect(withKey).toMatchObject({ code: 0, stderr: "" });
  });

  test("copilot and qwen: --print-env shows their BYOK settings, naming keys instead of showing them", async () => {
    const keys = { OPENAI_API_KEY: "sk-wrap-test-openai", ANTHROPIC_API_KEY: "sk-ant-wrap-test" };
    const copilot = await runHeadroom(["wrap", "copilot", "--print-env", "--port", "9911"], {
      ...keys,
      COPILOT_PROVIDER_HEADERS: "x-team: blue",
    });
    expect(copilot).toMatchObject({ code: 0, stderr: "" });
    expect(copilot.stdout).toContain("export COPILOT_PROVIDER_BASE_URL=http://127.0.0.1:9911/v1\n");
    expect(copilot.stdout).toContain("export COPILOT_PROVIDER_TYPE=openai\n");
    expect(copilot.stdout).toContain('export COPILOT_PROVIDER_API_KEY="$OPENAI_API_KEY"\n');
    expect(copilot.stdout).toContain(
      "export COPILOT_PROVIDER_HEADERS='x-team: blue\nx-headroom-project: my-project\nx-headroom-stack: wrap_copilot'",
    );
    expect(copilot.stdout.trimEnd().split("\n").at(-1)).toBe("copilot");
    // Anthropic as Copilot's provider: no /v1 in its base URL; its own key is kept as it is.
    const anthropic = await runHeadroom(["wrap", "copilot", "--print-env", "--port", "9911"], {
      ...keys,
      COPILOT_PROVIDER_TYPE: "anthropic",
      COPILOT_PROVIDER_API_KEY: "sk-ant-own-copilot-key",
    });
    expect(anthropic.stdout).toContain("export COPILOT_PROVIDER_BASE_URL=http://127.0.0.1:9911\n");
    expect(anthropic.stdout).not.toContain("COPILOT_PROVIDER_API_KEY");

    const qwen = await runHeadroom(["wrap", "qwen", "--print-env", "--port", "9911"], keys);
    expect(qwen).toMatchObject({ code: 0, stderr: "" });
    expect(qwen.stdout).toContain("export OPENAI_BASE_URL=http://127.0.0.1:9911/v1\n");
    expect(qwen.stdout.trimEnd().split("\n").at(-1)).toBe("qwen --auth-type openai");
    // The user's own auth type replaces wrap's (Qwen Code fails on a repeated --auth-type).
    const own = await runHeadroom(
      ["wrap", "qwen", "--print-env", "--port", "9911", "--", "--auth-type", "anthropic"],
      keys,
    );
    expect(own.stdout.trimEnd().split("\n").at(-1)).toBe("qwen --auth-type anthropic");
    for (const run of [copilot, anthropic, qwen, own])
      for (const secret of [...Object.values(keys), "sk-ant-own-copilot-key"])
        expect(run.stdout).not.toContain(secret);
  });

  test("copilot and qwen sign-ins that cannot go through a proxy are refused with exit code 1 and why", async () => {
    const port = freePort();
    standIn("copilot", 0);
    standIn("qwen", 0);
    const cases: [string[], Record<string, string>, string][] = [
      [
        ["copilot"],
        {},
        "headroom: Copilot CLI through headroom needs a key of your own (Copilot's BYOK mode): COPILOT_PROVIDER_API_KEY, or OPENAI_API_KEY, is not set. A GitHub Copilot subscription cannot go through a proxy: Copilot CLI sends it to GitHub's Copilot API with a token GitHub issues to the CLI, and headroom forwards only to the OpenAI and Anthropic APIs.\n",
      ],
      [
        ["copilot"],
        { COPILOT_PROVIDER_TYPE: "azure", COPILOT_PROVIDER_API_KEY: "k" },
        `headroom: Copilot CLI's "azure" provider type cannot go through headroom, which forwards only to the OpenAI and Anthropic APIs: set COPILOT_PROVIDER_TYPE to openai or anthropic.\n`,
      ],
      [
        ["qwen", "--", "--auth-type", "qwen-oauth"],
        { OPENAI_API_KEY: "k" },
        "headroom: Qwen OAuth cannot go through a proxy: Qwen Code sends it to Qwen's own endpoint with a token from chat.qwen.ai, and headroom forwards only to the OpenAI and Anthropic APIs (its free tier also ended on 2026-04-15). Use an API key: --auth-type openai with OPENAI_API_KEY.\n",
      ],
      [
        ["qwen"],
        {},
        "headroom: Qwen Code through headroom needs an API key in OPENAI_API_KEY (auth type openai), which is not set. Qwen OAuth cannot go through a proxy: it goes to Qwen's own endpoint, not an API headroom forwards to.\n",
      ],
    ];
    for (const [args, env, message] of cases) {
      const [agent, ...rest] = args;
      const run = await runHeadroom(["wrap", agent!, "--port", String(port), ...rest], env);
      expect(run).toEqual({ code: 1, stdout: "", stderr: message });
    }
    // Refused before anything started: no agent ran, no proxy listens.
    expect(existsSync(h.record)).toBe(false);
    expect(await fetch(`http://127.0.0.1:${port}/health`).catch(() => "refused")).toBe("refused");
  });

  test("qwen and copilot: a key meant for another provider's base URL is not sent to headroom's upstream", async () => {
    const port = freePort();
    standIn("qwen", 0);
    const dashscope = "https://dashscope-intl.aliyuncs.com/compatible-mode/v1";
    const refused = await runHeadroom(["wrap", "qwen", "--port", String(port)], {
      OPENAI_API_KEY: "sk-dashscope-key",
      OPENAI_BASE_URL: dashscope,
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `headroom: OPENAI_BASE_URL is ${dashscope}, but the headroom on http://127.0.0.1:${port} forwards OpenAI-style requests to ${upstream.url}: your key would go there instead. Start headroom with OPENAI_TARGET_API_URL=https://dashscope-intl.aliyuncs.com/compatible-mode to keep your provider, or unset OPENAI_BASE_URL to use ${upstream.url}.\n`,
    );
    expect(existsSync(h.record)).toBe(false);
    await healthOn(port);
    // The same provider as the proxy's upstream (here the fake one): launched, pointed at headroom.
    const same = await runHeadroom(["wrap", "qwen", "--port", String(port)], {
      OPENAI_API_KEY: "sk-test",
      OPENAI_BASE_URL: `${upstream.url}/v1/`,
    });
    expect(same.code).toBe(0);
    expect(readFileSync(h.record, "utf8")).toContain(
      `OPENAI_BASE_URL=http://127.0.0.1:${port}/v1\n`,
    );
    // Copilot's own provider URL is checked the same way.
    standIn("copilot", 0);
    const copilot = await runHeadroom(["wrap", "copilot", "--port", String(port)], {
      COPILOT_PROVIDER_BASE_URL: "http://localhost:11434/v1",
      COPILOT_PROVIDER_API_KEY: "ollama",
    });
    expect(copilot.code).toBe(1);
    expect(copilot.stderr).toContain("COPILOT_PROVIDER_BASE_URL is http://localhost:11434/v1, but");
  });

  test("a --model claude or codex does not know is refused with the known names before anything starts; --any-model lets it through", async () => {
    const port = freePort();
    standIn("claude", 0);
    const refused = await runHeadroom([
      "wrap",
      "claude",
      "--port",
      String(port),
      "--",
      "-p",
      "hi",
      "--model",
      "nonsense",
    ]);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(refused.stderr).toContain("claude --model nonsense: not a model name headroom knows");
    expect(refused.stderr).toContain("known: default, best, sonnet, opus, haiku");
    expect(refused.stderr).toContain("claude-{opus,sonnet,haiku}-N…");
    expect(refused.stderr).toContain("--any-model");
    expect(existsSync(h.record)).toBe(false);
    expect(existsSync(join(h.home, ".headroom"))).toBe(false);

    const codex = await runHeadroom(
      ["wrap", "codex", "--print-env", "--port", String(port), "--", "--model=gtp-5"],
      { OPENAI_API_KEY: "sk-wrap-test" },
    );
    expect(codex.code).toBe(2);
    expect(codex.stderr).toContain("known: gpt-N…");
    for (const model of ["gpt-5.5", "o4-mini", "gpt-5.1-codex-max", "gpt-4o"]) {
      const known = await runHeadroom(
        ["wrap", "codex", "--print-env", "--port", String(port), "--", "-m", model],
        { OPENAI_API_KEY: "sk-wrap-test" },
      );
      expect(`${model}: ${known.code}`).toBe(`${model}: 0`);
    }
    // Checked by shape: a model newer than this build passes, a typo does not.
    for (const model of ["sonnet", "opus[1m]", "claude-sonnet-4-5-20250929", "claude-opus-5-5"]) {
      const known = await runHeadroom([
        "wrap",
        "claude",
        "--print-env",
        "--port",
        String(port),
        "--",
        "--model",
        model,
      ]);
      expect(`${model}: ${known.code}`).toBe(`${model}: 0`);
    }
    const typo = await runHeadroom([
      "wrap",
      "claude",
      "--print-env",
      "--port",
      String(port),
      "--",
      "--model",
      "claude-sonet-4",
    ]);
    expect(typo.code).toBe(2);

    const forced = await runHeadroom([
      "wrap",
      "claude",
      "--any-model",
      "--port",
      String(port),
      "--",
      "--model",
      "nonsense",
    ]);
    expect(forced.code).toBe(0);
    expect(readFileSync(h.record, "utf8")).toContain("args: [--model] [nonsense]\n");
    await healthOn(port);
  });

  test("codex: adds a provider block to config.toml, selects it on the command line, and unwrap restores the file byte for byte", async () => {
    const port = freePort();
    const config = join(h.home, ".codex", "config.toml");
    mkdirSync(join(h.home, ".codex"));
    // The user's own file, without a final newline.
    const original = 'model = "gpt-5.5"\n\n[profiles.fast]\nmodel = "gpt-5-mini"';
    writeFileSync(config, original);
    standIn("codex", 3, `cat "${config}" >> "${h.record}"`);

    const noKey = await runHeadroom(["wrap", "codex", "--port", String(port)]);
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toContain("or an OpenAI API key in OPENAI_API_KEY");

    const run = await runHeadroom(["wrap", "codex", "--port", String(port), "--", "exec", "hi"], {
      OPENAI_API_KEY: "sk-wrap-test",
    });
    expect(run.code).toBe(3);
    const seen = readFileSync(h.record, "utf8");
    expect(seen).toContain('args: [-c] [model_provider="headroom"] [exec] [hi]\n');
    expect(seen).toContain(`base_url = "http://127.0.0.1:${port}/v1"`);
    expect(readFileSync(config, "utf8")).toStartWith(`${original}\n# >>> headroom`);
    await healthOn(port);

    // Wrapping again leaves one block, not two.
    await runHeadroom(["wrap", "codex", "--port", String(port)], {
      OPENAI_API_KEY: "sk-wrap-test",
    });
    expect(readFileSync(config, "utf8").split("[model_providers.headroom]")).toHaveLength(2);

    const unwrap = await runHeadroom(["unwrap", "codex"]);
    expect(unwrap.code).toBe(0);
    expect(unwrap.stdout).toContain("removed the headroom provider");
    expect(readFileSync(config, "utf8")).toBe(original);
    expect((await runHeadroom(["unwrap", "codex"])).stdout).toContain("nothing to undo");
    expect((await runHeadroom(["unwrap", "claude"])).stdout).toContain("nothing to undo");
  });

  test("codex signed in with ChatGPT: the block keeps the sign-in and needs no key; an API key later replaces it", async () => {
    const codexDir = join(h.home, ".codex");
    mkdirSync(codexDir);
    // auth.json as `codex login` leaves it after a ChatGPT sign-in.
    const token = chatgptToken("acct-wrap", "wrap-test");
    const auth = {
      auth_mode: "chatgpt",
      OPENAI_API_KEY: null,
      tokens: {
        id_token: token,
        access_token: token,
        refresh_token: "rt-x",
        account_id: "acct-wrap",
      },
      last_refresh: new Date().toISOString(),
    };
    writeFileSync(join(codexDir, "auth.json"), JSON.stringify(auth));
    const plan = await runHeadroom(["wrap", "codex", "--print-env", "--port", "9911"]);
    expect(plan).toMatchObject({ code: 0, stderr: "" });
    expect(plan.stdout).toContain("requires_openai_auth = true");
    expect(plan.stdout).not.toContain("env_key");
    expect(plan.stdout).not.toContain(token);

    const port = freePort();
    const config = join(codexDir, "config.toml");
    standIn("codex", 0, `cat "${config}" >> "${h.record}"`);
    const run = await runHeadroom(["wrap", "codex", "--port", String(port), "--", "exec", "hi"]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("keeping Codex's ChatGPT sign-in");
    const seen = readFileSync(h.record, "utf8");
    expect(seen).toContain('args: [-c] [model_provider="headroom"] [exec] [hi]\n');
    expect(seen).toContain(`base_url = "http://127.0.0.1:${port}/v1"`);
    expect(seen).toContain("requires_openai_auth = true");
    expect(seen).toContain("supports_websockets = true");
    await healthOn(port);

    // Signed out, with a key: the block headroom wrote is replaced by the API-key one.
    writeFileSync(join(codexDir, "auth.json"), JSON.stringify({ OPENAI_API_KEY: null }));
    const keyed = await runHeadroom(["wrap", "codex", "--port", String(port)], {
      OPENAI_API_KEY: "sk-wrap-test",
    });
    expect(keyed.code).toBe(0);
    const text = readFileSync(config, "utf8");
    expect(text).toContain('env_key = "OPENAI_API_KEY"');
    expect(text).not.toContain("requires_openai_auth");
    expect(text.split("[model_providers.headroom]")).toHaveLength(2);
    expect((await runHeadroom(["unwrap", "codex"])).code).toBe(0);
    expect(existsSync(config)).toBe(false);
  });

  test("codex: a config headroom created is removed again, directory included, and another port replaces the block", async () => {
    const first = freePort();
    standIn("codex", 0);
    const env = { OPENAI_API_KEY: "sk-wrap-test" };
    expect((await runHeadroom(["wrap", "codex", "--port", String(first)], env)).code).toBe(0);
    await healthOn(first);
    const second = freePort();
    expect((await runHeadroom(["wrap", "codex", "--port", String(second)], env)).code).toBe(0);
    await healthOn(second);
    const text = readFileSync(join(h.home, ".codex", "config.toml"), "utf8");
    expect(text).toContain(`127.0.0.1:${second}/v1`);
    expect(text).not.toContain(`127.0.0.1:${first}/v1`);

    expect((await runHeadroom(["unwrap", "codex"])).code).toBe(0);
    expect(existsSync(join(h.home, ".codex"))).toBe(false);
    expect(existsSync(join(h.home, ".headroom", "wrap-state.json"))).toBe(false);
  });
});

describe("headroom doctor", () => {
  test("a fresh machine is fine; a proxy on the port is recognised", async () => {
    const port = freePort();
    const fresh = await runHeadroom(["doctor", "--port", String(port)]);
    expect(fresh.code).toBe(0);
    expect(fresh.stdout).toContain("does not exist yet");
    expect(fresh.stdout).toContain(`nothing listens on ${port}`);
    expect(fresh.stdout.trimEnd().endsWith("all good")).toBe(true);

    standIn("my-agent", 0);
    await runHeadroom(["wrap", "my-agent", "--port", String(port)]);
    const health = await healthOn(port);
    const running = JSON.parse(
      (await runHeadroom(["doctor", "--port", String(port), "--json"])).stdout,
    );
    expect(running.ok).toBe(true);
    expect(running.checks.find((c: { name: string }) => c.name === "port")).toMatchObject({
      status: "ok",
      detail: expect.stringContaining(`(pid ${health.pid})`),
    });
  });

  test("--upstreams checks the running proxy's upstreams, and its fixes name only flags that exist", async () => {
    const port = freePort();
    const closed = freePort();
    standIn("my-agent", 0);
    // The shared proxy runs with an Anthropic upstream that refuses connections...
    await runHeadroom(["wrap", "my-agent", "--port", String(port)], {
      ANTHROPIC_TARGET_API_URL: `http://127.0.0.1:${closed}`,
    });
    await healthOn(port);
    // ...while doctor's own environment names a working one: the proxy's is what matters.
    const result = await runHeadroom(["doctor", "--port", String(port), "--upstreams", "--json"]);
    expect(result.code).toBe(1);
    const byName = Object.fromEntries(
      JSON.parse(result.stdout).checks.map((c: { name: string }) => [c.name, c]),
    );
    expect(byName.openai).toMatchObject({
      status: "ok",
      detail: expect.stringContaining(`the running proxy's upstream ${upstream.url} answered`),
    });
    expect(byName.anthropic).toMatchObject({
      status: "fail",
      detail: expect.stringContaining(
        `the running proxy's upstream http://127.0.0.1:${closed} is unreachable`,
      ),
    });
    const fix: string = byName.anthropic.fix;
    expect(fix).toContain("headroom proxy --anthropic-api-url URL");
    const proxyHelp = (await runHeadroom(["proxy", "--help"])).stdout;
    for (const flag of fix.match(/--[a-z][a-z-]*/g) ?? []) expect(proxyHelp).toContain(flag);
  });

  test("names each problem with its fix: an open workspace, a foreign port, an unreachable upstream, a workspace that is a file", async () => {
    const workspace = join(h.home, ".headroom");
    mkdirSync(workspace, { mode: 0o755 });
    chmodSync(workspace, 0o755);
    const other = Bun.serve({
      port: 0,
      hostname: "127.0.0.1",
      fetch: () => new Response("no", { status: 404 }),
    });
    const closed = freePort();
    try {
      const result = await runHeadroom(
        ["doctor", "--port", String(other.port), "--upstreams", "--json"],
        {
          ANTHROPIC_TARGET_API_URL: `http://127.0.0.1:${closed}`,
        },
      );
      expect(result.code).toBe(1);
      const { ok, checks } = JSON.parse(result.stdout);
      expect(ok).toBe(false);
      const byName = Object.fromEntries(checks.map((c: { name: string }) => [c.name, c]));
      expect(byName.workspace).toMatchObject({ status: "fail", fix: `chmod 700 ${workspace}` });
      expect(byName.port).toMatchObject({ status: "fail", fix: expect.stringContaining("--port") });
      expect(byName.openai).toMatchObject({ status: "ok" });
      expect(byName.anthropic).toMatchObject({
        status: "fail",
        fix: expect.stringContaining("upstream URL"),
      });
    } finally {
      other.stop(true);
    }
    // A workspace path taken by a file.
    const file = join(h.home, "not-a-dir");
    writeFileSync(file, "");
    const text = await runHeadroom(["doctor", "--workspace-dir", file]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^fail {2}workspace {3}.*not-a-dir is not a directory$/m);
    expect(text.stdout).toContain("fix: move that file away");
  });
});
