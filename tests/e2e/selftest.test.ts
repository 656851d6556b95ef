/**
 * `headroom selftest` through the compiled executable: every check passes on a healthy build,
 * `--json` says the same for machines, a world-readable workspace is reported and exits 1, and
 * nothing is left behind or sent anywhere but 127.0.0.1 (a proxy server named in the
 * environment, as CI runners often have, must receive nothing).
 */

import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BINARY } from "../helpers/binary.ts";
import { closedPort } from "../helpers/fake-upstream.ts";

const CHECK_NAMES = [
  "passthrough",
  "stream",
  "compression",
  "retrieve-tool",
  "retrieve-api",
  "stats",
  "control",
  "workspace",
];

const root = mkdtempSync(join(tmpdir(), "headroom-selftest-test-"));
afterAll(() => {
  trap.stop(true);
  rmSync(root, { recursive: true, force: true });
});

/** A proxy server for the environment's proxy variables: anything it receives went astray. */
const astray: string[] = [];
const trap = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  fetch(request) {
    astray.push(request.url);
    return new Response("not here", { status: 502 });
  },
});
const TRAP = `http://127.0.0.1:${trap.port}`;

function freshDir(name: string): string {
  const dir = join(root, `${name}-${Math.random().toString(36).slice(2)}`);
  mkdirSync(dir, { mode: 0o700 });
  return dir;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  home: string;
  tmp: string;
}

/** Runs the executable with an empty HOME and TMPDIR of its own, and proxy variables at the trap. */
async function headroom(args: string[], binary = BINARY): Promise<Run> {
  const home = freshDir("home");
  const tmp = freshDir("tmp");
  const proc = Bun.spawn([binary, ...args], {
    env: {
      PATH: process.env.PATH ?? "",
      HOME: home,
      TMPDIR: tmp,
      HTTP_PROXY: TRAP,
      HTTPS_PROXY: TRAP,
      http_proxy: TRAP,
      https_proxy: TRAP,
      ALL_PROXY: TRAP,
    },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
  ]);
  return { code: await proc.exited, stdout, stderr, home, tmp };
}

interface Report {
  ok: boolean;
  version: string;
  seconds: number;
  checks: { name: string; status: string; detail: string }[];
}

describe("headroom selftest", () => {
  test("passes every check, one line each, and leaves nothing behind", async () => {
    const run = await headroom(["selftest"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(CHECK_NAMES.length + 1);
    CHECK_NAMES.forEach((name, i) => {
      expect(lines[i]).toMatch(new RegExp(`^ok +${name} +\\S`));
    });
    expect(lines.at(-1)).toMatch(/^headroom \S+ selftest passed: 8 checks in [\d.]+ s$/);
    // What each line claims, for the four APIs.
    expect(lines[0]).toContain(
      "byte-identical on Anthropic Messages, OpenAI chat, OpenAI Responses, Gemini",
    );
    expect(lines[2]).toMatch(/marker hash=[0-9a-f]{24}/);
    expect(lines[7]).toContain(`${run.tmp}/headroom-selftest-`);
    // The temporary workspace is gone, and nothing was written to HOME.
    expect(readdirSync(run.tmp)).toEqual([]);
    expect(readdirSync(run.home)).toEqual([]);
    expect(astray).toEqual([]);
  });

  test("--json reports the same checks for machines", async () => {
    const run = await headroom(["selftest", "--json"]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.name)).toEqual(CHECK_NAMES);
    for (const check of report.checks) expect(check.status).toBe("ok");
    expect(report.checks[5]?.detail).toMatch(/^both report 12 requests, [1-9]\d* tokens saved/);
    expect(readdirSync(run.tmp)).toEqual([]);
    expect(astray).toEqual([]);
  });

  test("a workspace open to others fails its check and exits 1; the others still pass", async () => {
    const workspace = join(freshDir("shared"), "ws");
    mkdirSync(workspace);
    chmodSync(workspace, 0o755);
    const run = await headroom(["selftest", "--json", "--workspace-dir", workspace]);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.ok).toBe(false);
    const failed = report.checks.filter((c) => c.status === "fail");
    expect(failed).toEqual([
      {
        name: "workspace",
        status: "fail",
        detail: `${workspace} is open to others (mode 755); chmod 700 it`,
      },
    ]);
    // The given workspace is kept, with the proxy's database in it.
    expect(readdirSync(workspace)).toContain("headroom.sqlite");

    const text = await headroom(["selftest", "--workspace-dir", workspace]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^fail +workspace +.*chmod 700 it$/m);
    expect(text.stdout.trimEnd().split("\n").at(-1)).toMatch(
      /^headroom \S+ selftest FAILED: 1 of 8 checks$/,
    );
    expect(astray).toEqual([]);
  });

  test("a workspace that cannot be created is one failed line, not a crash", async () => {
    const file = join(freshDir("file"), "not-a-dir");
    writeFileSync(file, "");
    const run = await headroom(["selftest", "--workspace-dir", file]);
    expect(run.code).toBe(1);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^fail +start +the proxy did not start: /);
    expect(lines.at(-1)).toMatch(/selftest FAILED: 1 of 1 checks$/);
  });

  test("a private workspace given with --workspace-dir passes, and passes again on reuse", async () => {
    const workspace = join(freshDir("own"), "ws");
    for (let i = 0; i < 2; i++) {
      const run = await headroom(["selftest", "--workspace-dir", workspace]);
      expect(run.stdout).not.toContain("fail ");
      expect(run.code).toBe(0);
    }
    expect(readdirSync(workspace)).toContain("headroom.sqlite");
  });

  test("is in the help, offered by doctor, and refuses unknown flags", async () => {
    const help = await headroom(["selftest", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toStartWith("Usage: headroom selftest [--json] [--workspace-dir DIR]");
    expect((await headroom(["--help"])).stdout).toContain("headroom selftest [--json]");
    const doctor = await headroom(["doctor", "--port", String(closedPort())]);
    expect(doctor.stdout).toContain("offline and with no API key: headroom selftest\n");
    const bad = await headroom(["selftest", "--fast"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("headroom: Unknown option '--fast'");
  });
});
