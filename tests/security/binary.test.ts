/**
 * The compiled executable as a user runs it, in its real default workspace (~/.headroom under a
 * throwaway HOME): sentinel credentials never reach its log or its files; every file it creates
 * there is 0600 in 0700 directories; and listening beyond loopback without a proxy token is
 * announced loudly on stderr.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  BINARY,
  DENO_ENTRY,
  DENO_ENV,
  REPO_ROOT,
  type RunningBinary,
  startBinary,
  startServerProcess,
} from "../helpers/binary.ts";
import { FakeUpstream } from "../helpers/fake-upstream.ts";
import { json } from "../helpers/http.ts";
import { askAboutLog, buildLogWithKey } from "../helpers/key-in-output.ts";
import { waitFor } from "../helpers/proxy.ts";

const tag = crypto.randomUUID().slice(0, 8);
const SECRETS = {
  anthropic: `sk-ant-api03-SENTINEL-${tag}-HDR`,
  openai: `sk-proj-SENTINEL-${tag}-BEARER`,
  query: `SENTINELqry${tag}`,
  gateway: `gw_SENTINEL_${tag}_opaque`,
  wrapEnvKey: `sk-proj-SENTINEL-${tag}-WRAPENV`,
};
const CONTENT_SECRET = `sk-ant-SENTINEL-${tag}-CONTENT`;

const upstream = new FakeUpstream();
const root = mkdtempSync(join(tmpdir(), "headroom-security-"));
const home = join(root, "home");
const bin = join(root, "bin");
const workspace = join(home, ".headroom");
/** Background proxies `headroom wrap` started, stopped at the end by their pid. */
const startedPids: number[] = [];

beforeAll(() => {
  mkdirSync(home);
  mkdirSync(bin);
});
afterAll(() => {
  for (const pid of startedPids) {
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      // Already gone.
    }
  }
  upstream.stop();
  rmSync(root, { recursive: true, force: true });
});

const baseEnv = () => ({
  PATH: `${bin}:${process.env.PATH ?? "/usr/bin:/bin"}`,
  HOME: home,
  ANTHROPIC_TARGET_API_URL: upstream.url,
  OPENAI_TARGET_API_URL: upstream.url,
});

async function run(args: string[], env: Record<string, string> = {}, stdin?: string) {
  const proc = Bun.spawn([BINARY, ...args], {
    cwd: home,
    env: { ...baseEnv(), ...env },
    stdin: stdin === undefined ? "ignore" : new TextEncoder().encode(stdin),
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
  ]);
  return { code: await proc.exited, stdout, stderr };
}

/** A loopback port nothing listens on (port 1 is not reliably closed on a shared machine). */
function closedPort(): number {
  const probe = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response() });
  const port = probe.port!;
  probe.stop(true);
  return port;
}

/** Every file and directory under `dir`, with its permission bits. */
function walk(dir: string): { path: string; dir: boolean; mode: number }[] {
  const out = [{ path: dir, dir: true, mode: statSync(dir).mode & 0o777 }];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path);
    if (stat.isDirectory()) out.push(...walk(path));
    else out.push({ path, dir: false, mode: stat.mode & 0o777 });
  }
  return out;
}

function expectNoSecret(where: string, text: string): void {
  for (const [name, secret] of Object.entries(SECRETS))
    expect([where, name, text.includes(secret)]).toEqual([where, name, false]);
}

function grepWorkspace(when: string): string {
  let all = "";
  for (const entry of walk(workspace)) {
    if (entry.dir) continue;
    const bytes = readFileSync(entry.path).toString("latin1");
    expectNoSecret(`${when} ${entry.path}`, bytes);
    all += bytes;
  }
  return all;
}

const buildLog = buildLogWithKey(CONTENT_SECRET);
const messagesBody = (stream: boolean) => askAboutLog(buildLog, "toolu_b1", stream);

describe("the compiled proxy in its default workspace", () => {
  let proxy: RunningBinary | undefined;

  test("a sentinel run leaves no credential in its log, its SQLite files or its answers", async () => {
    proxy = await startBinary(["--log-level", "debug", "--log-messages"], baseEnv(), home);
    const anthropic = {
      "content-type": "application/json",
      "anthropic-version": "2023-06-01",
      "x-api-key": SECRETS.anthropic,
      "x-gateway-token": SECRETS.gateway,
    };
    const openai = {
      "content-type": "application/json",
      authorization: `Bearer ${SECRETS.openai}`,
    };
    // A secret in the query string; as `key=` (a Google API key) it is refused, sent nowhere.
    const query = `?beta=true&sig=${SECRETS.query}`;
    const send = async (path: string, init: RequestInit) => {
      const res = await fetch(`${proxy!.url}${path}`, init);
      await res.text();
      return res.status;
    };
    const statuses = [
      await send(`/v1/messages${query}`, {
        method: "POST",
        headers: anthropic,
        body: messagesBody(false),
      }),
      await send(`/v1/messages${query}`, {
        method: "POST",
        headers: anthropic,
        body: messagesBody(true),
      }),
      await send(`/v1/chat/completions${query}`, {
        method: "POST",
        headers: openai,
        body: JSON.stringify({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] }),
      }),
      await send(`/v1/models${query}`, { headers: openai }),
      // A gateway URL carrying its key, and an upstream that refuses connections.
      await send(`/v1/chat/completions${query}`, {
        method: "POST",
        headers: { ...openai, "x-headroom-base-url": `http://127.0.0.1:1/v1?key=${SECRETS.query}` },
        body: "{}",
      }),
      await send(`/v1/chat/completions${query}`, {
        method: "POST",
        headers: { ...openai, "x-headroom-base-url": `http://127.0.0.1:${closedPort()}` },
        body: JSON.stringify({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] }),
      }),
      await send(`/v1/messages?key=${SECRETS.query}`, {
        method: "POST",
        headers: anthropic,
        body: messagesBody(false),
      }),
    ];
    expect(statuses).toEqual([200, 200, 200, 200, 400, 502, 404]);
    expect(upstream.requests.some((r) => r.headers.get("x-api-key") === SECRETS.anthropic)).toBe(
      true,
    );
    expect(upstream.requests.some((r) => r.query.includes(SECRETS.query))).toBe(true);

    await waitFor(
      () => proxy!.lines.filter((line) => line.includes('"msg":"request"')).length >= 6,
    );
    for (const path of [
      "/stats",
      "/stats-history?detail=full",
      "/stats-history?format=csv&detail=full",
      "/metrics",
      "/transformations/feed?limit=200",
      "/v1/retrieve/stats",
      "/health",
      "/admin/runtime-env",
    ]) {
      expectNoSecret(path, await (await fetch(`${proxy.url}${path}`)).text());
    }
    const running = grepWorkspace("running");
    expect(existsSync(join(workspace, "headroom.sqlite-wal"))).toBe(true);

    expect(await proxy.stop()).toBe(0);
    const log = proxy.lines.join("\n");
    expect(log).toContain('"level":"debug"');
    expect(log).toContain('"status":502');
    expectNoSecret("stderr log", log);
    expect(log).not.toContain(CONTENT_SECRET);
    const stopped = grepWorkspace("stopped");
    // The key the tool printed is content: stored whole as the original, for retrieval.
    expect([running.includes(CONTENT_SECRET), stopped.includes(CONTENT_SECRET)]).toEqual([
      true,
      true,
    ]);
  });

  test("every file it creates in the workspace is 0600, every directory 0700", async () => {
    // The CLI layer: a lossy compress stores an original; retrieve and stats read it back.
    const compressed = await run(["compress"], {}, buildLog);
    expect(compressed.code).toBe(0);
    const hash = /hash=([0-9a-f]{24})/.exec(compressed.stdout)?.[1];
    expect(hash).toBeDefined();
    expect((await run(["retrieve", hash!])).stdout).toBe(buildLog);

    // wrap: a background proxy logging into the workspace, Codex's state file, then unwrap.
    const port = String(closedPort());
    writeFileSync(join(bin, "codex"), "#!/bin/sh\nexit 0\n");
    chmodSync(join(bin, "codex"), 0o755);
    const wrapped = await run(["wrap", "codex", "--port", port], {
      OPENAI_API_KEY: SECRETS.wrapEnvKey,
    });
    expect([wrapped.code, wrapped.stderr]).toEqual([
      0,
      expect.stringContaining("started headroom"),
    ]);
    const health = await json(fetch(`http://127.0.0.1:${port}/health`));
    startedPids.push(health.pid);
    const res = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${SECRETS.wrapEnvKey}`,
      },
      body: JSON.stringify({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(res.status).toBe(200);
    await res.text();
    expect((await run(["stats", "--port", port])).code).toBe(0);
    expect((await run(["doctor", "--port", port])).stdout).toContain("workspace");

    const expectPrivate = (when: string) => {
      const entries = walk(workspace);
      for (const entry of entries) {
        expect([when, entry.path, entry.mode.toString(8)]).toEqual([
          when,
          entry.path,
          entry.dir ? "700" : "600",
        ]);
      }
      return entries.map((e) => e.path.slice(workspace.length));
    };
    expect(expectPrivate("wrapped")).toEqual(
      expect.arrayContaining([
        "",
        "/headroom.sqlite",
        "/headroom.sqlite-wal",
        "/headroom.sqlite-shm",
        "/logs",
        "/logs/proxy.log",
        "/wrap-state.json",
      ]),
    );
    expect((await run(["unwrap", "codex"])).code).toBe(0);
    process.kill(health.pid, "SIGTERM");
    await waitFor(() => {
      try {
        process.kill(health.pid, 0);
        return false;
      } catch {
        return true;
      }
    });
    expectPrivate("unwrapped and stopped");
    // The background proxy's log and its environment's key: nowhere in the workspace.
    grepWorkspace("after wrap");
    expect(readFileSync(join(workspace, "logs", "proxy.log"), "utf8")).toContain(
      '"msg":"listening"',
    );
  });
});

describe("a workspace the original Headroom left behind", () => {
  test("its world-readable log is tightened before headroom appends to it; doctor flags the directory", async () => {
    // The original Headroom (Python, umask 022) shares ~/.headroom and writes logs/proxy.log.
    const oldHome = join(root, "old-home");
    const oldWorkspace = join(oldHome, ".headroom");
    mkdirSync(join(oldWorkspace, "logs"), { recursive: true, mode: 0o755 });
    chmodSync(oldWorkspace, 0o755);
    chmodSync(join(oldWorkspace, "logs"), 0o755);
    writeFileSync(join(oldWorkspace, "logs", "proxy.log"), "an old line\n", { mode: 0o644 });
    chmodSync(join(oldWorkspace, "logs", "proxy.log"), 0o644);

    const port = String(closedPort());
    writeFileSync(join(bin, "my-agent"), "#!/bin/sh\nexit 0\n");
    chmodSync(join(bin, "my-agent"), 0o755);
    const wrapped = await run(["wrap", "my-agent", "--port", port], { HOME: oldHome });
    expect(wrapped.code).toBe(0);
    const health = await json(fetch(`http://127.0.0.1:${port}/health`));
    startedPids.push(health.pid);
    try {
      const log = join(oldWorkspace, "logs", "proxy.log");
      expect(readFileSync(log, "utf8")).toContain('"msg":"listening"');
      expect((statSync(log).mode & 0o777).toString(8)).toBe("600");
      expect((statSync(join(oldWorkspace, "headroom.sqlite")).mode & 0o777).toString(8)).toBe(
        "600",
      );
      const doctor = await run(["doctor", "--port", port], { HOME: oldHome });
      expect(doctor.stdout).toContain(`chmod 700 ${oldWorkspace}`);
    } finally {
      process.kill(health.pid, "SIGTERM");
    }
  });
});

describe("listening beyond loopback", () => {
  test("without HEADROOM_PROXY_TOKEN the proxy warns on stderr as it starts; with one it does not", async () => {
    const ws = mkdtempSync(join(root, "exposed-"));
    const exposed = await startBinary(["--host", "0.0.0.0", "--workspace-dir", ws], baseEnv());
    try {
      await waitFor(() => exposed.lines.some((line) => line.includes("HEADROOM_PROXY_TOKEN")));
      const warning = exposed.lines.find((line) => line.includes("HEADROOM_PROXY_TOKEN"))!;
      expect(JSON.parse(warning)).toMatchObject({ level: "warn" });
      expect(warning).toContain("0.0.0.0");
      expect(warning).toContain("reachable from other machines");
      // Said at startup: right after the listening line, before any request.
      const listening = exposed.lines.findIndex((line) => line.includes('"msg":"listening"'));
      expect(exposed.lines.indexOf(warning)).toBe(listening + 1);
    } finally {
      expect(await exposed.stop()).toBe(0);
    }

    const token = `SENTINELtoken${tag}`;
    const guarded = await startBinary(["--host", "0.0.0.0", "--workspace-dir", ws], {
      ...baseEnv(),
      HEADROOM_PROXY_TOKEN: token,
    });
    try {
      const url = guarded.url.replace("0.0.0.0", "127.0.0.1");
      // Loopback callers never need the token.
      const res = await fetch(`${url}/v1/messages`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-key": "k" },
        body: JSON.stringify({
          model: "m",
          max_tokens: 1,
          messages: [{ role: "user", content: "hi" }],
        }),
      });
      expect(res.status).toBe(200);
      await res.text();
    } finally {
      expect(await guarded.stop()).toBe(0);
    }
    expect(guarded.lines.join("\n")).not.toContain("HEADROOM_PROXY_TOKEN is not set");
    expect(guarded.lines.join("\n")).not.toContain(token);
    for (const host of ["127.0.0.1", "localhost", "::1"]) {
      const quiet = await startBinary(["--host", host, "--workspace-dir", ws], baseEnv());
      expect(await quiet.stop()).toBe(0);
      expect([host, quiet.lines.join("\n")]).toEqual([
        host,
        expect.not.stringContaining("HEADROOM_PROXY_TOKEN"),
      ]);
    }
  });

  test("the Deno entry warns the same way", async () => {
    const proxy = await startServerProcess(
      [...DENO_ENTRY, "--host", "0.0.0.0", "--port", "0"],
      DENO_ENV,
      REPO_ROOT,
    );
    await waitFor(() => proxy.lines.some((line) => line.includes("HEADROOM_PROXY_TOKEN")));
    await proxy.stop();
    const warning = proxy.lines.find((line) => line.includes("HEADROOM_PROXY_TOKEN"))!;
    expect(JSON.parse(warning)).toMatchObject({ level: "warn" });
    expect(warning).toContain("reachable from other machines");
  });
});
