/**
 * `headroom wrap gemini` through the compiled executable: the plan it prints, the sign-ins it
 * refuses with the reason (Login with Google goes to Code Assist, which is not proxied; no
 * sign-in chosen at all makes Gemini CLI 0.61 refuse a base URL), and a
 * real Gemini CLI session launched by wrap against a fake Gemini API, with nothing leaving
 * 127.0.0.1.
 */

import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { type EgressTrap, GEMINI, GEMINI_KEY, startEgressTrap } from "../helpers/agent-env.ts";
import { BINARY } from "../helpers/binary.ts";
import { FakeUpstream } from "../helpers/fake-upstream.ts";
import { json } from "../helpers/http.ts";

const upstream = new FakeUpstream();
const startedPids: number[] = [];
let trap: EgressTrap;

beforeAll(async () => {
  trap = await startEgressTrap();
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
  trap.stop();
});

let home: string;
let work: string;

beforeEach(() => {
  const root = mkdtempSync(join(tmpdir(), "headroom-wrap-gemini-"));
  home = join(root, "home");
  work = join(root, "my-project");
  for (const dir of [home, work]) mkdirSync(dir);
  upstream.reset();
  trap.attempts.length = 0;
});

/** Gemini CLI user settings without a chosen sign-in (or with `selectedType`). */
function userSettings(selectedType?: string): void {
  mkdirSync(join(home, ".gemini"), { recursive: true });
  const settings = {
    privacy: { usageStatisticsEnabled: false },
    telemetry: { enabled: false },
    general: { disableAutoUpdate: true, disableUpdateNag: true },
    security: {
      folderTrust: { enabled: false },
      ...(selectedType ? { auth: { selectedType } } : {}),
    },
  };
  writeFileSync(join(home, ".gemini", "settings.json"), JSON.stringify(settings));
}

function freePort(): number {
  const probe = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response() });
  const port = probe.port!;
  probe.stop(true);
  return port;
}

async function runHeadroom(args: string[], env: Record<string, string> = {}) {
  const proc = Bun.spawn([BINARY, ...args], {
    cwd: work,
    env: {
      PATH: `${dirname(GEMINI)}:${process.env.PATH ?? "/usr/bin:/bin"}`,
      HOME: home,
      TERM: "dumb",
      NO_COLOR: "1",
      GEMINI_TARGET_API_URL: upstream.url,
      GEMINI_CLI_SYSTEM_SETTINGS_PATH: join(home, "no-system-settings.json"),
      HTTP_PROXY: trap.url,
      HTTPS_PROXY: trap.url,
      NO_PROXY: "127.0.0.1,localhost",
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

describe("headroom wrap gemini", () => {
  test("--print-env: the base URL and the command; nothing started or written", async () => {
    userSettings("gemini-api-key");
    const plan = await runHeadroom(["wrap", "gemini", "--print-env", "--port", "9911"], {
      GEMINI_API_KEY: GEMINI_KEY,
    });
    expect(plan).toMatchObject({ code: 0, stderr: "" });
    expect(plan.stdout).toContain("export GOOGLE_GEMINI_BASE_URL=http://127.0.0.1:9911\n");
    expect(plan.stdout.trimEnd().split("\n").at(-1)).toBe("gemini");
    expect(plan.stdout).not.toContain(GEMINI_KEY);
    expect(existsSync(join(home, ".headroom"))).toBe(false);
  });

  test("Login with Google is refused with the reason, before any proxy starts", async () => {
    userSettings("oauth-personal");
    const refused = await runHeadroom(["wrap", "gemini", "--port", String(freePort())], {
      GEMINI_API_KEY: GEMINI_KEY,
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("Gemini CLI signs in with Google here (oauth-personal");
    expect(refused.stderr).toContain("Code Assist service (cloudcode-pa.googleapis.com)");
    expect(refused.stderr).toContain("set GEMINI_API_KEY");
    expect(existsSync(join(home, ".headroom"))).toBe(false);

    // No sign-in chosen: Gemini CLI 0.61 would refuse to start with a base URL set.
    userSettings();
    const unchosen = await runHeadroom(["wrap", "gemini", "--port", String(freePort())]);
    expect(unchosen.code).toBe(1);
    expect(unchosen.stderr).toContain("Gemini CLI has no sign-in chosen");
    expect(unchosen.stderr).toContain('"selectedType": "gemini-api-key"');
    expect(unchosen.stderr).toContain("and set GEMINI_API_KEY");
    expect(existsSync(join(home, ".headroom"))).toBe(false);
  });

  test("launches the real Gemini CLI at the proxy: its request reaches the Gemini upstream with the key", async () => {
    userSettings("gemini-api-key");
    const port = freePort();
    const run = await runHeadroom(
      ["wrap", "gemini", "--port", String(port), "--", "-m", "gemini-2.5-flash", "-p", "Say hi"],
      { GEMINI_API_KEY: GEMINI_KEY },
    );
    const health = await json(fetch(`http://127.0.0.1:${port}/health`));
    startedPids.push(health.pid);
    if (run.code !== 0) throw new Error(`wrap gemini exited ${run.code}:\n${run.stderr}`);
    expect(run.stdout).toContain("Hello from the fake upstream.");
    const calls = upstream.requests.filter((r) => r.path.includes(":streamGenerateContent"));
    expect(calls).toHaveLength(1);
    expect(calls[0]!.headers.get("x-goog-api-key")).toBe(GEMINI_KEY);
    expect(health.config.gemini_api_url).toBe(upstream.url);
    const stats = await json(fetch(`http://127.0.0.1:${port}/stats`));
    expect(stats.requests.by_agent["gemini-cli"]).toBe(1);
    expect(trap.attempts).toEqual([]);
  }, 90_000);
});
